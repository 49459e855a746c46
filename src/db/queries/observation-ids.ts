/**
 * Ids of observations. Every writer of observation sets holds the import lock (an advisory transaction lock), so a
 * writer can reserve a block of ids from the sequence `observation_ids` in one statement without another writer
 * taking ids in between.
 */

/** The advisory lock held by imports, publications, rollbacks and every other writer of observations. */
export const IMPORT_LOCK_KEY = 7_312_001;

/** Reserves `n` consecutive ids (call holding the import lock); returns the last one as `last`. */
export function reserveObservationIdsSql(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`cannot reserve ${n} observation ids`);
  return `SELECT setval('observation_ids', nextval('observation_ids') + ${n - 1}) AS last`;
}
