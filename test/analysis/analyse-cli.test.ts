import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";

const bin = join(import.meta.dirname, "../../bin/omf.js");

function omf(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: "", ...env },
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("omf analyse", () => {
  it("analyses after `omf demo`, then recomputes only on demand", { timeout: 240_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "omf-analyse-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const env = { OMF_DATA_DIR: dir };
    expect(omf(["demo"], env).code).toBe(0);
    const unchanged = omf(["analyse"], env);
    expect(unchanged.code).toBe(0);
    expect(unchanged.stdout).toMatch(/^analysed 0 measures \(0 rows\) in \d+ ms; \d+ unchanged\n$/);
    const forced = omf(["analyse", "--measure", "low-birth-weight", "--force"], env);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(
      /^low-birth-weight: analysed, \d+ rows, \d+ gaps, \d+ ms\nanalysed 1 measure \(\d+ rows\)/,
    );
    const unknown = omf(["analyse", "--measure", "no-such-measure"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("omf: no measure with published data matches no-such-measure\n");
  });
});
