import type { Command } from "commander";
import { seedDemoData } from "../services/demo-data.ts";
import { seedReferenceData } from "../services/seed.ts";
import { afterDataChange, withDatabase } from "./context.ts";
import { cliIo } from "./io.ts";

export function registerDataCommands(program: Command): void {
  program
    .command("migrate")
    .description("apply database migrations")
    .action(async () => {
      await withDatabase(async (database) => {
        cliIo().stdout.write(`migrated ${database.description}\n`);
      });
    });

  program
    .command("seed")
    .description("load the shipped Wales framework and areas (idempotent)")
    .action(async () => {
      await withDatabase(async ({ db }) => {
        const r = await seedReferenceData(db);
        cliIo().stdout.write(
          `seeded: ${r.measures} measures (${r.added} added, ${r.updated} updated), ${r.areas} areas\n`,
        );
      });
    });

  program
    .command("demo")
    .description("load illustrative demo data for every live measure (idempotent; flagged as illustrative)")
    .action(async () => {
      await withDatabase(async (database) => {
        await seedReferenceData(database.db);
        const r = await seedDemoData(database.db, { onlyIfEmpty: false });
        if (r.inserted > 0) await afterDataChange(database);
        cliIo().stdout.write(
          r.inserted > 0
            ? `loaded ${r.inserted} illustrative observations for ${r.measures} measures\n`
            : "demo data already loaded\n",
        );
      });
    });
}
