/**
 * `omf report rights [--lang en|cy] [--bilingual] [--format docx|text] [--as-at YYYY-MM-DD] [--out FILE]`: the
 * children's rights report (issue 15) as the public sees it (published data and published plans), or as it stood at
 * the end of a date (only data and plans published by then), as a Word document or as plain text.
 */
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { parseAsAt } from "../domain/as-at.ts";
import { CliError, withServices } from "./context.ts";
import { cliIo, cliPath } from "./io.ts";

const LANGS = ["en", "cy"] as const;
const FORMATS = ["docx", "text"] as const;

export function registerReportCommands(program: Command): void {
  const report = program.command("report").description("national reports");
  report
    .command("rights")
    .description("the children's rights report: measures by core aim and UNCRC article, coverage and what plans say")
    .option("--lang <lang>", LANGS.join(" | "), "en")
    .option("--bilingual", "both languages, Welsh first (DOCX)")
    .option("--format <format>", FORMATS.join(" | "), "docx")
    .option(
      "--as-at <date>",
      "the report as at the end of this day (YYYY-MM-DD): only data and plans published by then",
    )
    .option("--out <file>", "write to a file (default: standard output; a DOCX needs --out or a redirect)")
    .action(async (opts: { lang: string; bilingual?: boolean; format: string; asAt?: string; out?: string }) => {
      if (!(LANGS as readonly string[]).includes(opts.lang))
        throw new CliError(`--lang must be one of ${LANGS.join(", ")}`, 2);
      if (!(FORMATS as readonly string[]).includes(opts.format))
        throw new CliError(`--format must be one of ${FORMATS.join(", ")}`, 2);
      const asAt = opts.asAt === undefined ? null : parseAsAt(opts.asAt);
      if (opts.asAt !== undefined && !asAt)
        throw new CliError(
          `--as-at must be a real date written YYYY-MM-DD, for example 2025-03-31 (got "${opts.asAt}")`,
          2,
        );
      if (opts.format === "docx" && !opts.out && cliIo().stdoutIsTTY)
        throw new CliError("a DOCX is binary: give --out FILE or redirect standard output", 2);
      const lang = opts.lang as (typeof LANGS)[number];
      const languages = opts.bilingual ? (["cy", "en"] as const) : [lang];
      const [{ rightsReport }, { plainText, rightsDocumentIn, rightsDocx }] = await Promise.all([
        import("../services/reports/rights.ts"),
        import("../web/pages/rights-report.ts"),
      ]);
      await withServices(async (services, config) => {
        const r = await rightsReport(services, null, { asAt });
        if (!r) throw new CliError("no framework has been imported: run omf framework import first");
        const base = (config.publicUrl ?? "").replace(/\/$/, "");
        const address = (l: string) => `${base}/${l}/reports/rights${asAt ? `?as-at=${asAt.date}` : ""}`;
        let body: Buffer | string;
        if (opts.format === "docx") body = await rightsDocx(services, r, [...languages], address);
        else {
          const texts = [];
          for (const l of languages) texts.push(plainText(await rightsDocumentIn(services, r, l, address(l))));
          body = texts.join("\n");
        }
        if (opts.out) {
          await writeFile(cliPath(opts.out), body);
          cliIo().stderr.write(`wrote the children's rights report (${languages.join(", ")}) to ${opts.out}\n`);
        } else cliIo().stdout.write(body);
      });
    });
}
