import type { Command } from "commander";
import { computeGrant, ScoreInputError } from "../domain/agreements/score.ts";
import { presetSchemes, readSchemesFile } from "../ingest/agreements/schemes-file.ts";
import { explainGrant } from "../render/wording/agreement-score.ts";
import { translator } from "../web/i18n.ts";
import { CliError, withServices } from "./context.ts";
import { cliIo, cliPath } from "./io.ts";

interface ScoreOptions {
  scheme: string;
  schemesFile?: string;
  fully: string;
  partially: string;
  unsuccessful: string;
  collaboration: string;
  grant: string;
  judged?: string[];
  lang: string;
  json?: boolean;
}

function count(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new CliError(`--${name}: ${value} is not a whole number of outcomes`, 2);
  return Number(value);
}

/**
 * `omf agreement score …` (the grant payable under a scheme, written out, without the web or a database) and
 * `omf agreement list [--json]`.
 */
export function registerAgreementCommands(program: Command): void {
  const agreement = program.command("agreement").description("outcome agreements");
  agreement
    .command("score")
    .description("compute the score and grant payable under a scheme, with the arithmetic in words")
    .requiredOption("--scheme <code>", "scheme code, e.g. 2010-13 or 2013-16")
    .option("--schemes-file <file>", "a YAML file of schemes (default: the shipped presets)")
    .option("--fully <n>", "outcomes fully successful", "0")
    .option("--partially <n>", "outcomes partially successful", "0")
    .option("--unsuccessful <n>", "outcomes unsuccessful", "0")
    .option("--collaboration <yes|no>", "collaboration evidenced", "no")
    .requiredOption("--grant <pounds>", "the grant for the year, in pounds")
    .option("--judged <part=percent...>", "a separately judged part's award, e.g. corporate_governance=100")
    .option("--lang <en|cy>", "language of the explanation", "en")
    .option("--json", "machine-readable output")
    .action(async (opts: ScoreOptions) => {
      const schemes = opts.schemesFile
        ? new Map(readSchemesFile(cliPath(opts.schemesFile)).map((s) => [s.code, s]))
        : presetSchemes();
      const scheme = schemes.get(opts.scheme);
      if (!scheme)
        throw new CliError(`--scheme: no scheme ${opts.scheme} (known: ${[...schemes.keys()].join(", ")})`, 2);
      if (!["yes", "no"].includes(opts.collaboration))
        throw new CliError(`--collaboration: give yes or no, not ${opts.collaboration}`, 2);
      if (opts.lang !== "en" && opts.lang !== "cy") throw new CliError(`--lang: give en or cy, not ${opts.lang}`, 2);
      const grant = Number(opts.grant);
      if (opts.grant.trim() === "" || !Number.isFinite(grant))
        throw new CliError(`--grant: ${opts.grant} is not an amount in pounds`, 2);
      const judged: Record<string, number | null> = {};
      for (const j of opts.judged ?? []) {
        const m = /^([a-z][a-z0-9_]*)=(\d+(\.\d+)?)$/.exec(j);
        if (!m) throw new CliError(`--judged: ${j} is not part=percent, e.g. corporate_governance=100`, 2);
        judged[m[1] as string] = Number(m[2]);
      }
      let result: ReturnType<typeof computeGrant>;
      try {
        result = computeGrant(scheme, {
          counts: {
            fully: count("fully", opts.fully),
            partially: count("partially", opts.partially),
            unsuccessful: count("unsuccessful", opts.unsuccessful),
          },
          collaboration: opts.collaboration === "yes",
          grant,
          judged,
        });
      } catch (error) {
        if (error instanceof ScoreInputError) throw new CliError(error.message, 2);
        throw error;
      }
      const words = explainGrant(scheme, result, translator(opts.lang), opts.lang);
      if (opts.json) {
        cliIo().stdout.write(`${JSON.stringify({ ...result, explanation: words }, null, 2)}\n`);
        return;
      }
      const lines = [words.summary, words.rule, ...words.parts, ...(words.pointsNote ? [words.pointsNote] : [])];
      cliIo().stdout.write(`${lines.join("\n")}\n`);
    });

  agreement
    .command("list")
    .description("list outcome agreements: authority, period, scheme, status and address")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      await withServices(async ({ agreements }, config) => {
        const rows = await agreements.list({
          id: null,
          email: "cli",
          role: "national_admin",
          areaCodes: [],
          channel: "cli",
        });
        const base = (config.publicUrl ?? "").replace(/\/$/, "");
        const out = rows.map((a) => ({
          authority: a.areaCode,
          period: a.period,
          scheme: `${a.schemeCode}/v${a.schemeVersion}`,
          status: a.status,
          grant: a.grantPence / 100,
          illustrative: a.illustrative,
          address: `${base}/en/agreements/${a.areaCode}/${a.period}`,
        }));
        if (opts.json) {
          cliIo().stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        if (!out.length) cliIo().stdout.write("no agreements\n");
        for (const a of out)
          cliIo().stdout.write(
            `${a.authority}\t${a.period}\t${a.scheme}\t${a.status}${a.illustrative ? " (illustrative)" : ""}\t${a.address}\n`,
          );
      });
    });
}
