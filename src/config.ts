/**
 * Configuration from the environment: the only module that reads `process.env` (the architecture test checks it).
 * {@link loadConfig} validates every setting once at start-up; {@link setting} reads one setting when it is needed
 * (a setting read late, e.g. by the database opener, still goes through the same schema and the same defaults).
 * Every variable is documented in README.md ("Configuration").
 */
import { isIP } from "node:net";
import { z } from "zod";
import { InvalidError } from "./domain/errors.ts";

/**
 * Which proxies may tell us the client's address (X-Forwarded-For): a comma-separated list of the proxies' addresses
 * and CIDR ranges (or `loopback`, `linklocal`, `uniquelocal`), as Fastify's `trustProxy` takes it. A forwarded
 * address is believed only when the connection comes from one of them. Unset: nobody is trusted and the connection's
 * own address is the client's. "true" (trust anyone) is refused: any client could then choose its address and escape
 * sign-in throttling; a bare hop count is refused too (it cannot check who is talking).
 */
export type TrustProxy = false | string[];

const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

export function parseTrustProxy(text: string | undefined): TrustProxy {
  const value = (text ?? "").trim();
  if (value === "" || value === "false") return false;
  const list = value.split(",").map((s) => s.trim());
  for (const item of list) {
    const [address, bits, extra] = item.split("/");
    const family = isIP(address ?? "");
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!(PROXY_NAMES.has(item) || (family !== 0 && okBits && extra === undefined))) {
      throw new ConfigError(
        `OMF_TRUST_PROXY "${item}" is not an IP address, a CIDR range or loopback/linklocal/uniquelocal` +
          (item === "true" ? " (trusting every address would let any client choose its own address)" : ""),
      );
    }
  }
  return list;
}

/** The public address of the site (scheme, host, optional port and path), without a trailing slash. */
function parsePublicUrl(text: string | undefined, port: number, production: boolean): string | undefined {
  const value = (text ?? "").trim();
  if (value === "") return production ? undefined : `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`OMF_PUBLIC_URL "${value}" is not a URL (e.g. https://omf.example.gov.wales)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`OMF_PUBLIC_URL "${value}" must start with http:// or https://`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`OMF_PUBLIC_URL "${value}" must not have a query, fragment or user name`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

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

/** A positive number with a default; anything else (unset, empty, not a positive number) is the default. */
const positiveOr = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => {
      const n = v === undefined || v.trim() === "" ? Number.NaN : Number(v);
      return Number.isFinite(n) && n > 0 ? n : fallback;
    });

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
  OMF_ANALYSIS_MEMORY_MB: z.coerce.number().positive().default(1536),
  OMF_UPLOAD_DIR: optionalText,
  OMF_USER: optionalText,
  OMF_PROGRESS_SECONDS: z
    .string()
    .optional()
    .transform((v) => Number(v ?? 2) || 2),
  OMF_DEBUG: flag,
  /** How long `omf serve` waits, when told to stop, for the requests and imports under way (docs/operations.md). */
  OMF_SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(120),
  OMF_PUBLIC_URL: optionalText,
  OMF_TRUST_PROXY: optionalText,
  /** Limits of imported files (src/ingest/observations/limits.ts). */
  OMF_MAX_ROW_KB: positiveOr(1024),
  OMF_MAX_CELL_CHARS: positiveOr(32_767),
  OMF_MAX_XLSX_MB: positiveOr(512),
  OMF_MAX_XLSX_ENTRIES: positiveOr(10_000),
  OMF_MAX_XLSX_RATIO: positiveOr(500),
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
  /** Heap limit of the server's analysis worker, in MB. */
  analysisMemoryMb: number;
  /** Folder of uploads waiting between preview and confirmation (default: the system temp dir's omf-uploads). */
  uploadDir: string | undefined;
  /** The user `omf import` and `omf batch` act as when --user is not given. */
  cliUser: string | undefined;
  /** Seconds between the plain progress lines of `omf import` when stderr is not a terminal. */
  progressSeconds: number;
  /** Print the stack of an unexpected CLI failure. */
  debug: boolean;
  /** Seconds `omf serve` waits, when told to stop, for the work under way before it stops anyway. */
  shutdownGraceSeconds: number;
  /** Public address used in citations and downloads; undefined only in production when OMF_PUBLIC_URL is unset. */
  publicUrl: string | undefined;
  /** Proxies whose X-Forwarded-For is believed (OMF_TRUST_PROXY); false: none. */
  trustProxy: TrustProxy;
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
    analysisMemoryMb: get("OMF_ANALYSIS_MEMORY_MB"),
    uploadDir: get("OMF_UPLOAD_DIR"),
    cliUser: get("OMF_USER"),
    progressSeconds: get("OMF_PROGRESS_SECONDS"),
    debug: get("OMF_DEBUG"),
    shutdownGraceSeconds: get("OMF_SHUTDOWN_GRACE_SECONDS"),
    publicUrl: parsePublicUrl(get("OMF_PUBLIC_URL"), get("PORT"), get("NODE_ENV") === "production"),
    trustProxy: parseTrustProxy(get("OMF_TRUST_PROXY")),
  };
}

/** This process's environment with `extra` added: for a child program (pg_dump's PGPASSWORD) that reads its own. */
export function environmentWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
