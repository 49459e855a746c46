/**
 * `omf import`, `omf export`, `omf batch list|publish|rollback|history` and `omf token create|list|revoke`.
 * Problems are one line each on stderr; exit 1 for validation errors or a refused operation, 2 for usage errors.
 */
import { createWriteStream, existsSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Command } from "commander";
import type { Config } from "../config.ts";
import { EXPORT_FORMATS, type ExportFormat, TABLE_FORMATS as IMPORT_FORMATS } from "../domain/file-formats.ts";
import type { Mapping } from "../ingest/observations/mapping.ts";
import { type IssueGroup, rowRangesText } from "../services/import/issue-groups.ts";
import type { ImportActor, ImportFormat, ImportProgress } from "../services/import/run-import.ts";
import type { Services } from "../services/index.ts";
import { CliError, withServices } from "./context.ts";
import { cliIo, cliPath } from "./io.ts";

// The readers and services are loaded by the commands that use them (not by `omf --help`): these two check an error
// against classes whose modules are loaded by then.
async function isMappingError(error: unknown): Promise<boolean> {
  const { MappingError } = await import("../ingest/observations/mapping.ts");
  return error instanceof MappingError;
}

async function isBatchError(error: unknown): Promise<boolean> {
  const { BatchError } = await import("../services/import/batches.ts");
  return error instanceof BatchError;
}

/**
 * A group of issues (the same problem on many rows) as lines: "error: FILE: rows 2–24, 30, column …: message", then
 * the likely fix where there is one.
 */
export function formatIssueGroup(file: string, g: IssueGroup): string[] {
  const single = g.ranges.length === 1 && g.ranges[0]![0] === g.ranges[0]![1];
  const rows =
    g.ranges.length === 0 || (single && g.ranges[0]![0] === 0)
      ? ""
      : `${single ? "row" : "rows"} ${rowRangesText(g.ranges)}`;
  const where = [rows, g.column ? `column "${g.column}"` : "", g.value ? `value "${g.value}"` : ""]
    .filter(Boolean)
    .join(", ");
  const lines = [`${g.severity}: ${file}: ${where ? `${where}: ` : ""}${g.message}`];
  if (g.code === "unknown_measure") {
    const near = g.nearestMeasures?.length ? ` (nearest by name: ${g.nearestMeasures.join(", ")})` : "";
    lines.push(
      `  likely fix: give the measure of every row with --measure CODE${near}, or map the text to a measure code in a mapping file`,
    );
  }
  return lines;
}

function parseTime(text: string | undefined, flag: string): Date | undefined {
  if (text === undefined) return undefined;
  const s = text.trim();
  // A date alone means midnight UTC; a time without a zone is read as UTC.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}Z`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    throw new CliError(`${flag} "${text}" is not a date and time (e.g. 2026-03-31T09:30:00Z or 2026-03-31)`, 2);
  }
  return d;
}

function parseId(text: string): number {
  if (!/^\d+$/.test(text)) throw new CliError(`"${text}" is not a batch number`, 2);
  return Number(text);
}

async function actorFor(services: Services, config: Config, email: string | undefined): Promise<ImportActor> {
  const who = email ?? config.cliUser;
  if (!who) return { userId: null, name: `cli:${userInfo().username}` };
  const user = await services.accounts.findByEmail(who);
  if (!user) throw new CliError(`no user with email ${who} (--user)`, 2);
  if (user.disabledAt) throw new CliError(`user ${who} is disabled`, 1);
  return { userId: user.id, name: `cli:${user.email}` };
}

