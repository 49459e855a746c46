import type { Command } from "commander";
import { analyseMeasures } from "../services/analysis/index.ts";
import { removeDemoData, seedDemoData } from "../services/demo-data.ts";
import { seedReferenceData } from "../services/seed.ts";
import { withDatabase } from "./context.ts";

export function registerDataCommands(program: Command): void {
  program
    .command("migrate")
    .description("apply database migrations")
    .action(async () => {
      await withDatabase(async (database) => {
        process.stdout.write(`migrated ${database.description}\n`);
      });
    });

  program
    .command("seed")
    .description("load the shipped Wales framework and areas (idempotent)")
    .action(async () => {
      await withDatabase(async ({ db }) => {
        const r = await seedReferenceData(db);
        process.stdout.write(
          `seeded: ${r.measures} measures (${r.added} added, ${r.updated} updated), ${r.areas} areas\n`,
        );
      });
    });

  program
    .command("demo")
    .description("load illustrative demo data for every live measure (idempotent; flagged as illustrative)")
    .option("--remove", "remove all illustrative demo data (real data are untouched)")
    .action(async (opts: { remove?: boolean }) => {
      await withDatabase(async ({ db }) => {
        if (opts.remove) {
          const r = await removeDemoData(db);
          process.stdout.write(
            r.removed > 0
              ? `removed ${r.removed} illustrative observations of ${r.measures} measures\n`
              : "no demo data to remove\n",
          );
          return;
        }
        await seedReferenceData(db);
        const r = await seedDemoData(db, { onlyIfEmpty: false });
        if (r.inserted > 0) await analyseMeasures(db);
        process.stdout.write(
          r.inserted > 0
            ? `loaded ${r.inserted} illustrative observations for ${r.measures} measures\n`
            : "demo data already loaded\n",
        );
      });
    });
}
