import { it } from "vitest";
import { type BenchmarkComparison, compareWithBenchmark } from "../../../src/stats/benchmark.ts";
import type { ComparisonMethod, Polarity } from "../../../src/stats/types.ts";
import { describeVectors, MismatchLog, num, numOrNull, readVectors, str } from "./vectors.ts";

const FILE = "fingertips_benchmark_comparison.csv";

const POLARITY: Record<string, Polarity> = {
  RAG_low_is_good: "lower_is_better",
  RAG_high_is_good: "higher_is_better",
  BOB: "no_judgement",
};

/** Fingertips' raw Significance enum (after polarity adjustment) for our result. */
function fingertipsEnum(r: BenchmarkComparison, method: string): string {
  if (r.significance === "not_compared") return "None";
  if (r.significance === "similar") return "Same";
  const up = r.significance === "better" || r.significance === "higher";
  if (method === "single_ci_two_levels" && r.level === 99.8) return up ? "Best" : "Worst";
  return up ? "Better" : "Worse";
}

/** Fingertips UI label for our result. */
function fingertipsLabel(r: BenchmarkComparison, method: string): string {
  if (method === "single_ci_two_levels" && r.level === 99.8) {
    if (r.significance === "better") return "Best";
    if (r.significance === "worse") return "Worst";
  }
  const labels: Record<BenchmarkComparison["significance"], string> = {
    not_compared: "Not compared",
    similar: "Similar",
    better: "Better",
    worse: "Worse",
    higher: "Higher",
    lower: "Lower",
  };
  return labels[r.significance];
}

describeVectors(FILE, () => {
  it("matches every Fingertips comparison (enum, label and level)", () => {
    const rows = readVectors(FILE);
    const log = new MismatchLog();
    for (const row of rows) {
      const id = str(row, "case_id");
      const method = str(row, "method") as ComparisonMethod;
      const polarity = POLARITY[str(row, "polarity")];
      if (!polarity) throw new Error(`${id}: unknown polarity ${str(row, "polarity")}`);
      const cv = numOrNull(row, "confidence_variable");
      const options =
        method === "spc_proportion"
          ? // Fingertips' rounded confidence variables (1.96 / 3.0902) are passed as z.
            { method, polarity, unit: num(row, "unit"), z: cv!, confidence: cv === 1.96 ? 0.95 : 0.998 }
          : method === "spc_dsr"
            ? { method, polarity, unit: num(row, "unit"), confidence: cv === 0.025 ? 0.95 : 0.998 }
            : { method, polarity };
      const result = compareWithBenchmark(
        {
          value: numOrNull(row, "value"),
          lower95: numOrNull(row, "lower95"),
          upper95: numOrNull(row, "upper95"),
          lower998: numOrNull(row, "lower99_8"),
          upper998: numOrNull(row, "upper99_8"),
          denominator: numOrNull(row, "denominator"),
        },
        {
          value: numOrNull(row, "benchmark_value"),
          lower95: numOrNull(row, "benchmark_lower95"),
          upper95: numOrNull(row, "benchmark_upper95"),
        },
        options,
      );
      const gotEnum = fingertipsEnum(result, method);
      log.checkLabel(id, "expected_significance", gotEnum, row.expected_significance);
      log.checkLabel(id, "expected_label", fingertipsLabel(result, method), row.expected_label);
      // Significant results carry the level they were found at; similar / not compared carry none.
      const significant = result.significance !== "similar" && result.significance !== "not_compared";
      let expectedLevel: number | null = null;
      if (significant) {
        if (method === "single_ci_two_levels") expectedLevel = gotEnum === "Best" || gotEnum === "Worst" ? 99.8 : 95;
        else if (method.startsWith("spc")) expectedLevel = cv === 1.96 || cv === 0.025 ? 95 : 99.8;
        else expectedLevel = 95;
      }
      log.check(id, "level", result.level, expectedLevel, { rel: 0 });
    }
    log.assertClean(47 * 3);
  });
});
