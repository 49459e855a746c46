import { expect, it } from "vitest";
import { byarsLimits } from "../../../src/stats/byars.ts";
import { wilsonLimits } from "../../../src/stats/wilson.ts";
import { CLOSED_FORM, describeVectors, MismatchLog, readVectors, req, str } from "./vectors.ts";

describeVectors("conformance: byars_wilson_primitives.csv (METHODS §2, §3)", () => {
  it("reproduces every Byar and Wilson primitive", () => {
    const rows = readVectors("byars_wilson_primitives.csv");
    expect(rows).toHaveLength(16);
    const log = new MismatchLog();
    for (const row of rows) {
      const id = str(row["case_id"]);
      const method = str(row["method"]);
      const confidence = req(row["confidence"]);
      const limits =
        method === "Byars"
          ? byarsLimits(req(row["x"]), confidence)
          : wilsonLimits(req(row["x"]), req(row["n"]), confidence);
      log.check(id, "lower", limits.lower, row.lower, CLOSED_FORM);
      log.check(id, "upper", limits.upper, row.upper, CLOSED_FORM);
    }
    log.assertClean(32);
  });
});
