import type { Command } from "commander";
import { withServices } from "./context.ts";
import { cliIo } from "./io.ts";

export function registerDataCommands(program: Command): void {
  program
    .command("migrate")
    .description("apply database migrations")
    .action(async () => {
      await withServices(async (services) => {
        cliIo().stdout.write(`migrated ${services.databaseDescription}\n`);
      });
    });

  program
    .command("seed")
    .description("load the shipped Wales framework and areas (idempotent)")
    .action(async () => {
      await withServices(async ({ content }) => {
        const r = await content.seed();
        cliIo().stdout.write(
          `seeded: ${r.measures} measures (${r.added} added, ${r.updated} updated), ${r.areas} areas\n`,
        );
      });
    });

  program
    .command("demo")
    .description(
      "load illustrative demo data for every live measure and illustrative partnership plans (idempotent; flagged as illustrative)",
    )
    .option(
      "--remove",
      "remove all illustrative demo data, demo plans and the demo agreement (real data, plans and agreements are untouched)",
    )
    .action(async (opts: { remove?: boolean }) => {
      await withServices(async ({ content, analysis, plans, agreements, framework }) => {
        if (opts.remove) {
          const r = await content.removeDemo();
          cliIo().stdout.write(
            r.removed > 0
              ? `removed ${r.removed} illustrative observations of ${r.measures} measures\n`
              : "no demo data to remove\n",
          );
          const { DEMO_PLAN_ACTOR } = await import("../services/plans/demo.ts");
          const p = await plans.removeIllustrative(DEMO_PLAN_ACTOR);
          if (p.plans > 0)
            cliIo().stdout.write(
              `removed ${p.plans} illustrative partnership plans${p.localMeasures ? ` and ${p.localMeasures} local measures` : ""}\n`,
            );
          const { DEMO_AGREEMENT_ACTOR } = await import("../services/agreements/demo.ts");
          const a = await agreements.removeIllustrative(DEMO_AGREEMENT_ACTOR);
          if (a.agreements > 0) cliIo().stdout.write(`removed ${a.agreements} illustrative outcome agreement\n`);
          return;
        }
        await content.seed();
        const { loadDemo } = await import("../services/demo.ts");
        const r = await loadDemo({ content, plans, agreements, framework }, { onlyIfEmpty: false });
        if (r.observations > 0) await analysis.analyse();
        cliIo().stdout.write(
          r.observations > 0
            ? `loaded ${r.observations} illustrative observations for ${r.measures} measures\n`
            : "demo data already loaded\n",
        );
        cliIo().stdout.write(
          r.plans > 0 ? `added ${r.plans} illustrative partnership plans\n` : "demo plans already loaded\n",
        );
        cliIo().stdout.write(
          r.agreements > 0 ? "added 1 illustrative outcome agreement\n" : "demo agreement already loaded\n",
        );
      });
    });
}
