import { expect, it } from "vitest";
import { quantiles } from "../../../src/stats/quantiles.ts";
import { describeVectors, MismatchLog, num, numOrNull, readVectors, str, type VectorRow } from "./vectors.ts";

const FILE = "quantile.csv";

/** Group key per the README: IndSexReg → IndSexRef+ParentCode, IndSex → IndSexRef, None → whole GroupSet. */
function groupKey(row: VectorRow): string {
  const set = str(row, "GroupSet");
  if (set === "IndSexReg") return `${str(row, "Test")}|IndSexReg|${str(row, "IndSexRef")}|${str(row, "ParentCode")}`;
  if (set === "IndSex") return `${str(row, "Test")}|IndSex|${str(row, "IndSexRef")}`;
  if (set === "None") return "None";
  throw new Error(`unknown GroupSet ${set}`);
}

const rowId = (row: VectorRow) =>
  ["Test", "GroupSet", "IndSexRef", "ParentCode", "AreaCode"].map((c) => str(row, c)).join("/");

describeVectors(FILE, () => {
  const groups = () => {
    const out = new Map<string, VectorRow[]>();
    for (const row of readVectors(FILE)) {
      const key = groupKey(row);
      out.set(key, [...(out.get(key) ?? []), row]);
    }
    return out;
  };
  const invertOf = (members: VectorRow[]) =>
    str(members[0]!, "GroupSet") === "None" ? true : members.map((r) => str(r, "invert_polarity") === "TRUE");

  it("assigns the expected quantile to every upstream test row", () => {
    const log = new MismatchLog();
    for (const [key, members] of groups()) {
      if (members.some((r) => str(r, "Test") === "BadPolarity")) continue;
      const got = quantiles(
        members.map((r) => numOrNull(r, "Value")),
        { n: num(members[0]!, "nquantiles"), invert: invertOf(members) },
      );
      members.forEach((row, i) => {
        if (!str(row, "used_in_upstream_tests").startsWith("yes")) return;
        log.check(`${rowId(row)} [${key}]`, "quantile", got[i], row.expected_quantile, { rel: 0 });
      });
    }
    log.assertClean(982);
  });

  it("rejects a group whose invert flag differs between rows (BadPolarity)", () => {
    const bad = [...groups().values()].filter((m) => m.some((r) => str(r, "Test") === "BadPolarity"));
    expect(bad.length).toBe(1);
    for (const members of bad) {
      expect(() =>
        quantiles(
          members.map((r) => numOrNull(r, "Value")),
          { n: num(members[0]!, "nquantiles"), invert: invertOf(members) },
        ),
      ).toThrow(/same value/);
    }
  });
});
