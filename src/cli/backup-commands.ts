/**
 * `omf backup --out DIR` and `omf restore DIR` (docs/operations.md). A backup beside a running `omf serve` on the
 * embedded database is taken by the server itself (the command is handed to it), so the server keeps running; a
 * restore needs an empty database and is refused inside a running server.
 */
import type { Command } from "commander";
import type { BackupManifest } from "../services/index.ts";
import { CliError, withServices } from "./context.ts";
import { cliIo, cliPath } from "./io.ts";

function describe(manifest: BackupManifest): string {
  const counts = Object.values(manifest.tables);
  const rows = counts.reduce((a, b) => a + b, 0);
  const kind = manifest.database === "embedded" ? "embedded database" : "PostgreSQL database (pg_dump custom format)";
  return `${kind}, ${counts.length} tables, ${rows} rows, taken ${manifest.createdAt}`;
}

export function registerBackupCommands(program: Command): void {
  program
    .command("backup")
    .description("write a consistent backup of the whole database into a new folder (safe while the server runs)")
    .requiredOption("--out <dir>", "the folder to write (new or empty)")
    .action(async (opts: { out: string }) => {
      const dir = cliPath(opts.out);
      await withServices(async (services) => {
        const manifest = await services.backup.create(dir);
        cliIo().stdout.write(`backed up to ${opts.out}: ${describe(manifest)}\n`);
      });
    });

  program
    .command("restore")
    .argument("<dir>", "a folder written by omf backup")
    .description("restore a backup into an empty database (a new DATABASE_URL database or a new OMF_DATA_DIR)")
    .action(async (dir: string) => {
      if (cliIo().server) {
        throw new CliError(
          "omf restore needs an empty database, and the server is running on this one: stop it, restore into a new OMF_DATA_DIR, then start the server there",
        );
      }
      const [{ loadConfig }, { restoreBackup }] = await Promise.all([
        import("../config.ts"),
        import("../services/index.ts"),
      ]);
      const manifest = await restoreBackup(loadConfig(), cliPath(dir));
      cliIo().stdout.write(
        `restored ${dir}: ${describe(manifest)}; every table's row count matches the backup. Start the server (omf serve) to apply any newer migrations\n`,
      );
    });
}
