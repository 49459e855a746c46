/**
 * The embedded database served to a worker thread (src/db/remote-pglite.ts): a transaction the worker asked for that
 * could begin only after serving stopped (it waited for another transaction to end) is rolled back at once, instead
 * of waiting for an end that never comes and holding the database for good (found as a test run that hung: the
 * analysis worker stopped with its app while its "begin" waited).
 */
import { readFileSync } from "node:fs";
import { MessageChannel } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRemotePglite } from "../../src/db/remote-pglite.ts";
import { embeddedTemplateTarball } from "../support/demo-database.ts";

describe("serving the embedded database to a worker thread", () => {
  let client: PGlite;
  beforeAll(async () => {
    client = await PGlite.create({ loadDataDir: new Blob([readFileSync(await embeddedTemplateTarball("migrated"))]) });
  }, 300_000);
  afterAll(async () => {
    // a database still held (the defect this shows) would never finish closing: the test has failed by then
    await Promise.race([client?.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  });

  it("rolls back a transaction that begins after serving stopped, leaving the database free", async () => {
    const channel = new MessageChannel();
    const stop = serveRemotePglite(client, channel.port1);
    // another transaction holds the database while the worker's "begin" arrives
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const other = client.transaction(async (tx) => {
      await tx.query("SELECT 1");
      await held;
    });
    channel.port2.postMessage({ id: 1, op: "begin" });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the request is waiting for the transaction above
    stop(); // the worker's app closes
    release();
    await other;
    const answered = await Promise.race([
      client.query<{ one: number }>("SELECT 1 AS one").then((r) => r.rows[0]!.one),
      new Promise((resolve) => setTimeout(() => resolve("still held"), 10_000)),
    ]);
    expect(answered).toBe(1);
    expect(client.isInTransaction()).toBe(false);
    channel.port2.close();
  }, 60_000);
});
