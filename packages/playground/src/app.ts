/**
 * The playground page: pick an ABI, then step through its generated context
 * switch one instruction at a time, main → green thread → main, watching the
 * registers, both contexts and both stacks. Whatever the last instruction
 * changed is highlighted.
 *
 * Everything runs in the browser: the switch routine is derived from the
 * ABI's data by `@greenthreads/isa` on the page, encoded, and executed by
 * its interpreter inside the {@link SwitchLab} of the examples package.
 *
 * The UI is Preact with htm's tagged templates: a few kilobytes, no build
 * step for markup, and the state model fits a single component.
 */
import { SwitchLab } from "@greenthreads/examples/switch-lab";
import { type AbiName, type Arch, type AssembledCode, abis } from "@greenthreads/isa";
import { html } from "htm/preact";
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { ProgramView } from "./program-view.js";

export const ABI_NAMES = Object.keys(abis) as AbiName[];

/** Hexadecimal, padded to the width of a 64- or 128-bit value. */
export function hex(value: bigint): string {
  const digits = value > 0xffff_ffff_ffff_ffffn ? 32 : 16;
  return `0x${value.toString(16).padStart(digits, "0")}`;
}

/** One line of the code listing: a label or an instruction at an address. */
export interface ListingLine {
  readonly address: bigint;
  readonly text: string;
  readonly label: boolean;
}

/** The instructions of `codes` with their labels, as listing lines. */
export function listing(codes: readonly AssembledCode[], arch: Arch): ListingLine[] {
  const lines: ListingLine[] = [];
  for (const code of codes) {
    const labels = new Map<bigint, string[]>();
    for (const [name, address] of code.labels) {
      labels.set(address, [...(labels.get(address) ?? []), name]);
    }
    for (const placed of code.instructions) {
      for (const name of labels.get(placed.address) ?? []) {
        lines.push({ address: placed.address, text: `${name}:`, label: true });
      }
      lines.push({
        address: placed.address,
        text: arch.format([placed.instruction]).trim(),
        label: false,
      });
    }
  }
  return lines;
}

/** A code listing with the instruction at `pc` highlighted. */
export function Listing({ lines, pc }: { lines: readonly ListingLine[]; pc: bigint }) {
  return html`<pre>${lines.map(
    (l) =>
      html`<div class=${l.label ? "label" : l.address === pc ? "line pc" : "line"}>
        ${l.label ? l.text : `${l.address.toString(16).padStart(8, "0")}  ${l.text}`}
      </div>`,
  )}</pre>`;
}

/** The top words of a stack, highest first: the word at `sp` marked, changed words highlighted. */
export function StackTable({
  id,
  words,
  changed,
  sp,
}: {
  id: string;
  words: readonly { address: bigint; value: bigint }[];
  changed: ReadonlySet<bigint>;
  sp: bigint;
}) {
  return html`<table id=${id}>
    ${words.map(
      (w) =>
        html`<tr data-address=${hex(w.address)} class=${changed.has(w.address) ? "changed" : ""}>
          <td>${hex(w.address)}</td>
          <td class="value">${hex(w.value)}</td>
          <td>${w.address === sp ? "◄ sp" : ""}</td>
        </tr>`,
    )}
  </table>`;
}

/** A fresh lab for `abi`, set up to begin its first round trip. */
function newLab(abi: AbiName): SwitchLab {
  const lab = new SwitchLab(abi);
  lab.beginRoundTrip();
  return lab;
}

interface Changes {
  readonly registers: ReadonlySet<string>;
  readonly words: ReadonlySet<bigint>;
  readonly executed: string;
}

const NONE: Changes = { registers: new Set(), words: new Set(), executed: "" };

