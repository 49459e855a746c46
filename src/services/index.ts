/**
 * The composition root: every service of the application, built once from the database, the configuration and the
 * logger. Web routes, the API and CLI commands receive this object and never the database (the architecture test
 * checks that they do not import src/db). Each service is a small object of use cases; the functions they wrap stay
 * importable for unit tests.
 */
import { join } from "node:path";
import type { Writable } from "node:stream";
import { type Config, loadConfig } from "../config.ts";
import type { Database } from "../db/database.ts";
import { openDatabase } from "../db/database.ts";
import { batchRowCount, listBatches } from "../db/queries/batches.ts";
import { findCurrentFramework, listMeasures, listSources } from "../db/queries/framework.ts";
import { type BackupManifest, backupDatabase, restoreDatabase } from "../db/backup.ts";
import { pingDatabase, pendingMigrations } from "../db/queries/health.ts";
import { deleteExpiredSessions, deleteSession, findSession, saveSession } from "../db/queries/sessions.ts";
import { findUserByEmail, findUserById, listUsers, setUserDisabled, type UserRecord } from "../db/queries/users.ts";
import type { FrameworkFile } from "../ingest/framework/framework-file-schema.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { createUser, type NewUser, pruneLoginAttempts, signIn } from "./accounts.ts";
import { createAgreementsService } from "./agreements/index.ts";
import { logAnalysisFailure } from "./analysis/background.ts";
import type { AnalyseOptions, AnalyseReport } from "./analysis/index.ts";
import { authenticateToken, createApiToken, listTokens, revokeToken } from "./api-tokens.ts";
import { createAuditLog } from "./audit.ts";
import { type AnalysisMode, createDataChanges } from "./data-changes.ts";
import { removeDemoData, seedDemoData } from "./demo-data.ts";
import { createFrameworkService } from "./framework-service.ts";
import { publishBatch, rollbackBatch, valueHistory } from "./import/batches.ts";
import { type ExportOptions, exportObservations } from "./import/export.ts";
import { type ImportOptions, runImport } from "./import/run-import.ts";
import type { ImportSummary } from "./import/summary.ts";
import { createUploads } from "./import/uploads.ts";
import { type Actor, importFramework } from "./import-framework.ts";
import { createPlansService } from "./plans/index.ts";
import { createPlanReview } from "./plans/review.ts";
import { createPlanVersions } from "./plans/versions.ts";
import { createPublicViews } from "./public/index.ts";
import { ensureSeeded, knownFrameworkCodes, seedReferenceData } from "./seed.ts";
import { createWorkflow, type WorkflowDefinition } from "./workflow.ts";
import { createAgendaService } from "./reports/agenda.ts";
import { analysisAsAt, plansPublishedBy } from "./reports/as-at.ts";

export { liveHolder } from "../db/data-dir-lock.ts";
export type { Database } from "../db/database.ts";
/** For the CLI: the one line for a lost database connection, and who holds an embedded database folder. */
export { connectionLostMessage } from "../db/database.ts";
export type { UserRecord } from "../db/queries/users.ts";
export { logAnalysisFailure } from "./analysis/background.ts";

export interface ServiceDependencies {
  database: Database;
  config?: Config | undefined;
  logger?: Logger | undefined;
  /** Where the analysis runs: a worker thread (a server: default) or this thread (a one-shot command). */
  analysis?: AnalysisMode | undefined;
}

