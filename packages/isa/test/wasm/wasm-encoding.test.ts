/**
 * The WebAssembly encoder against byte sequences worked out by hand from the
 * core specification (release 2.0): LEB128 (§5.2.2), the opcode tables
 * (§5.4) and the module sections (§5.5). The opcode each expectation needs
 * is named next to it.
 */
import { describe, expect, test } from "vitest";
import { IsaError } from "../../src/errors.js";
import { formatWat } from "../../src/wasm/format-wat.js";
import {
  encodeInstruction,
  encodeWasmModule,
  signedLeb128,
  unsignedLeb128,
  type WasmModule,
} from "../../src/wasm/wasm-encoding.js";
import { webAssembly } from "../../src/wasm/webassembly-api.js";

describe("LEB128", () => {
  test.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [624485, [0xe5, 0x8e, 0x26]],
    [0xffff_ffff, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])("unsigned %d", (value, bytes) => {
    expect(unsignedLeb128(value)).toEqual(bytes);
  });

  test.each([
    [0n, 32, [0x00]],
    [-1n, 32, [0x7f]],
    [63n, 32, [0x3f]],
    [64n, 32, [0xc0, 0x00]], // bit 6 set: one more byte so the sign reads positive
    [-64n, 32, [0x40]],
    [-65n, 32, [0xbf, 0x7f]],
    [-123456n, 64, [0xc0, 0xbb, 0x78]],
    [2147483647n, 32, [0xff, 0xff, 0xff, 0xff, 0x07]],
    [-2147483648n, 32, [0x80, 0x80, 0x80, 0x80, 0x78]],
    [0x7fff_ffff_ffff_ffffn, 64, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]],
    [-0x8000_0000_0000_0000n, 64, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]],
  ] as const)("signed %d (%d bits)", (value, bits, bytes) => {
    expect(signedLeb128(value, bits)).toEqual(bytes);
  });

  test("values that do not fit are IsaErrors", () => {
    expect(() => unsignedLeb128(-1)).toThrow(IsaError);
    expect(() => unsignedLeb128(2 ** 32)).toThrow(/0\.\.2\^32-1/);
    expect(() => unsignedLeb128(1.5)).toThrow(IsaError);
    expect(() => signedLeb128(2n ** 31n, 32)).toThrow(/asIntN\(32/);
    expect(() => signedLeb128(2n ** 63n, 64)).toThrow(IsaError);
  });
});

describe("instructions", () => {
  test.each([
    // block 0x02, loop 0x03, if 0x04, each with the empty block type 0x40
    [["block"], [0x02, 0x40]],
    [["loop"], [0x03, 0x40]],
    [["if"], [0x04, 0x40]],
    [["end"], [0x0b]],
    [
      ["br", 3],
      [0x0c, 0x03],
    ],
    [
      ["br_if", 200],
      [0x0d, 0xc8, 0x01],
    ],
    // br_table 0x0e: vec(labelidx) then the default labelidx
    [
      ["br_table", [0, 1], 2],
      [0x0e, 0x02, 0x00, 0x01, 0x02],
    ],
    [
      ["br_table", [], 0],
      [0x0e, 0x00, 0x00],
    ],
    [
      ["local.get", 300],
      [0x20, 0xac, 0x02],
    ],
    [
      ["local.set", 1],
      [0x21, 0x01],
    ],
    [
      ["local.tee", 12],
      [0x22, 0x0c],
    ],
    // memarg: align (log2) then offset, both u32
    [
      ["i64.load", 3, 88],
      [0x29, 0x03, 0x58],
    ],
    [
      ["i32.load", 2, 152],
      [0x28, 0x02, 0x98, 0x01],
    ],
    [
      ["i64.store", 3, 0],
      [0x37, 0x03, 0x00],
    ],
    [
      ["i32.store", 2, 152],
      [0x36, 0x02, 0x98, 0x01],
    ],
    [
      ["i32.const", -1],
      [0x41, 0x7f],
    ],
    [
      ["i64.const", -1n],
      [0x42, 0x7f],
    ],
    [
      ["i64.const", 128n],
      [0x42, 0x80, 0x01],
    ],
    [["i64.add"], [0x7c]],
    [["i64.sub"], [0x7d]],
    [["i64.mul"], [0x7e]],
    [["i64.and"], [0x83]],
    [["i64.or"], [0x84]],
    [["i64.xor"], [0x85]],
    [["i64.shl"], [0x86]],
    [["i64.shr_s"], [0x87]],
    [["i64.shr_u"], [0x88]],
    [["i64.eqz"], [0x50]],
    [["i64.eq"], [0x51]],
    [["i64.ne"], [0x52]],
    [["i64.lt_s"], [0x53]],
    [["i64.lt_u"], [0x54]],
    [["i64.gt_s"], [0x55]],
    [["i64.gt_u"], [0x56]],
    [["i64.le_s"], [0x57]],
    [["i64.le_u"], [0x58]],
    [["i64.ge_s"], [0x59]],
    [["i64.ge_u"], [0x5a]],
    [["i32.le_u"], [0x4d]],
    [["i32.ge_u"], [0x4f]],
    [["i32.add"], [0x6a]],
    [["i32.sub"], [0x6b]],
    [["i32.div_u"], [0x6e]],
    [["i32.shl"], [0x74]],
    [["i32.shr_u"], [0x76]],
    [["i32.wrap_i64"], [0xa7]],
    [["i64.extend_i32_u"], [0xad]],
    [["comment", "not encoded"], []],
  ] as const)("%s", (ins, bytes) => {
    expect(encodeInstruction(ins)).toEqual(bytes);
  });

  test("an unknown instruction is an IsaError", () => {
    expect(() => encodeInstruction(["f64.add"] as never)).toThrow(/no opcode for "f64.add"/);
  });
});

