import { describe, expect, test } from "vitest";
import { IsaError } from "../../src/errors.js";
import { program } from "../../src/language/builder.js";
import { FIBER_PROGRAM_1 } from "../../src/language/fibers.js";
import { formatProgram } from "../../src/language/format-program.js";
import { parseProgram } from "../../src/language/parse.js";
import { verifyProgram } from "../../src/language/verify.js";
import { withoutPositions } from "./random.js";

describe("program builder", () => {
  test("builds the same program as the parser (every instruction form)", () => {
    const text = `
  mov r0, 0
loop:
  add r0, r0, 1
  sub r1, r0, r2
  mul r1, r1, -3
  and r1, r1, 0xff
  or r1, r1, r2
  xor r1, r1, -1
  shl r1, r1, 3
  shr r1, r1, r3
  sar r1, r1, 63
  blt r0, 10, loop
  beq r0, r1, loop
  bne r0, 0, next
  ble r0, 1, next
  bgt r0, 2, next
  bge r0, 3, next
  bltu r0, 4, next
  bleu r0, 5, next
  bgtu r0, 18446744073709551615, next
  bgeu r0, r7, next
next:
  push r0
  push 7
  pop r2
  load r3, stack[r2 + 1]
  load r3, stack[0]
  store stack[r2 - 1], r3
  store stack[r4], 9
  hostcall print(r0, r1) -> r2
  hostcall done()
  yield r0 -> r5
  yield 1
  call f
  jmp end
f:
  ret
end:
  exit 0
`;
    const built = program()
      .mov("r0", 0)
      .label("loop")
      .add("r0", "r0", 1)
      .sub("r1", "r0", "r2")
      .mul("r1", "r1", -3)
      .and("r1", "r1", 0xff)
      .or("r1", "r1", "r2")
      .xor("r1", "r1", -1n)
      .shl("r1", "r1", 3)
      .shr("r1", "r1", "r3")
      .sar("r1", "r1", 63)
      .blt("r0", 10, "loop")
      .beq("r0", "r1", "loop")
      .bne("r0", 0, "next")
      .ble("r0", 1, "next")
      .bgt("r0", 2, "next")
      .bge("r0", 3, "next")
      .bltu("r0", 4, "next")
      .bleu("r0", 5, "next")
      .bgtu("r0", 2n ** 64n - 1n, "next")
      .br("geu", "r0", "r7", "next")
      .label("next")
      .push("r0")
      .push(7)
      .pop("r2")
      .load("r3", { index: "r2", offset: 1 })
      .load("r3", 0)
      .store({ index: "r2", offset: -1 }, "r3")
      .store({ index: "r4" }, 9)
      .hostcall("print", ["r0", "r1"], "r2")
      .hostcall("done")
      .yield("r0", "r5")
      .yield(1)
      .call("f")
      .jmp("end")
      .label("f")
      .ret()
      .label("end")
      .exit(0)
      .build();
    const parsed = parseProgram(text);
    expect(withoutPositions(built)).toEqual(withoutPositions(parsed));
    expect(built.instructions.map((i) => i.at)).toEqual(
      built.instructions.map((_, i) => ({ line: i + 1, column: 1 })),
    );
    verifyProgram(built);
    expect(parseProgram(formatProgram(built))).toEqual(parseProgram(formatProgram(parsed)));
  });

  test("builds the book's fiber", () => {
    const built = program()
      .mov("r0", 1)
      .hostcall("started", ["r0"])
      .mov("r1", 0)
      .label("loop")
      .bge("r1", 10, "done")
      .hostcall("print", ["r0", "r1"])
      .yield(0)
      .add("r1", "r1", 1)
      .jmp("loop")
      .label("done")
      .hostcall("finished", ["r0"])
      .exit(0)
      .build();
    expect(withoutPositions(built)).toEqual(withoutPositions(parseProgram(FIBER_PROGRAM_1)));
  });

  test("build() snapshots: later calls do not change earlier programs", () => {
    const b = program().exit(0);
    const first = b.build();
    b.label("x").exit(1);
    expect(first.instructions).toHaveLength(1);
    expect(first.labels.size).toBe(0);
    expect(b.build().instructions).toHaveLength(2);
  });

  test.each([
    ["bad register", () => program().mov("r8" as never, 1), "dst must be a register name"],
    ["unsafe number", () => program().mov("r0", 2 ** 60), "not a safe integer"],
    ["immediate out of range", () => program().push(2n ** 64n), "out of range"],
    ["non-integer immediate", () => program().push(1.5), "not a safe integer"],
    [
      "bad operand type",
      () => program().push(null as never),
      "must be a register name or an immediate",
    ],
    ["bad label", () => program().jmp("1abc"), "label name"],
    ["duplicate label", () => program().label("a").label("a"), "already defined"],
    ["offset out of range", () => program().load("r0", 65536), "stack offset"],
    ["bad index register", () => program().load("r0", { index: "r9" as never }), "index must be"],
    [
      "too many args",
      () => program().hostcall("h", ["r0", "r1", "r2", "r3", "r4", "r5", "r6"]),
      "at most 6",
    ],
    ["bad host-call name", () => program().hostcall("a-b"), "host-call name"],
    ["bad condition", () => program().br("lte" as never, "r0", 0, "x"), "unknown branch condition"],
  ])("%s: BAD_ARGUMENT, builder unchanged", (_name, f, message) => {
    let error: unknown;
    try {
      f();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IsaError);
    expect((error as IsaError).code).toBe("BAD_ARGUMENT");
    expect((error as IsaError).message).toContain(message);
  });

  test("a failed call leaves the builder unchanged", () => {
    const b = program().mov("r0", 1);
    expect(() => b.hostcall("h", ["r0", "bad" as never])).toThrow(IsaError);
    const p = b.build();
    expect(p.instructions).toHaveLength(1);
    expect(p.hostcalls).toEqual([]);
  });
});