function SwitchView({ abi, setAbi }: { abi: AbiName; setAbi: (a: AbiName) => void }) {
  const [lab, setLab] = useState(() => newLab(abi));
  const [steps, setSteps] = useState(0);
  const [changes, setChanges] = useState<Changes>(NONE);
  const lines = useMemo(() => listing([lab.code], lab.arch), [lab]);

  const reset = (next: AbiName) => {
    setAbi(next);
    setLab(newLab(next));
    setSteps(0);
    setChanges(NONE);
  };
  const stepMany = (count: number, untilMain = false) => {
    const registers = new Set<string>();
    const words = new Set<bigint>();
    let executed = "";
    let done = 0;
    for (; done < count; done++) {
      if (lab.backInMain) lab.beginRoundTrip();
      const s = lab.step();
      executed = `${s.executed.where}: ${s.executed.text}`;
      for (const r of s.registers) registers.add(r.name);
      for (const w of s.words) words.add(BigInt(w.name));
      if (untilMain && lab.backInMain) {
        done++;
        break;
      }
    }
    setSteps(steps + done);
    setChanges({ registers, words, executed });
  };

  // Keep the instruction about to run in view as the listing scrolls.
  useEffect(() => {
    document.querySelector(".pc")?.scrollIntoView({ block: "nearest" });
  });
  const current = lab.current();
  const registers = [...lab.registers()];
  const sp = lab.cpu.get(lab.abi.stackPointer);
  return html`
    <header>
      <p>
        The context switch of <code>${abi}</code>, derived from the ABI's data, between main and
        one green thread. Step it one instruction at a time.
      </p>
      <div class="controls">
        <label
          >ABI${" "}
          <select
            id="abi"
            value=${abi}
            onChange=${(e: Event) => reset((e.target as HTMLSelectElement).value as AbiName)}
          >
            ${ABI_NAMES.map((n) => html`<option value=${n}>${n}</option>`)}
          </select>
        </label>
        <button id="step" onClick=${() => stepMany(1)}>Step</button>
        <button id="step10" onClick=${() => stepMany(10)}>Step ×10</button>
        <button id="run" onClick=${() => stepMany(100_000, true)}>Run back to main</button>
        <button id="reset" onClick=${() => reset(abi)}>Reset</button>
        <span class="status"
          >steps: <b id="steps">${steps}</b> · switches: <b>${lab.switches}</b> · now in${" "}
          <b id="where">${current.where}</b></span
        >
      </div>
      <p class="executed" id="executed">${changes.executed && `executed ${changes.executed}`}</p>
    </header>
    <main>
      <section class="listing">
        <h2>code</h2>
        <${Listing} lines=${lines} pc=${current.address} />
      </section>
      <section>
        <h2>registers</h2>
        <table id="registers">
          ${registers.map(
            ([name, value]) =>
              html`<tr data-reg=${name} class=${changes.registers.has(name) ? "changed" : ""}>
                <td>${name}</td>
                <td class="value">${hex(value)}</td>
              </tr>`,
          )}
        </table>
      </section>
      <section>
        ${(["main", "green"] as const).map(
          (which) => html`
            <h2>${which} context <small>${hex(lab.contextAddress(which))}</small></h2>
            <table id=${`context-${which}`}>
              ${lab.context(which).map(
                (slot) =>
                  html`<tr
                    data-slot=${slot.name}
                    class=${
                      changes.words.has(lab.contextAddress(which) + BigInt(slot.offset))
                        ? "changed"
                        : ""
                    }
                  >
                    <td>${slot.name}</td>
                    <td class="value">${hex(slot.value)}</td>
                  </tr>`,
              )}
            </table>
            <h2>${which} stack (top)</h2>
            <${StackTable}
              id=${`stack-${which}`}
              words=${lab.stackTop(which, 10)}
              changed=${changes.words}
              sp=${sp}
            />
          `,
        )}
      </section>
    </main>
  `;
}

function App() {
  const [tab, setTab] = useState<"switch" | "program">("switch");
  const [abi, setAbi] = useState<AbiName>("x86_64-sysv");
  return html`
    <nav>
      <h1>greenthreads playground</h1>
      <button id="tab-switch" class=${tab === "switch" ? "tab on" : "tab"} onClick=${() => setTab("switch")}>
        a context switch
      </button>
      <button id="tab-program" class=${tab === "program" ? "tab on" : "tab"} onClick=${() => setTab("program")}>
        a thread program
      </button>
    </nav>
    ${
      tab === "switch"
        ? html`<${SwitchView} key=${`s-${abi}`} abi=${abi} setAbi=${setAbi} />`
        : html`<${ProgramView} key=${`p-${abi}`} abi=${abi} setAbi=${setAbi} />`
    }
  `;
}

/** Renders the playground into `root`. */
export function mount(root: HTMLElement): void {
  render(html`<${App} />`, root);
}
