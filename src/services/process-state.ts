/**
 * What the CLI needs before it opens any service, without loading the services (so `omf --help` stays quick): the
 * one line for a lost database connection or a full disk, and who holds the embedded database.
 */
export { connectionLostMessage, databaseUnavailable, diskFullMessage } from "../db/connection-lost.ts";
export { liveHolder } from "../db/data-dir-lock.ts";
