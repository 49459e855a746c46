import type { Command } from "commander";
import { CliError, withServices } from "./context.ts";
import { cliIo } from "./io.ts";

/** `omf analyse [--measure CODE…] [--force]`: recompute the stored analysis on demand. */
export function registerAnalyseCommand(program: Command): void {
  program
    .command("analyse")
    .description("recompute the stored analysis of measures whose published data changed (or all, with --force)")
    .option("--measure <code...>", "only these measure codes")
    .option("--force", "recompute even when the data version is unchanged")
    .action(async (opts: { measure?: string[]; force?: boolean }) => {
      await withServices(async ({ analysis }) => {
        const report = await analysis.analyse(opts.measure, { force: opts.force });
        if (opts.measure && report.measures.length === 0) {
          throw new CliError(`no measure with published data matches ${opts.measure.join(", ")}`);
        }
        for (const m of report.measures) {
          if (m.status === "failed") cliIo().stderr.write(`${m.measureCode}: failed: ${m.error}\n`);
          else if (m.status !== "unchanged") {
            cliIo().stdout.write(
              `${m.measureCode}: ${m.status}, ${m.rows} rows, ${m.gaps} gaps, ${m.ms.toFixed(0)} ms\n`,
            );
          }
        }
        const unchanged = report.measures.filter((m) => m.status === "unchanged").length;
        cliIo().stdout.write(
          `analysed ${report.analysed} measure${report.analysed === 1 ? "" : "s"} (${report.rows} rows) in ` +
            `${report.ms.toFixed(0)} ms; ${unchanged} unchanged\n`,
        );
        if (report.failed > 0) throw new CliError(`${report.failed} measure(s) failed`);
      });
    });
}
