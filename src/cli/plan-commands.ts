import type { Command } from "commander";
import { withServices } from "./context.ts";
import { cliIo } from "./io.ts";

/** `omf plan list [--json]`: every plan (the CLI acts as a national administrator), with its public address. */
export function registerPlanCommands(program: Command): void {
  const plan = program.command("plan").description("partnership plans");
  plan
    .command("list")
    .description("list partnership plans: partnership, period, status and address")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      await withServices(async ({ plans }, config) => {
        const rows = await plans.list({
          id: null,
          email: "cli",
          role: "national_admin",
          areaCodes: [],
          channel: "cli",
        });
        const base = (config.publicUrl ?? "").replace(/\/$/, "");
        const out = rows.map((p) => ({
          partnership: p.areaCode,
          period: p.period,
          status: p.status,
          illustrative: p.illustrative,
          address: `${base}/en/plans/${p.areaCode}/${p.period}`,
        }));
        if (opts.json) {
          cliIo().stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        if (!out.length) cliIo().stdout.write("no plans\n");
        for (const p of out)
          cliIo().stdout.write(
            `${p.partnership}\t${p.period}\t${p.status}${p.illustrative ? " (illustrative)" : ""}\t${p.address}\n`,
          );
      });
    });
}
