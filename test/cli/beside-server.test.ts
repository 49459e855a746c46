/**
 * `omf` commands beside a running `omf serve`, as real processes on a temporary OMF_DATA_DIR (issue 11 item 1: a
 * second process opening the embedded database destroyed it, two imports at once lost a batch, and the server did not
 * see a CLI import until restarted).
 *
 * - A second process never opens the embedded database another holds: a second server is refused in one line saying
 *   what to do, and every other command is handed to the running server, which the server shows at once.
 * - Two imports at once: one runs, the other is refused in one line or runs after it; no batch is lost.
 * - A lock left by a process that died is taken over.
 * - On PostgreSQL (TEST_PG_URL), a change by another process shows on the server within the two seconds the README
 *   promises (polled generously).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyTemplateToDataDir } from "../support/demo-database.ts";
import { pgTemplateName } from "../support/test-database.ts";

const bin = join(import.meta.dirname, "../../bin/omf.js");
const HEADER = "measure_code,area_code,period,value,numerator,denominator\n";

function omf(env: Record<string, string>, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    // no progress lines: on a loaded machine even a two-row import can take the two seconds after which one is printed
    env: { ...process.env, OMF_USER: "", LOG_LEVEL: "silent", OMF_PROGRESS_SECONDS: "86400", ...env },
    input,
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Server {
  child: ChildProcess;
  url: string;
  stop(): Promise<number | null>;
}

/** Starts `omf serve` on a free port and waits until it answers. */
async function serve(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [bin, "serve"], {
    env: { ...process.env, OMF_USER: "", LOG_LEVEL: "silent", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), 500_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /ready at (http:\/\/localhost:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server stopped (exit ${code}): ${out}`));
    });
  });
  return {
    child,
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}

/** GET on a new connection each time (a kept-alive one may be closed by the server between slow steps). */
function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve(body));
      res.on("error", reject);
    }).on("error", reject);
  });
}

/** Polls `check` every 100 ms until it holds or `ms` pass; returns the milliseconds it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "omf-beside-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const CSV_URL = "/api/v1/data.csv?measure=low-birth-weight&area=W06000015";

describe("the embedded database and a running server", { timeout: 600_000 }, () => {
  const dir = dataDir();
  const env = { OMF_DATA_DIR: dir, DATABASE_URL: "" };
  let server: Server;
  beforeAll(async () => {
    await copyTemplateToDataDir(dir, "reference"); // migrated and seeded already: the server starts at once
    server = await serve(env);
  }, 600_000);
  afterAll(async () => {
    if (server && server.child.exitCode === null) await server.stop();
  });

  it("refuses a second server in one line that says what to do", () => {
    const r = omf(env, ["serve", "--port", "0"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^omf: the database in .+ is in use by \`omf serve\` \\(pid ${server.child.pid}\\); stop it first \\(one server per data folder\\)\\n$`,
      ),
    );
    // the lock and the control socket are private to this user
    expect(statSync(join(dir, "pglite.lock")).mode & 0o077).toBe(0);
    expect(statSync(join(dir, ".omf-control")).mode & 0o077).toBe(0);
  });

  it("hands import, batch, analyse and user commands to the server, which shows the change at once", async () => {
    const file = join(dir, "cardiff.csv");
    writeFileSync(
      file,
      `${HEADER}low-birth-weight,W92000004,2022,6.2,1900,30645\nlow-birth-weight,W06000015,2022,12.3,520,4225\n`,
    );
    const dry = omf(env, ["import", file, "--dry-run"]);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("dry run, nothing written");

    const imported = omf(env, ["import", file, "--publish"]);
    expect(imported.code, imported.stderr).toBe(0);
    const batch = /imported 2 rows as batch (\d+)/.exec(imported.stdout)?.[1];
    expect(batch).toBeDefined();
    // the server shows it on the next request, without a restart
    expect(await get(`${server.url}${CSV_URL}`)).toContain("12.3");
    expect(await get(`${server.url}/en/measures/low-birth-weight?area=W06000015`)).toContain("12.3");

    const list = omf(env, ["batch", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${batch}\\tpublished\\tcsv\\tcardiff.csv`, "m"));

    const analysed = omf(env, ["analyse"]);
    expect(analysed.code, analysed.stderr).toBe(0);
    expect(analysed.stdout).toMatch(/analysed 0 measures .* unchanged/);

    const added = omf(
      env,
      ["user", "add", "--email", "a@example.org", "--role", "viewer", "--password-stdin"],
      "a long passphrase here\n",
    );
    expect(added.code, added.stderr).toBe(0);
    expect(omf(env, ["user", "list"]).stdout).toContain("a@example.org\tviewer\tactive");

    const usage = omf(env, ["batch", "publish", "nine"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('omf: "nine" is not a batch number\n');

    const rolled = omf(env, ["batch", "rollback", batch!]);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain(`rolled back batch ${batch}`);
    expect(await get(`${server.url}${CSV_URL}`)).not.toContain("12.3");

    const exported = omf(env, ["export", "--measure", "low-birth-weight"]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain("measure_code");
  });

  it("leaves a database every command can open after the server stops", async () => {
    expect(await server.stop()).toBe(0);
    expect(existsSync(join(dir, "pglite.lock"))).toBe(false);
    const list = omf(env, ["batch", "list"]);
    expect(list.stderr).toBe("");
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split("\n")).toHaveLength(2); // the import and its rollback
  });
});

describe("two processes on one embedded database", { timeout: 600_000 }, () => {
  it("never both open it: one import runs, the other is refused in one line (or runs after it); no batch is lost", async () => {
    const dir = dataDir();
    const env = { OMF_DATA_DIR: dir, DATABASE_URL: "" };
    await copyTemplateToDataDir(dir, "reference"); // so that migrate and seed have little to do
    expect(omf(env, ["migrate"]).code).toBe(0);
    expect(omf(env, ["seed"]).code).toBe(0);
    const las = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24];
    const rows: string[] = [];
    for (let y = 1900; y < 2022; y++) {
      for (const la of las) rows.push(`low-birth-weight,W060000${String(la).padStart(2, "0")},${y},5,50,1000`);
    }
    const big = join(dir, "big.csv");
    writeFileSync(big, `${HEADER}${rows.join("\n")}\n`);
    const small = join(dir, "small.csv");
    writeFileSync(small, `${HEADER}low-birth-weight,W06000002,2022,5,25,500\n`);
    const run = (file: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, "import", file], {
          env: { ...process.env, OMF_USER: "", ...env },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
      });
    const first = run(big);
    await within(60_000, async () => existsSync(join(dir, "pglite.lock")));
    const second = await run(small);
    const one = await first;
    expect(one.code, one.stderr).toBe(0);
    if (second.code !== 0) {
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        /^omf: the database in .+ is in use by `omf import` \(pid \d+\); wait until it has finished, then run the command again\n$/,
      );
    }
    const batches = [one, second].filter((r) => r.code === 0).map((r) => /as batch (\d+)/.exec(r.stdout)![1]);
    expect(new Set(batches).size).toBe(batches.length);
    const list = omf(env, ["batch", "list"]);
    expect(list.code).toBe(0);
    expect(
      list.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("\t")[0])
        .sort(),
    ).toEqual(batches.sort());
  });

  it("takes over a lock left by a process that died", async () => {
    const dir = dataDir();
    const env = { OMF_DATA_DIR: dir, DATABASE_URL: "" };
    await copyTemplateToDataDir(dir, "migrated"); // so that the command after the lock is taken over has little to do
    const gone = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    const pid = Number(gone.stdout.trim());
    writeFileSync(
      join(dir, "pglite.lock"),
      JSON.stringify({ pid, command: "omf import", host: hostname(), started: null }),
    );
    const r = omf(env, ["migrate"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "pglite.lock"))).toBe(false);
  });
});

const pgUrl = process.env.TEST_PG_URL;
// PostgreSQL only: an embedded database is never open in two processes (the tests above)
if (pgUrl)
  describe("PostgreSQL: a change by another process", { timeout: 600_000 }, () => {
    const name = `omf_beside_${randomUUID().replaceAll("-", "")}`;
    const env = { DATABASE_URL: `${pgUrl}/${name}`, OMF_DATA_DIR: "" };
    let server: Server;
    beforeAll(async () => {
      const admin = new pg.Client({ connectionString: `${pgUrl}/postgres` });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplateName()}`);
      await admin.end();
      env.OMF_DATA_DIR = dataDir();
      server = await serve(env);
    }, 600_000);
    afterAll(async () => {
      await server?.stop();
      const admin = new pg.Client({ connectionString: `${pgUrl}/postgres` });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });

    it("shows on a running server within the promised two seconds (polled generously)", async () => {
      const file = join(env.OMF_DATA_DIR, "cardiff.csv");
      writeFileSync(
        file,
        `${HEADER}low-birth-weight,W92000004,2022,6.2,1900,30645\nlow-birth-weight,W06000015,2022,12.3,520,4225\n`,
      );
      await get(`${server.url}/en/measures/low-birth-weight?area=W06000015`); // cached before the change
      const imported = omf(env, ["import", file, "--publish"]);
      expect(imported.code, imported.stderr).toBe(0);
      const batch = /as batch (\d+)/.exec(imported.stdout)![1]!;
      const shown = await within(15_000, async () =>
        (await get(`${server.url}/en/measures/low-birth-weight?area=W06000015`)).includes("12.3"),
      );
      const rolled = omf(env, ["batch", "rollback", batch]);
      expect(rolled.code, rolled.stderr).toBe(0);
      const gone = await within(15_000, async () => !(await get(`${server.url}${CSV_URL}`)).includes("12.3"));
      // generous bounds for a loaded machine; the README promises about two seconds
      expect(shown).toBeLessThan(15_000);
      expect(gone).toBeLessThan(15_000);
    });
  });