describe("modules", () => {
  const one: WasmModule = {
    memory: { module: "env", name: "memory", minimumPages: 1 },
    functions: [
      {
        name: "one",
        params: [],
        results: ["i32"],
        locals: [],
        body: [["i32.const", 1]],
        export: "one",
      },
    ],
  };

  test("a module with one exported function, byte for byte", () => {
    expect([...encodeWasmModule(one)]).toEqual([
      // magic "\0asm", version 1 (§5.5.16)
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      // type section (id 1), 5 bytes: one functype 0x60, no params, one result i32 (0x7f)
      0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
      // import section (id 2), 15 bytes: "env" "memory", memory (0x02), limits min only (0x00) 1
      0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02,
      0x00, 0x01,
      // function section (id 3): one function of type 0
      0x03, 0x02, 0x01, 0x00,
      // export section (id 7): "one", a function (0x00), index 0
      0x07, 0x07, 0x01, 0x03, 0x6f, 0x6e, 0x65, 0x00, 0x00,
      // code section (id 10): one body of 4 bytes: no locals, i32.const 1 (0x41 0x01), end (0x0b)
      0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x0b,
    ]);
  });

  test("locals are run-length encoded; equal signatures share a type", () => {
    const m: WasmModule = {
      memory: { module: "m", name: "x", minimumPages: 2 },
      functions: [
        {
          name: "f",
          params: ["i32"],
          results: ["i64"],
          locals: ["i64", "i64", "i32"],
          body: [["local.get", 1]],
        },
        { name: "g", params: ["i32"], results: ["i64"], locals: [], body: [["i64.const", 0n]] },
      ],
    };
    const bytes = [...encodeWasmModule(m)];
    // Type section: one type only, (i32) -> (i64).
    expect(bytes.slice(8, 16)).toEqual([0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7e]);
    // Function section: both functions use type 0.
    const fn = bytes.indexOf(0x03, 15);
    expect(bytes.slice(fn, fn + 5)).toEqual([0x03, 0x03, 0x02, 0x00, 0x00]);
    // First body: 2 groups (2 × i64, 1 × i32), local.get 1, end.
    const code = bytes.lastIndexOf(0x0a);
    expect(bytes.slice(code + 3, code + 3 + 9)).toEqual([
      0x08, 0x02, 0x02, 0x7e, 0x01, 0x7f, 0x20, 0x01, 0x0b,
    ]);
    expect(webAssembly()!.validate(Uint8Array.from(bytes))).toBe(true);
  });

  test("the engine runs what the encoder wrote", () => {
    const api = webAssembly()!;
    const memory = new api.Memory({ initial: 1 });
    const m: WasmModule = {
      memory: { module: "env", name: "memory", minimumPages: 1 },
      functions: [
        {
          name: "sum",
          params: ["i32"],
          results: ["i64"],
          locals: ["i64"],
          export: "sum",
          // Sum of the words at 8..8*n, by a loop that counts the parameter down.
          body: [
            ["block"],
            ["loop"],
            ["local.get", 0],
            ["i32.eqz"],
            ["br_if", 1],
            ["local.get", 1],
            ["local.get", 0],
            ["i32.const", 3],
            ["i32.shl"],
            ["i64.load", 3, 0],
            ["i64.add"],
            ["local.set", 1],
            ["local.get", 0],
            ["i32.const", 1],
            ["i32.sub"],
            ["local.set", 0],
            ["br", 0],
            ["end"],
            ["end"],
            ["local.get", 1],
          ],
        },
      ],
    };
    const words = new BigUint64Array(memory.buffer, 0, 8);
    words.set([0n, 5n, 7n, 2n ** 64n - 1n, 100n]);
    const instance = new api.Instance(new api.Module(encodeWasmModule(m)), { env: { memory } });
    const sum = instance.exports.sum as (n: number) => bigint;
    expect(sum(4)).toBe(BigInt.asIntN(64, 5n + 7n - 1n + 100n));
  });

  test("an unbalanced body is an IsaError", () => {
    const bad = (body: WasmModule["functions"][0]["body"]): WasmModule => ({
      ...one,
      functions: [{ ...one.functions[0]!, body }],
    });
    expect(() => encodeWasmModule(bad([["block"]]))).toThrow(/leaves 1 block\(s\) open/);
    expect(() => encodeWasmModule(bad([["end"]]))).toThrow(/"end" without a block/);
  });

  test("the text format names locals and indents by nesting", () => {
    expect(
      formatWat({
        ...one,
        functions: [
          {
            name: "f",
            params: ["i32"],
            results: ["i32"],
            locals: ["i64"],
            localNames: ["p", "x"],
            body: [
              ["block"],
              ["local.get", 0],
              ["i64.load", 3, 8],
              ["local.set", 1],
              ["end"],
              ["local.get", 0],
            ],
          },
        ],
      }),
    ).toBe(
      [
        "(module",
        '  (import "env" "memory" (memory 1))',
        "  (func $f (param $p i32) (result i32)",
        "    (local $x i64)",
        "    block",
        "      local.get $p",
        "      i64.load offset=8",
        "      local.set $x",
        "    end",
        "    local.get $p",
        "  )",
        ")",
        "",
      ].join("\n"),
    );
  });
});
