import { join } from "node:path";
import type { Command } from "commander";
import { commandWords } from "./control-client.ts";
import { withCliIo } from "./io.ts";

/** `run` carries out another command line inside this server (the CLI's runCommand, given to avoid an import cycle). */
export function registerServeCommand(program: Command, run: (args: string[]) => Promise<number>): void {
  program
    .command("serve")
    .description("serve the web app and API (migrates, and seeds the framework on first start)")
    .option("--port <port>", "port to listen on (default $PORT or 3000)")
    .option("--seed-demo", "load illustrative demo data when the database has no data yet")
    .action(async (opts: { port?: string; seedDemo?: boolean }) => {
      const started = performance.now();
      // loaded when serving, not for `omf --help`
      const [
        { ConfigError, loadConfig },
        { createLogger },
        { logAnalysisFailure, openServices },
        { startControlServer },
        { shutDown, stopOnSignals },
      ] = await Promise.all([
        import("../config.ts"),
        import("../logger.ts"),
        import("../services/index.ts"),
        import("./control-server.ts"),
        import("./shutdown.ts"),
      ]);
      const config = loadConfig();
      if (opts.port) {
        const defaultUrl = config.publicUrl === `http://localhost:${config.port}`;
        config.port = loadConfig({ PORT: opts.port }).port;
        if (defaultUrl) config.publicUrl = `http://localhost:${config.port}`; // the development default follows --port
      }
      if (!config.sessionSecret && config.production) {
        throw new ConfigError("SESSION_SECRET must be set (32+ characters) when NODE_ENV=production");
      }
      if (!config.publicUrl) {
        throw new ConfigError(
          "OMF_PUBLIC_URL must be set when NODE_ENV=production (e.g. https://omf.example.gov.wales)",
        );
      }
      // one logger for the process: Fastify's request logs and the services' logs (LOG_LEVEL, as given)
      const logger = createLogger({ level: config.logLevel });
      // the embedded database is locked for this server; the analysis runs in a worker thread
      const services = await openServices(config, logger, { holder: "omf serve", analysis: "worker" });
      const seeded = await services.content.ensureSeeded();
      if (seeded) process.stdout.write(`Seeded the framework (${seeded.measures} measures, ${seeded.areas} areas)\n`);
      if (opts.seedDemo) {
        const { loadDemo } = await import("../services/demo.ts");
        const demo = await loadDemo(services, { onlyIfEmpty: true });
        if (demo.observations > 0) {
          process.stdout.write(
            `Loaded ${demo.observations} illustrative demo observations, ${demo.plans} illustrative partnership plans and ${demo.agreements} illustrative outcome agreement\n`,
          );
        }
      }
      // the web app is loaded only to serve: other commands start faster and smaller without it
      const { buildApp } = await import("../web/app.ts");
      const app = await buildApp({
        services,
        sessionSecret: config.sessionSecret,
        production: config.production,
        publicUrl: config.publicUrl,
        trustProxy: config.trustProxy,
        logger,
      });
      // other `omf` commands are handed to this server while it holds the embedded database
      const control =
        services.databaseKind === "pglite"
          ? await startControlServer(join(config.dataDir, "pglite"), (args, io, settings) => {
              if (commandWords(args)[0] === "serve") {
                io.stderr.write(`omf: the server is already running (pid ${process.pid})\n`);
                return Promise.resolve(1);
              }
              const commandConfig = { ...config, ...settings };
              return withCliIo({ ...io, server: { services, config: commandConfig } }, () => run(args));
            })
          : null;
      if (control) services.lock?.setSocket(control.path);
      stopOnSignals(() => shutDown({ app, control, services }), logger, config.shutdownGraceSeconds * 1000);
      // listen first: the stored analysis is brought up to date afterwards, off the request path
      await app.listen({ port: config.port, host: config.host });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : config.port;
      process.stdout.write(
        `OMF is ready at http://localhost:${port} (${services.databaseDescription}; started in ${seconds} s)\n`,
      );
      services.analysis.watch(); // publications, rollbacks and embargoes by any process, every two seconds
      services.analysis.analyse().then(
        (report) => {
          if (report.analysed > 0) {
            process.stdout.write(
              `Analysed ${report.analysed} measure${report.analysed === 1 ? "" : "s"} (${report.rows} rows) in ${(report.ms / 1000).toFixed(1)} s\n`,
            );
          }
        },
        (error) => logAnalysisFailure(logger, error),
      );
    });
}
