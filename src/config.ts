/**
 * Configuration from the environment: the only module that reads `process.env` (the architecture test checks it).
 * {@link loadConfig} validates every setting once at start-up; {@link setting} reads one setting when it is needed
 * (a setting read late, e.g. by the database opener, still goes through the same schema and the same defaults).
 * Every variable is documented in README.md ("Configuration").
 */
import { z } from "zod";
import { InvalidError } from "./domain/errors.ts";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const flag = z
  .string()
  .optional()
  .transform((v) => v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false");

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v));

const variables = {
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  OMF_DATA_DIR: z.string().default("./data"),
  /** Checked by the database opener, which names the variable in its own message. */
  OMF_PGLITE_SHARED_BUFFERS: optionalText.transform((v) => v ?? "8MB"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  NODE_ENV: z.string().default("development"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  OMF_BOUNDARIES_GEOJSON: optionalText,
  OMF_MAX_UPLOAD_MB: z.coerce.number().positive().default(1024),
  OMF_UPLOAD_DIR: optionalText,
  OMF_USER: optionalText,
  OMF_PROGRESS_SECONDS: z
    .string()
    .optional()
    .transform((v) => Number(v ?? 2) || 2),
  OMF_DEBUG: flag,
} as const;

type Variables = typeof variables;
export type VariableName = keyof Variables;

/** One setting, parsed (with its default) from the environment now. Throws {@link ConfigError} naming it. */
export function setting<K extends VariableName>(name: K, env: NodeJS.ProcessEnv = process.env): z.output<Variables[K]> {
  const parsed = (variables[name] as unknown as z.ZodType<z.output<Variables[K]>>).safeParse(env[name]);
  if (!parsed.success) throw new ConfigError(`${name} ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** Shared buffers of the embedded database, e.g. "8MB". */
  pgliteSharedBuffers: string;
  sessionSecret: string | undefined;
  production: boolean;
  logLevel: LogLevel;
  /** Whether LOG_LEVEL was set (one-shot CLI commands log only then, on stderr; the server always logs). */
  logLevelSet: boolean;
  /** A boundary GeoJSON for the map page (default: content/boundaries/local-authorities.geojson when present). */
  boundariesGeojson: string | undefined;
  /** Largest upload accepted by the web upload and POST /api/v1/imports, in bytes. */
  maxUploadBytes: number;
  /** Folder of uploads waiting between preview and confirmation (default: the system temp dir's omf-uploads). */
  uploadDir: string | undefined;
  /** The user `omf import` and `omf batch` act as when --user is not given. */
  cliUser: string | undefined;
  /** Seconds between the plain progress lines of `omf import` when stderr is not a terminal. */
  progressSeconds: number;
  /** Print the stack of an unexpected CLI failure. */
  debug: boolean;
}

export class ConfigError extends InvalidError {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const get = <K extends VariableName>(name: K) => setting(name, env);
  return {
    port: get("PORT"),
    host: get("HOST"),
    databaseUrl: get("DATABASE_URL"),
    dataDir: get("OMF_DATA_DIR"),
    pgliteSharedBuffers: get("OMF_PGLITE_SHARED_BUFFERS"),
    sessionSecret: get("SESSION_SECRET"),
    production: get("NODE_ENV") === "production",
    logLevel: get("LOG_LEVEL"),
    logLevelSet: Boolean(env.LOG_LEVEL),
    boundariesGeojson: get("OMF_BOUNDARIES_GEOJSON"),
    maxUploadBytes: get("OMF_MAX_UPLOAD_MB") * 1024 * 1024,
    uploadDir: get("OMF_UPLOAD_DIR"),
    cliUser: get("OMF_USER"),
    progressSeconds: get("OMF_PROGRESS_SECONDS"),
    debug: get("OMF_DEBUG"),
  };
}
