import { join } from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { seedDemoData } from "../services/demo-data.ts";
import { ensureSeeded } from "../services/seed.ts";
import { commandWords } from "./control-client.ts";
import { startControlServer } from "./control-server.ts";
import { withCliIo } from "./io.ts";

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("serve the web app and API (migrates, and seeds the framework on first start)")
    .option("--port <port>", "port to listen on (default $PORT or 3000)")
    .option("--seed-demo", "load illustrative demo data when the database has no data yet")
    .action(async (opts: { port?: string; seedDemo?: boolean }) => {
      const started = performance.now();
      const config = loadConfig(opts.port ? { ...process.env, PORT: opts.port } : process.env);
      const pgliteDir = join(config.dataDir, "pglite");
      const database = await openDatabase({ url: config.databaseUrl, dataDir: pgliteDir, holder: "omf serve" });
      await database.migrate();
      const seeded = await ensureSeeded(database.db);
      if (seeded) process.stdout.write(`Seeded the framework (${seeded.measures} measures, ${seeded.areas} areas)\n`);
      if (opts.seedDemo) {
        const demo = await seedDemoData(database.db, { onlyIfEmpty: true });
        if (demo.inserted > 0) process.stdout.write(`Loaded ${demo.inserted} illustrative demo observations\n`);
      }
      if (!config.sessionSecret && config.production) {
        throw new Error("SESSION_SECRET must be set (32+ characters) when NODE_ENV=production");
      }
      // the web app is loaded only to serve: other commands start faster and smaller without it
      const { buildApp } = await import("../web/app.ts");
      const app = await buildApp({
        database,
        sessionSecret: config.sessionSecret,
        production: config.production,
        logger: config.logLevel === "silent" ? false : { level: config.logLevel === "info" ? "warn" : config.logLevel },
      });
      const { dataChanges } = app.services;
      // other `omf` commands are handed to this server while it holds the embedded database
      const { runCommand } = await import("./index.ts");
      const control =
        database.kind === "pglite" && database.lock
          ? await startControlServer(pgliteDir, (args, io) => {
              if (commandWords(args)[0] === "serve") {
                io.stderr.write(`omf: the server is already running (pid ${process.pid})\n`);
                return Promise.resolve(1);
              }
              return withCliIo(
                {
                  ...io,
                  server: {
                    database,
                    config,
                    analyse: (codes, options) => dataChanges.runner.analyse(codes, options),
                    dataChanged: async () => {
                      await dataChanges.changed();
                    },
                  },
                },
                () => runCommand(args),
              );
            })
          : null;
      if (control && database.kind === "pglite") database.lock?.setSocket(control.path);
      const shutdown = async () => {
        await control?.close();
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
      // listen first: the stored analysis is brought up to date afterwards, off the request path
      await app.listen({ port: config.port, host: config.host });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : config.port;
      process.stdout.write(
        `OMF is ready at http://localhost:${port} (${database.description}; started in ${seconds} s)\n`,
      );
      dataChanges.watch((error) => app.log.error(error)); // publications, rollbacks and embargoes by any process
      dataChanges.runner.analyse().then(
        (report) => {
          if (report.analysed > 0) {
            process.stdout.write(
              `Analysed ${report.analysed} measure${report.analysed === 1 ? "" : "s"} (${report.rows} rows) in ${(report.ms / 1000).toFixed(1)} s\n`,
            );
          }
        },
        (error) => app.log.error(error),
      );
    });
}
