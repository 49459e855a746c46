/**
 * A PostgreSQL connection dropped in the middle of `omf import` (issue 11 item 16) is one clear line, not an
 * EPIPE/ECONNRESET stack trace. (An end-to-end test through a cutting proxy is still to be written: its first version
 * imported into an unseeded database.)
 */
import { describe, expect, it } from "vitest";
import { connectionLostMessage } from "../../src/db/database.ts";

describe("the one line for a lost database connection", () => {
  it("names a lost connection and says nothing was committed; other errors are not taken for one", () => {
    for (const error of [
      Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
      Object.assign(new Error("write EPIPE"), { code: "EPIPE" }),
      new Error("Connection terminated unexpectedly"),
    ]) {
      expect(connectionLostMessage(error)).toBe(
        `the connection to the database was lost (${error.message}); what the command was writing has not been committed: run it again when the database is back`,
      );
    }
    expect(connectionLostMessage(new Error("duplicate key value violates unique constraint"))).toBeNull();
    expect(connectionLostMessage(null)).toBeNull();
  });
});
