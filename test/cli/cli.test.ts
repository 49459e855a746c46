import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const bin = join(import.meta.dirname, "../../bin/omf.js");

function omf(args: string[], env: Record<string, string> = {}, input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    input,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

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
  it("prints help for every command", () => {
    for (const args of [
      ["--help"],
      ["serve", "--help"],
      ["framework", "validate", "--help"],
      ["user", "add", "--help"],
    ]) {
      const r = omf(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout).toContain("Usage: omf");
    }
  });

  it("refuses to serve in production without a session secret or a public URL", () => {
    const production = { NODE_ENV: "production", OMF_DATA_DIR: dir, DATABASE_URL: "" };
    if (!process.env.SESSION_SECRET) {
      const noSecret = omf(["serve"], { ...production, OMF_PUBLIC_URL: "" });
      expect(noSecret.code).toBe(1);
      expect(noSecret.stderr).toContain("SESSION_SECRET must be set");
    }
    const noUrl = omf(["serve"], { ...production, SESSION_SECRET: "s".repeat(40), OMF_PUBLIC_URL: "" });
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toBe(
      "omf: OMF_PUBLIC_URL must be set when NODE_ENV=production (e.g. https://omf.example.gov.wales)\n",
    );
    const trustAll = omf(["serve"], { OMF_DATA_DIR: dir, DATABASE_URL: "", OMF_TRUST_PROXY: "true" });
    expect(trustAll.code).toBe(1);
    expect(trustAll.stderr).toMatch(/^omf: OMF_TRUST_PROXY "true" is not/);
  }, 300_000);

  it("refuses an unknown command with exit code 2", () => {
    const r = omf(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command");
  });

  it("validates the shipped framework", () => {
    const r = omf(["framework", "validate", "content/framework", "--standalone"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid \(\d+ measures\)/);
  });

  it("names the file, key and problem for a missing polarity", () => {
    const file = join(dir, "no-polarity.yaml");
    writeFileSync(file, measure("").replace("    polarity: higher_is_better\n", ""));
    const r = omf(["framework", "validate", file, "--standalone"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/polarity/);
  });

  it("names the duplicate measure code", () => {
    const file = join(dir, "duplicate.yaml");
    const one = measure("");
    writeFileSync(file, one + one.replace("measures:\n", ""));
    const r = omf(["framework", "validate", file, "--standalone"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/local-measure/);
    expect(r.stderr).toMatch(/duplicate/i);
  });

  it("names an unknown core aim", () => {
    const file = join(dir, "unknown-aim.yaml");
    writeFileSync(file, measure("").replace("coreAims: [CA1]", "coreAims: [CA8]"));
    const r = omf(["framework", "validate", file, "--standalone"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/CA8/);
  });

  it("fails in one line naming the host when DATABASE_URL cannot be reached", () => {
    const r = omf(["serve"], { DATABASE_URL: "postgres://omf:pw@127.0.0.1:1/omf", PORT: "0" });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("127.0.0.1:1");
    expect(lines[0]).not.toContain("pw");
  });

  it("manages users on the embedded database", () => {
    const env = { OMF_DATA_DIR: mkdtempSync(join(tmpdir(), "omf-data-")) };
    expect(omf(["seed"], env).code).toBe(0);
    const add = omf(
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
      env,
      "a long enough passphrase\n",
    );
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    const bad = omf(
      ["user", "add", "--email", "x@example.org", "--role", "king", "--password-stdin"],
      env,
      "a long enough passphrase\n",
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(omf(["user", "disable", "--email", "ed@cardiff.example"], env).code).toBe(0);
    const list = omf(["user", "list"], env);
    expect(list.stdout).toContain("ed@cardiff.example\tpartnership_editor\tdisabled areas=W06000015");
  }, 180_000);
});
