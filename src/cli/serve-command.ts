import type { Command } from "commander";
import { ConfigError, loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { openServices } from "../services/index.ts";
import { cliIo } from "./context.ts";

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("serve the web app and API (migrates, and seeds the framework on first start)")
    .option("--port <port>", "port to listen on (default $PORT or 3000)")
    .option("--seed-demo", "load illustrative demo data when the database has no data yet")
    .action(async (opts: { port?: string; seedDemo?: boolean }) => {
      const started = performance.now();
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
      const services = await openServices(config, logger);
      const seeded = await services.content.ensureSeeded();
      if (seeded) cliIo().stdout.write(`Seeded the framework (${seeded.measures} measures, ${seeded.areas} areas)\n`);
      if (opts.seedDemo) {
        const demo = await services.content.seedDemo({ onlyIfEmpty: true });
        if (demo.inserted > 0) cliIo().stdout.write(`Loaded ${demo.inserted} illustrative demo observations\n`);
      }
      await services.analysis.analyse(); // brings the stored analysis up to date (only changed measures)
      services.analysis.watchEmbargoes(); // re-analyses measures whose embargo ends while the server runs
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
      const shutdown = async () => {
        await app.close();
        await services.close();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
      await app.listen({ port: config.port, host: config.host });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      cliIo().stdout.write(
        `OMF is ready at http://localhost:${config.port} (${services.databaseDescription}; started in ${seconds} s)\n`,
      );
    });
}
