/** Configuration from the environment, validated once at start-up. */
import { isIP } from "node:net";
import { z } from "zod";

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

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  OMF_DATA_DIR: z.string().default("./data"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  NODE_ENV: z.string().default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  OMF_PUBLIC_URL: z.string().optional(),
  OMF_TRUST_PROXY: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string | undefined;
  production: boolean;
  logLevel: string;
  /** Public address used in citations and downloads; undefined only in production when OMF_PUBLIC_URL is unset. */
  publicUrl: string | undefined;
  trustProxy: TrustProxy;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0])} ${issue.message}`);
  }
  const c = parsed.data;
  const production = c.NODE_ENV === "production";
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: c.OMF_DATA_DIR,
    sessionSecret: c.SESSION_SECRET,
    production,
    logLevel: c.LOG_LEVEL,
    publicUrl: parsePublicUrl(c.OMF_PUBLIC_URL, c.PORT, production),
    trustProxy: parseTrustProxy(c.OMF_TRUST_PROXY),
  };
}
