import type { Command } from "commander";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { analyseMeasures, watchEmbargoes } from "../services/analysis/index.ts";
import { seedDemoData } from "../services/demo-data.ts";
import { ensureSeeded } from "../services/seed.ts";

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("serve the web app and API (migrates, and seeds the framework on first start)")
    .option("--port <port>", "port to listen on (default $PORT or 3000)")
    .option("--seed-demo", "load illustrative demo data when the database has no data yet")
    .action(async (opts: { port?: string; seedDemo?: boolean }) => {
      const started = performance.now();
      const config = loadConfig(opts.port ? { ...process.env, PORT: opts.port } : process.env);
      if (!config.sessionSecret && config.production) {
        throw new Error("SESSION_SECRET must be set (32+ characters) when NODE_ENV=production");
      }
      if (!config.publicUrl) {
        throw new Error("OMF_PUBLIC_URL must be set when NODE_ENV=production (e.g. https://omf.example.gov.wales)");
      }
      const database = await openDatabase({ url: config.databaseUrl, dataDir: `${config.dataDir}/pglite` });
      await database.migrate();
      const seeded = await ensureSeeded(database.db);
      if (seeded) process.stdout.write(`Seeded the framework (${seeded.measures} measures, ${seeded.areas} areas)\n`);
      if (opts.seedDemo) {
        const demo = await seedDemoData(database.db, { onlyIfEmpty: true });
        if (demo.inserted > 0) process.stdout.write(`Loaded ${demo.inserted} illustrative demo observations\n`);
      }
      await analyseMeasures(database.db); // brings the stored analysis up to date (only changed measures)
      watchEmbargoes(database.db); // re-analyses measures whose embargo ends while the server runs
      // the web app is loaded only to serve: other commands start faster and smaller without it
      const { buildApp } = await import("../web/app.ts");
      const app = await buildApp({
        database,
        sessionSecret: config.sessionSecret,
        production: config.production,
        publicUrl: config.publicUrl,
        trustProxy: config.trustProxy,
        logger: config.logLevel === "silent" ? false : { level: config.logLevel === "info" ? "warn" : config.logLevel },
      });
      const shutdown = async () => {
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
      await app.listen({ port: config.port, host: config.host });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `OMF is ready at http://localhost:${config.port} (${database.description}; started in ${seconds} s)\n`,
      );
    });
}
