import { describe, expect, it } from "vitest";
import { compareWith, rowFromSamples, spreadOf } from "../../isa/bench/bench-json.js";
import { parseRows, UNGROUPED } from "../src/results.js";

describe("rows", () => {
  it("spreadOf gives min, median (mean of the middle two for an even count) and max", () => {
    expect(spreadOf([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(() => spreadOf([])).toThrow(/no samples/);
  });

  it("a row's ratio is its value over its peer's, and names the peer", () => {
    const peer = rowFromSamples({ name: "raw", unit: "ns", group: "g" }, [10, 12, 11]);
    const row = rowFromSamples({ name: "ours", unit: "ns", group: "g" }, [16, 17, 15], peer);
    expect(row).toMatchObject({ value: 16, peer: "raw", ratio: 16 / 11 });
    expect(
      rowFromSamples({ name: "x", unit: "ns", group: "g" }, [3, 1, 2], undefined, "min").value,
    ).toBe(1);
    expect(compareWith(peer, undefined)).toBe(peer);
  });

  it("parseRows reads JSON lines and names a bad line", () => {
    const good =
      '{"name":"a","unit":"ns","group":"g","value":1,"spread":{"min":1,"median":1,"max":1},"peer":null,"ratio":null}';
    expect(parseRows(`${good}\n\n${good}\n`)).toHaveLength(2);
    expect(() => parseRows(`${good}\n{oops`, "rows.jsonl")).toThrow(/rows\.jsonl:2: not JSON/);
    expect(() => parseRows('{"name":"a","unit":"ns","group":"g","value":"1"}', "r")).toThrow(
      /r:1: "value" must be a number/,
    );
  });

  it("parseRows completes a row that leaves out group, spread or a peer's name, and says so", () => {
    const warnings: string[] = [];
    const [row] = parseRows(
      '{"name":"select","unit":"ns","value":120,"peer":60,"ratio":2}',
      "r",
      (m) => warnings.push(m),
    );
    expect(row).toEqual({
      name: "select",
      unit: "ns",
      value: 120,
      group: UNGROUPED,
      spread: { min: 120, median: 120, max: 120 },
      peer: "60.00 ns",
      ratio: 2,
    });
    expect(warnings).toEqual(["r:1 (select): no group, spread, peer as a name; completed"]);
    const [named] = parseRows(
      '{"name":"select","unit":"ns","value":120,"peer":60,"peerName":"Promise.race","ratio":2}',
    );
    expect(named!.peer).toBe("Promise.race: 60.00 ns");
  });
});
