/**
 * The `omf` command, run in this process (`runCli`, see test/support/cli.ts); two smoke tests run it as a real process
 * (help, and a database that cannot be reached).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { omfInProcess as omf, omfProcess } from "../support/cli.ts";
import { freshDatabase } from "../support/test-database.ts";

const dir = mkdtempSync(join(tmpdir(), "omf-cli-"));

const measure = (over: string) => `
measures:
  - code: local-measure
    title: { en: A local measure }
    layDefinition: { en: What it means }
    technicalDefinition: { en: How it is counted }
    unit: percentage
    multiplier: 100
    valueType: proportion
    polarity: higher_is_better
    accountability: population_indicator
    tier: high_level
    coreAims: [CA1]
    frequency: annual
    periodType: financial_year
    geographies: [local_authority]
    status: live
${over}`;

describe("omf CLI", () => {
  it("prints help for every command", async () => {
    for (const args of [
      ["--help"],
      ["serve", "--help"],
      ["framework", "validate", "--help"],
      ["user", "add", "--help"],
    ]) {
      const r = await omf(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout).toContain("Usage: omf");
    }
  });

  it("refuses to serve in production without a session secret or a public URL", () => {
    const production = { NODE_ENV: "production", OMF_DATA_DIR: dir, DATABASE_URL: "" };
    if (!process.env.SESSION_SECRET) {
      const noSecret = omfProcess(["serve"], { ...production, OMF_PUBLIC_URL: "" });
      expect(noSecret.code).toBe(1);
      expect(noSecret.stderr).toContain("SESSION_SECRET must be set");
    }
    const noUrl = omfProcess(["serve"], { ...production, SESSION_SECRET: "s".repeat(40), OMF_PUBLIC_URL: "" });
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toBe(
      "omf: OMF_PUBLIC_URL must be set when NODE_ENV=production (e.g. https://omf.example.gov.wales)\n",
    );
    const trustAll = omfProcess(["serve"], { OMF_DATA_DIR: dir, DATABASE_URL: "", OMF_TRUST_PROXY: "true" });
    expect(trustAll.code).toBe(1);
    expect(trustAll.stderr).toMatch(/^omf: OMF_TRUST_PROXY "true" is not/);
  }, 600_000);

  it("refuses an unknown command with exit code 2", async () => {
    const r = await omf(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command");
  });

  it("validates the shipped framework", async () => {
    const r = await omf(["framework", "validate", "content/framework", "--standalone"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid \(\d+ measures\)/);
  });

  it("names the file, key and problem for a missing polarity", async () => {
    const file = join(dir, "no-polarity.yaml");
    writeFileSync(file, measure("").replace("    polarity: higher_is_better\n", ""));
    const r = await omf(["framework", "validate", file, "--standalone"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/polarity/);
  });

  it("names the duplicate measure code", async () => {
    const file = join(dir, "duplicate.yaml");
    const one = measure("");
    writeFileSync(file, one + one.replace("measures:\n", ""));
    const r = await omf(["framework", "validate", file, "--standalone"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/local-measure/);
    expect(r.stderr).toMatch(/duplicate/i);
  });

  it("names an unknown core aim", async () => {
    const file = join(dir, "unknown-aim.yaml");
    writeFileSync(file, measure("").replace("coreAims: [CA1]", "coreAims: [CA8]"));
    const r = await omf(["framework", "validate", file, "--standalone"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/CA8/);
  });

  it("runs as a real process: help, and exit 0", () => {
    const r = omfProcess(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: omf");
  }, 180_000);

  it("fails in one line naming the host when DATABASE_URL cannot be reached (a real process)", () => {
    const r = omfProcess(["serve"], { DATABASE_URL: "postgres://omf:pw@127.0.0.1:1/omf", PORT: "0" });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("127.0.0.1:1");
    expect(lines[0]).not.toContain("pw");
  }, 180_000);

  it("manages users", async () => {
    const database = await freshDatabase();
    const env = { database };
    expect((await omf(["seed"], env)).code).toBe(0);
    const add = await omf(
      [
        "user",
        "add",
        "--email",
        "Ed@Cardiff.example",
        "--role",
        "partnership_editor",
        "--area",
        "W06000015",
        "--password-stdin",
      ],
      { ...env, input: "a long enough passphrase\n" },
    );
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    const bad = await omf(["user", "add", "--email", "x@example.org", "--role", "king", "--password-stdin"], {
      ...env,
      input: "a long enough passphrase\n",
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect((await omf(["user", "disable", "--email", "ed@cardiff.example"], env)).code).toBe(0);
    const list = await omf(["user", "list"], env);
    expect(list.stdout).toContain("ed@cardiff.example\tpartnership_editor\tdisabled areas=W06000015");
    await database.close();
  }, 180_000);
});
