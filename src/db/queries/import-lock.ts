/**
 * The advisory transaction lock held by imports, publications, rollbacks and every other writer of observations, so
 * that they never interleave. The database's own triggers take it too (migration 0003: a set gets its block of ids
 * from `observation_ids` under it).
 */
export const IMPORT_LOCK_KEY = 7_312_001;