/** A progress bar on a terminal; otherwise a plain line every two seconds (OMF_PROGRESS_SECONDS to change it). */
async function progressReporter(
  file: string,
  config: Config,
): Promise<{ update(p: ImportProgress): void; stop(): void }> {
  if (cliIo().stderrIsTTY) {
    const { default: cliProgress } = await import("cli-progress");
    const bar = new cliProgress.SingleBar(
      {
        format: " {bar} {percentage}% | {rows} rows | {rate} rows/s | {written} written",
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const total = p.totalBytes ?? 1;
        const payload = { rows: p.rows, written: p.written, rate: p.seconds > 0 ? Math.round(p.rows / p.seconds) : 0 };
        if (!started) {
          bar.start(total, 0, payload);
          started = true;
        }
        bar.update(Math.min(p.bytesRead, total), payload);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  const every = config.progressSeconds;
  return {
    update(p) {
      if (p.phase === "done" || p.seconds - last < every) return;
      last = p.seconds;
      const rate = p.seconds > 0 ? Math.round(p.rows / p.seconds) : 0;
      cliIo().stderr.write(`omf import: ${file}: ${p.rows} rows read, ${p.written} written (${rate} rows/s)\n`);
    },
    stop() {},
  };
}

export function registerImportCommands(program: Command): void {
  program
    .command("import")
    .argument("<file>", "a tidy CSV/TSV, an XLSX workbook, a wide table (CSV or XLSX) or a JSON-stat 2.0 file")
    .description("validate and import observations (all or nothing); see docs/data-format.md")
    .option("--format <format>", `${IMPORT_FORMATS.join(" | ")} (default: from the file extension)`)
    .option("--measure <code>", "the measure of every row (wide tables, files without a measure column)")
    .option("--mapping <file>", "a mapping file (YAML or JSON): measure text, column names, dimension mapping")
    .option("--source <code>", "the data source recorded on the batch (a source code of the framework)")
    .option("--reason <text>", "why the data is loaded or changed (recorded on every new revision)")
    .option("--dry-run", "validate and show what would change (new, revised, unchanged); write nothing")
    .option("--publish", "publish the batch at once (default: a draft to publish later)")
    .option("--publish-at <time>", "publish under embargo at this date and time (ISO 8601, UTC unless a zone is given)")
    .option("--user <email>", "the user who makes the import (default $OMF_USER, else the login name)")
    .option("--json", "print a machine-readable summary on stdout")
    .action(
      async (
        file: string,
        opts: {
          format?: string;
          measure?: string;
          mapping?: string;
          source?: string;
          reason?: string;
          dryRun?: boolean;
          publish?: boolean;
          publishAt?: string;
          user?: string;
          json?: boolean;
        },
      ) => {
        if (opts.format && !(IMPORT_FORMATS as readonly string[]).includes(opts.format)) {
          throw new CliError(`--format must be one of ${IMPORT_FORMATS.join(", ")}`, 2);
        }
        const path = cliPath(file);
        if (!existsSync(path) || !statSync(path).isFile()) throw new CliError(`cannot read ${file}: no such file`, 2);
        const publishAt = parseTime(opts.publishAt, "--publish-at");
        let mapping: Mapping | undefined;
        if (opts.mapping) {
          if (!existsSync(cliPath(opts.mapping))) throw new CliError(`cannot read mapping file ${opts.mapping}`, 2);
          try {
            const { readMappingFile } = await import("../ingest/observations/mapping.ts");
            mapping = await readMappingFile(cliPath(opts.mapping));
          } catch (error) {
            if (await isMappingError(error)) throw new CliError((error as Error).message, 1);
            throw error;
          }
        }
        await withServices(async (services, config) => {
          const actor = await actorFor(services, config, opts.user);
          const progress = await progressReporter(file, config);
          const summary = await services.imports
            .run(path, {
              format: opts.format as ImportFormat | undefined,
              measure: opts.measure,
              mapping,
              source: opts.source,
              reason: opts.reason,
              dryRun: opts.dryRun === true,
              publish: opts.publish === true || publishAt !== undefined,
              publishAt,
              actor,
              onProgress: (p) => progress.update(p),
            })
            .finally(() => progress.stop());
          // the same problem on many rows is said once, with its rows as ranges
          for (const g of [...summary.errorGroups, ...summary.warningGroups]) {
            cliIo().stderr.write(`${formatIssueGroup(file, g).join("\n")}\n`);
          }
          if (opts.json) cliIo().stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
          else {
            if (summary.ok && summary.revised.length > 0) {
              cliIo().stdout.write("revised values (old -> new):\n");
              for (const r of summary.revised) {
                const bd = r.breakdown === "total" ? "" : ` ${r.breakdown}`;
                cliIo().stdout.write(
                  `  row ${r.row}: ${r.measureCode} ${r.areaCode} ${r.period}${bd}: ${r.old.value ?? "(empty)"} -> ${r.new.value ?? "(empty)"}\n`,
                );
              }
              if (summary.revisedTruncated) {
                cliIo().stdout.write(`  ... and ${summary.counts.revised - summary.revised.length} more\n`);
              }
            }
            if (summary.ok) cliIo().stdout.write(`${summary.message} [${summary.rowsPerSecond} rows/s]\n`);
          }
          if (!summary.ok) throw new CliError(summary.message, 1);
        });
      },
    );

  program
    .command("export")
    .description("export published values (disclosure control applied); the export re-imports to the same data")
    .option("--measure <code...>", "measure code(s) (default: all)")
    .option("--area <code...>", "area code(s) (default: all)")
    .option("--format <format>", `${EXPORT_FORMATS.join(" | ")} (json is JSON-stat 2.0)`, "csv")
    .option("--as-at <time>", "what was published at this date and time (default: now)")
    .option("--output <file>", "write to a file (default: standard output)")
    .action(async (opts: { measure?: string[]; area?: string[]; format: string; asAt?: string; output?: string }) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) {
        throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(", ")}`, 2);
      }
      if (opts.format === "xlsx" && !opts.output && cliIo().stdoutIsTTY) {
        throw new CliError("an XLSX export is binary: give --output FILE or redirect standard output", 2);
      }
      const asAt = parseTime(opts.asAt, "--as-at");
      await withServices(async (services) => {
        const out: Writable = opts.output ? createWriteStream(cliPath(opts.output)) : cliIo().stdout;
        const { rows } = await services.exports.observations(out, {
          format: opts.format as ExportFormat,
          measureCodes: opts.measure,
          areaCodes: opts.area?.map((a) => a.toUpperCase()),
          asAt,
        });
        if (opts.output) {
          if (opts.format !== "xlsx") out.end();
          if (!out.writableFinished) await finished(out);
          cliIo().stderr.write(`exported ${rows} values to ${opts.output}\n`);
        }
      });
    });

  const batch = program.command("batch").description("list, publish and roll back import batches; value history");

  batch
    .command("list")
    .description("list import batches, newest first")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      await withServices(async ({ batches }) => {
        const rows = await batches.list();
        if (opts.json) {
          cliIo().stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        for (const b of rows) {
          const when = b.publishAt ? ` publish_at=${b.publishAt.toISOString()}` : "";
          const n = b.rowCounts?.new !== undefined ? b.rowCounts : { rows: await batches.rowCount(b.id) };
          cliIo().stdout.write(
            `${b.id}\t${b.status}\t${b.format}\t${b.fileName ?? ""}\t${b.createdAt.toISOString()}${when}\t${JSON.stringify(n)}${b.reason ? `\t${b.reason}` : ""}\n`,
          );
        }
      });
    });

  batch
    .command("publish")
    .argument("<id>", "batch number")
    .description("publish a draft batch now, or under embargo at --at")
    .option("--at <time>", "embargo: publish at this date and time (ISO 8601, UTC unless a zone is given)")
    .option("--user <email>", "who publishes (default $OMF_USER, else the login name)")
    .action(async (idText: string, opts: { at?: string; user?: string }) => {
      const id = parseId(idText);
      const at = parseTime(opts.at, "--at");
      await withServices(async (services, config) => {
        const actor = await actorFor(services, config, opts.user);
        try {
          const r = await services.batches.publish(id, { at, actor });
          cliIo().stdout.write(
            r.embargoed
              ? `batch ${id} will be public at ${r.publishAt.toISOString()} (embargo)\n`
              : `published batch ${id}\n`,
          );
        } catch (error) {
          if (await isBatchError(error)) throw new CliError((error as Error).message, 1);
          throw error;
        }
      });
    });

  batch
    .command("rollback")
    .argument("<id>", "batch number")
    .description("roll a batch back by new revisions that restore the values it replaced (nothing is deleted)")
    .option("--reason <text>", "why (recorded on the new revisions)")
    .option("--user <email>", "who rolls back (default $OMF_USER, else the login name)")
    .action(async (idText: string, opts: { reason?: string; user?: string }) => {
      const id = parseId(idText);
      await withServices(async (services, config) => {
        const actor = await actorFor(services, config, opts.user);
        try {
          const r = await services.batches.rollback(id, { reason: opts.reason, actor });
          cliIo().stdout.write(
            `rolled back batch ${id} with batch ${r.rollbackBatchId} (${r.status}): ${r.restored} values restored, ${r.withdrawn} withdrawn\n`,
          );
        } catch (error) {
          if (await isBatchError(error)) throw new CliError((error as Error).message, 1);
          throw error;
        }
      });
    });

  batch
    .command("history")
    .description("every revision of one value: who, when, batch, reason")
    .requiredOption("--measure <code>", "measure code")
    .requiredOption("--area <code>", "area code")
    .requiredOption("--period <period>", "period code, e.g. 2019-20")
    .option("--breakdown <breakdown>", "e.g. sex=female (default: total)")
    .option("--json", "machine-readable output")
    .action(async (opts: { measure: string; area: string; period: string; breakdown?: string; json?: boolean }) => {
      await withServices(async ({ batches }) => {
        let rows: Awaited<ReturnType<typeof batches.history>>;
        try {
          rows = await batches.history({
            measureCode: opts.measure,
            areaCode: opts.area,
            period: opts.period,
            breakdown: opts.breakdown,
          });
        } catch (error) {
          if (await isBatchError(error)) throw new CliError((error as Error).message, 2);
          throw error;
        }
        if (opts.json) {
          cliIo().stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) throw new CliError("no value with that measure, area, period and breakdown", 1);
        for (const r of rows) {
          const value = r.withdrawn ? "(withdrawn)" : String(r.value ?? "(empty)");
          cliIo().stdout.write(
            `revision ${r.revision}\t${value}\tbatch ${r.batchId} (${r.batchStatus})\t${r.createdAt.toISOString()}\t${r.createdBy ?? "-"}${r.reason ? `\t${r.reason}` : ""}\n`,
          );
        }
      });
    });

  const token = program.command("token").description("API tokens for machine clients");
  token
    .command("create")
    .description("create an API token for a user; it is printed once, only its hash is stored")
    .requiredOption("--email <email>", "the user the token acts as")
    .requiredOption("--name <name>", "what or who uses the token")
    .action(async (opts: { email: string; name: string }) => {
      await withServices(async ({ tokens }) => {
        const r = await tokens.create(opts);
        cliIo().stderr.write(
          `created token ${r.id} "${opts.name}" for ${r.user.email} (${r.user.role}); it is shown once:\n`,
        );
        cliIo().stdout.write(`${r.token}\n`);
      });
    });
  token
    .command("list")
    .description("list API tokens: id, name, user, created, and whether revoked (never the token itself)")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      await withServices(async ({ tokens }) => {
        const list = await tokens.list();
        if (opts.json) {
          cliIo().stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        for (const t of list) {
          const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : "active";
          cliIo().stdout.write(`${t.id}\t${t.name}\t${t.email}\t${t.createdAt.toISOString()}\t${state}\n`);
        }
      });
    });
  token
    .command("revoke")
    .description("revoke an API token (by the id that token list shows); the API refuses it from then on")
    .argument("<id>", "the token's id")
    .action(async (id: string) => {
      if (!/^\d+$/.test(id)) throw new CliError(`token id must be a number (see omf token list), not "${id}"`, 2);
      await withServices(async ({ tokens }) => {
        const t = await tokens.revoke(Number(id));
        cliIo().stdout.write(`revoked API token ${t.id} "${t.name}" of ${t.email}\n`);
      });
    });
}