export function createServices({
  database,
  config = loadConfig(),
  logger = silentLogger(),
  analysis = "worker",
}: ServiceDependencies) {
  const db = database.db;
  const framework = createFrameworkService(db);
  const publicViews = createPublicViews(db, framework);
  const log = (name: string) => logger.child({ service: name });

  const analysisLog = log("analysis");
  /** Logs what an analysis run did, and every measure that failed. */
  const reportAnalysis = (report: AnalyseReport): AnalyseReport => {
    for (const m of report.measures) {
      if (m.status === "failed") analysisLog.error({ measure: m.measureCode, error: m.error }, "analysis failed");
    }
    if (report.analysed > 0 || report.failed > 0) {
      analysisLog.info(
        { analysed: report.analysed, rows: report.rows, failed: report.failed, ms: Math.round(report.ms) },
        "analysis updated",
      );
    }
    return report;
  };

  /** Imports, publications, rollbacks and framework imports under way: closing waits for them to finish. */
  const writes = new Set<Promise<unknown>>();
  const finishing = <T>(start: () => Promise<T>): Promise<T> => {
    const work = start();
    writes.add(work);
    const done = () => writes.delete(work);
    work.then(done, done);
    return work;
  };

  const importLog = log("imports");
  const batchLog = log("batches");
  /** After published data change: fresh views and analysis before the change is reported done. */
  const dataChanges = createDataChanges(database, {
    mode: analysis,
    memoryMb: config.analysisMemoryMb,
    dropCachedViews: () => publicViews.cache.clear(),
    holdCachedViews: () => publicViews.cache.hold(),
    onReport: reportAnalysis,
    onError: (error) => logAnalysisFailure(analysisLog, error),
  });
  const plans = createPlansService({ database, framework, publicViews });

  return {
    config,
    logger,
    /** Which database this is ("PostgreSQL postgres://…", "embedded database ./data/pglite"), for messages. */
    databaseDescription: database.description,
    databaseKind: database.kind,
    framework,
    /** Read side of the public pages and the open data API (published, disclosure-controlled data only). */
    publicViews,
    /** Partnership plans under outcomes-based accountability. */
    plans,
    /** Submitting, returning, approving and publishing plans, with review comments. */
    planReview: createPlanReview({ database, plans }),
    /** Versions of a plan: starting a new version of an approved or published plan, comparing two versions. */
    planVersions: createPlanVersions({ database, plans }),
    /** Outcome agreements: schemes, agreements, self-assessment, moderation and the grant payable. */
    agreements: createAgreementsService({ database, framework, publicViews }),
    /** National reports (issue 15): what the children's rights report reads as at a date. */
    reports: {
      /** The data development agenda: stages of measures in development, coverage gaps, tasks for further action. */
      agenda: createAgendaService({ db, framework }),
      analysisAsAt: (until: Date) => analysisAsAt(db, until),
      plansPublishedBy: (until: Date) => plansPublishedBy(db, until),
    },
    /** The one writer of the audit log. */
    audit: createAuditLog(db),
    /** A workflow (draft → submitted → returned/approved → published → superseded) for a kind of thing. */
    workflow: <S>(definition: WorkflowDefinition<S>) => createWorkflow(db, definition),

    accounts: {
      create: (input: NewUser) => createUser(db, input),
      signIn: (email: string, password: string, ip: string) => signIn(db, email, password, ip),
      /** The user of a session, or null when unknown or disabled. */
      activeUser: async (id: number): Promise<UserRecord | null> => {
        const user = await findUserById(db, id);
        return user && !user.disabledAt ? user : null;
      },
      findByEmail: (email: string) => findUserByEmail(db, email),
      list: () => listUsers(db),
      setDisabled: (email: string, disabled: boolean) => setUserDisabled(db, email, disabled),
      /** Deletes sign-in attempts past their retention (30 days); returns how many. */
      pruneLoginAttempts: (now?: Date) => pruneLoginAttempts(db, now),
    },

    /** Web sessions, stored in the database so they survive restarts and work across processes. */
    sessions: {
      save: (id: string, data: Record<string, unknown>, expires: Date) => saveSession(db, id, data, expires),
      find: (id: string) => findSession(db, id),
      destroy: (id: string) => deleteSession(db, id),
      /** Deletes sessions past their expiry; returns how many. */
      deleteExpired: () => deleteExpiredSessions(db),
    },

    tokens: {
      create: (input: { email: string; name: string }) => createApiToken(db, input),
      authenticate: (token: string) => authenticateToken(db, token),
      list: () => listTokens(db),
      revoke: (id: number) => revokeToken(db, id),
    },

    imports: {
      /** Validates a file and imports it all or nothing (or only checks it, with `dryRun`). */
      run: (path: string, options: ImportOptions): Promise<ImportSummary> =>
        finishing(async () => {
          const summary = await runImport(database, path, options);
          if (summary.ok && summary.batch && options.publish) await dataChanges.changed();
          importLog.info(
            {
              file: summary.file,
              actor: options.actor.name,
              ok: summary.ok,
              dryRun: summary.dryRun,
              batch: summary.batch,
              counts: summary.counts,
              seconds: summary.seconds,
            },
            summary.ok ? (summary.dryRun ? "import checked" : "import done") : "import refused",
          );
          return summary;
        }),
      /** What the upload form offers: the current framework's measures and the sources. */
      formOptions: async () => {
        const current = await findCurrentFramework(db);
        const measures = current ? await listMeasures(db, current.id) : [];
        return { measures, sources: await listSources(db) };
      },
    },

    batches: {
      list: (limit?: number) => listBatches(db, limit),
      rowCount: (id: number) => batchRowCount(db, id),
      publish: (id: number, options: Parameters<typeof publishBatch>[2]) =>
        finishing(async () => {
          const result = await publishBatch(database, id, options);
          if (!result.embargoed) await dataChanges.changed();
          batchLog.info({ batch: id, actor: options.actor.name, publishAt: result.publishAt }, "batch published");
          return result;
        }),
      rollback: (id: number, options: Parameters<typeof rollbackBatch>[2]) =>
        finishing(async () => {
          const result = await rollbackBatch(database, id, options);
          if (result.status === "published") await dataChanges.changed();
          batchLog.info(
            { batch: id, actor: options.actor.name, rollback: result.rollbackBatchId },
            "batch rolled back",
          );
          return result;
        }),
      history: (key: Parameters<typeof valueHistory>[1]) => valueHistory(database, key),
    },

    exports: {
      /** Writes published values (disclosure control applied) to `out`. */
      observations: (out: Writable, options: ExportOptions) => exportObservations(database, out, options),
    },

    uploads: createUploads(config),

    analysis: {
      /** Recomputes the stored analysis (in the analysis worker in a server, never on the request path). */
      analyse: (measureCodes?: readonly string[], options?: AnalyseOptions) =>
        dataChanges.analyse(measureCodes, options),
      /**
       * In a server: every two seconds, notices published data changed by any process or an embargo passing, and
       * brings the analysis up to date in the worker.
       */
      watch: () => dataChanges.watch(),
      /** Stops the watch and the analysis worker. */
      stop: () => dataChanges.close(),
    },

    /** The shipped framework and areas, demo data, and framework content files. */
    content: {
      ensureSeeded: () => ensureSeeded(db),
      seed: () => seedReferenceData(db),
      seedDemo: (options: { onlyIfEmpty: boolean }) => seedDemoData(db, options),
      /** Removes every illustrative observation and the demo batch; real data are untouched. */
      removeDemo: () => removeDemoData(db),
      knownCodes: () => knownFrameworkCodes(db),
      importFramework: (content: FrameworkFile, actor: Actor) => finishing(() => importFramework(db, content, actor)),
    },

    health: {
      /** Whether the database answers, and how fast; never the error's text (it is logged). */
      check: async (): Promise<{ ok: boolean; kind: string; latencyMs?: number }> => {
        const started = performance.now();
        try {
          await pingDatabase(db);
          return { ok: true, kind: database.kind, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
        } catch (error) {
          log("health").error({ err: error }, "database check failed");
          return { ok: false, kind: database.kind };
        }
      },
      /**
       * Whether the server can serve: the database answers and every migration shipped with this version is applied
       * (a database restored from an older backup, or migrated by an older version, is not ready until migrated).
       */
      ready: async (): Promise<{ ok: boolean; kind: string; pendingMigrations?: number }> => {
        try {
          const pending = await pendingMigrations(db);
          return { ok: pending === 0, kind: database.kind, pendingMigrations: pending };
        } catch (error) {
          log("health").error({ err: error }, "readiness check failed");
          return { ok: false, kind: database.kind };
        }
      },
    },

    backup: {
      /** Writes a consistent backup of the whole database into `dir` (new or empty); see src/db/backup.ts. */
      create: async (dir: string): Promise<BackupManifest> => {
        const manifest = await backupDatabase(database, dir);
        log("backup").info(
          { dir, database: manifest.database, tables: Object.keys(manifest.tables).length },
          "backup written",
        );
        return manifest;
      },
    },

    /** The lock of an on-disk embedded database (a server records its control socket in it). */
    lock: database.kind === "pglite" ? database.lock : undefined,
    migrate: () => database.migrate(),
    /** How many imports, publications, rollbacks and framework imports are under way. */
    writesInProgress: () => writes.size,
    /** Closes the database once the imports, publications and rollbacks under way have finished. */
    close: async () => {
      while (writes.size > 0) await Promise.allSettled([...writes]);
      await dataChanges.close();
      await database.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;

/**
 * Restores the backup in `dir` into the configured database, which must be empty (a new DATABASE_URL database, or a
 * missing or empty embedded data folder); the row count of every table is checked against the backup.
 */
export function restoreBackup(config: Config, dir: string): Promise<BackupManifest> {
  return restoreDatabase(dir, { url: config.databaseUrl, dataDir: join(config.dataDir, "pglite") });
}
export type { BackupManifest } from "../db/backup.ts";

/** Opens the configured database (migrated) and composes the services on it: for the CLI and the server. */
export async function openServices(
  config: Config,
  logger?: Logger,
  options: { holder?: string; analysis?: AnalysisMode } = {},
): Promise<Services> {
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: join(config.dataDir, "pglite"),
    holder: options.holder,
  });
  try {
    await database.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  return createServices({ database, config, logger, analysis: options.analysis });
}
