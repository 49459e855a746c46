/** Opens the services on the configured database (migrated) for a CLI command, and closes them afterwards. */
import { type Config, loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { openServices, type Services } from "../services/index.ts";

export async function withServices<T>(fn: (services: Services, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // stdout is the command's output: the services log on stderr, and only when LOG_LEVEL asks for it
  const logger = createLogger({ level: config.logLevelSet ? config.logLevel : "silent", stream: "stderr" });
  const services = await openServices(config, logger);
  try {
    return await fn(services, config);
  } finally {
    await services.close();
  }
}

/** A CLI failure: printed as one line on stderr with the given exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
