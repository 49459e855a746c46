import { describe, expect, it, onTestFinished } from "vitest";
import { omfInProcess } from "../support/cli.ts";
import { freshDatabase } from "../support/test-database.ts";

describe("omf analyse", () => {
  it("analyses after `omf demo`, then recomputes only on demand", { timeout: 240_000 }, async () => {
    const database = await freshDatabase();
    onTestFinished(() => database.close());
    const omf = (args: string[]) => omfInProcess(args, { database });
    expect((await omf(["demo"])).code).toBe(0);
    const unchanged = await omf(["analyse"]);
    expect(unchanged.code).toBe(0);
    expect(unchanged.stdout).toMatch(/^analysed 0 measures \(0 rows\) in \d+ ms; \d+ unchanged\n$/);
    const forced = await omf(["analyse", "--measure", "low-birth-weight", "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(
      /^low-birth-weight: analysed, \d+ rows, \d+ gaps, \d+ ms\nanalysed 1 measure \(\d+ rows\)/,
    );
    const unknown = await omf(["analyse", "--measure", "no-such-measure"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("omf: no measure with published data matches no-such-measure\n");
  });
});
