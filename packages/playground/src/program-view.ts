/**
 * The playground's second page: a thread program, lowered for the chosen
 * ABI and stepped one machine instruction at a time in the interpreter
 * (the {@link ProgramLab} of the examples package): the program with the
 * instruction being run, the lowered machine code with the program counter,
 * the machine registers (each labelled with the program register it holds),
 * the thread control block and the top of the thread's stack, with what the
 * last step changed highlighted, and the traps so far.
 */
import { LAB_PROGRAM, ProgramLab, runOnBackend } from "@greenthreads/examples/program-lab";
import { type AbiName, formatInstruction, type Trap } from "@greenthreads/isa";
import { loadBackend } from "@greenthreads/switch";
import { html } from "htm/preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { ABI_NAMES, hex, Listing, listing, StackTable } from "./app.js";

interface Changes {
  readonly registers: ReadonlySet<string>;
  readonly words: ReadonlySet<bigint>;
}

const NONE: Changes = { registers: new Set(), words: new Set() };

/** A trap as one line of text. */
export function trapText(t: Trap): string {
  switch (t.kind) {
    case "hostcall":
      return `hostcall ${t.name}(${t.args.join(", ")})`;
    case "yield":
      return `yield ${t.value}`;
    case "budget":
      return "budget";
    case "exit":
      return `exit ${t.code}`;
    case "fault":
      return `fault ${t.fault} at instruction ${t.details.instruction}`;
  }
}

/** A lab for `text`, or the parse/verify error that stops it. */
function makeLab(abi: AbiName, text: string): ProgramLab | string {
  try {
    return new ProgramLab(abi, text);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function ProgramView({ abi, setAbi }: { abi: AbiName; setAbi: (a: AbiName) => void }) {
  const [text, setText] = useState(LAB_PROGRAM);
  const [lab, setLab] = useState(() => makeLab(abi, LAB_PROGRAM));
  const [changes, setChanges] = useState<Changes>(NONE);
  const [, setTick] = useState(0);
  const [fast, setFast] = useState("");
  const lines = useMemo(
    () => (typeof lab === "string" ? [] : listing(lab.codes(), lab.host.arch)),
    [lab],
  );
  useEffect(() => {
    document.querySelector(".pc")?.scrollIntoView({ block: "nearest" });
  });

  const reset = (nextAbi: AbiName, nextText: string) => {
    setLab(makeLab(nextAbi, nextText));
    setChanges(NONE);
    setFast("");
  };
  // The same program on the fastest backend this engine has (WebAssembly in a browser),
  // compared with the interpreter's traps.
  const runFast = () => {
    try {
      const backend = loadBackend();
      const fastRun = runOnBackend(backend, text);
      const interpreted = new ProgramLab(abi, text);
      while (!interpreted.finished) interpreted.runToTrap();
      const same =
        JSON.stringify(fastRun.traps.map(trapText)) ===
        JSON.stringify(interpreted.traps.map(trapText));
      setFast(
        `${backend.kind}: ${fastRun.traps.length} traps in ${fastRun.ms.toFixed(2)} ms; ` +
          `the same as the interpreter's: ${same ? "yes" : "NO"}`,
      );
    } catch (e) {
      setFast(e instanceof Error ? e.message : String(e));
    }
  };
  if (typeof lab === "string") {
    return html`<header>
      <p class="error" id="p-error">${lab}</p>
      <button onClick=${() => reset(abi, LAB_PROGRAM)}>Back to the example program</button>
    </header>`;
  }
  const stepMany = (count: number, untilTrap = false) => {
    const registers = new Set<string>();
    const words = new Set<bigint>();
    for (let i = 0; i < count && !lab.finished; i++) {
      const s = lab.step();
      for (const r of s.registers) registers.add(r.name);
      for (const w of s.words) words.add(BigInt(w.name));
      if (untilTrap && s.trap !== undefined) break;
    }
    setChanges({ registers, words });
    setTick((t) => t + 1);
  };
  const current = lab.current();
  const at = lab.programInstruction();
  const holds = new Map(lab.programRegisters.map((reg, i) => [reg, `r${i}`]));
  const sp = lab.host.cpu.get(lab.host.abi.stackPointer);
  return html`
    <header>
      <p>
        A thread program lowered for <code>${abi}</code> and run in the interpreter, one machine
        instruction at a time. Host calls are answered with their first argument plus one.
      </p>
      <div class="controls">
        <label
          >ABI${" "}
          <select
            id="p-abi"
            value=${abi}
            onChange=${(e: Event) => {
              const next = (e.target as HTMLSelectElement).value as AbiName;
              setAbi(next);
            }}
          >
            ${ABI_NAMES.map((n) => html`<option value=${n}>${n}</option>`)}
          </select>
        </label>
        <button id="p-step" onClick=${() => stepMany(1)} disabled=${lab.finished}>Step</button>
        <button id="p-step10" onClick=${() => stepMany(10)} disabled=${lab.finished}>Step ×10</button>
        <button id="p-trap" onClick=${() => stepMany(1_000_000, true)} disabled=${lab.finished}>
          Run to the next trap
        </button>
        <button id="p-reset" onClick=${() => reset(abi, text)}>Reset</button>
        <button id="p-fast" onClick=${runFast}>Run it on the fast backend</button>
        <span class="status"
          >steps: <b id="p-steps">${lab.steps}</b> · traps: <b id="p-traps">${lab.traps.length}</b> ·
          now in <b id="p-where">${lab.inside ? current.where : "the host"}</b></span
        >
      </div>
      <p class="executed">${lab.inside ? `next: ${current.text}` : "next: the switch into the thread"}</p>
      <p class="executed" id="p-fast-result">${fast}</p>
    </header>
    <main>
      <section>
        <h2>program</h2>
        <textarea
          id="p-text"
          rows="12"
          cols="40"
          value=${text}
          onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}
        ></textarea>
        <div><button id="p-load" onClick=${() => reset(abi, text)}>Load this program</button></div>
        <ol start="0" id="p-source">
          ${lab.program.program.instructions.map(
            (ins, i) =>
              html`<li class=${i === at ? "pc" : ""}><code>${formatInstruction(ins)}</code></li>`,
          )}
        </ol>
        <h2>traps</h2>
        <ol id="p-trap-list">
          ${lab.traps.map((t) => html`<li>${trapText(t)}</li>`)}
        </ol>
      </section>
      <section class="listing">
        <h2>lowered code</h2>
        <${Listing} lines=${lines} pc=${lab.inside ? current.address : -1n} />
      </section>
      <section>
        <h2>registers</h2>
        <table id="p-registers">
          ${[...lab.registers()].map(
            ([name, value]) =>
              html`<tr data-reg=${name} class=${changes.registers.has(name) ? "changed" : ""}>
                <td>${name}</td>
                <td class="value">${hex(value)}</td>
                <td>${holds.get(name) ?? ""}</td>
              </tr>`,
          )}
        </table>
        <h2>thread control block <small>${hex(lab.thread.tcb)}</small></h2>
        <table id="p-tcb">
          ${lab.controlBlock().map(
            (f) =>
              html`<tr
                data-field=${f.name}
                class=${changes.words.has(lab.thread.tcb + BigInt(f.offset)) ? "changed" : ""}
              >
                <td>${f.name}</td>
                <td class="value">${hex(f.value)}</td>
              </tr>`,
          )}
        </table>
        <h2>stack (top)</h2>
        <${StackTable} id="p-stack" words=${lab.stackTop(10)} changed=${changes.words} sp=${sp} />
      </section>
    </main>
  `;
}
