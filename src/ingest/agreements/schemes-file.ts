/**
 * Reads a file of outcome agreement schemes (YAML, like content/agreements/schemes.yaml): every problem is reported
 * with the scheme and field it concerns, and nothing is returned unless the whole file is valid.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { type Scheme, schemesFileSchema } from "../../domain/agreements/scheme.ts";

/** The shipped presets (2010–13 and 2013–16). */
export const PRESET_SCHEMES_FILE = fileURLToPath(new URL("../../../content/agreements/schemes.yaml", import.meta.url));

export class SchemesFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join("; ")}`);
    this.name = "SchemesFileError";
  }
}

export function parseSchemesText(text: string, file = "schemes"): Scheme[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new SchemesFileError(file, [`not valid YAML: ${(error as Error).message}`]);
  }
  const r = schemesFileSchema.safeParse(raw);
  if (!r.success) {
    const codes = (raw as { schemes?: { code?: unknown }[] } | null)?.schemes;
    throw new SchemesFileError(
      file,
      r.error.issues.map((i) => {
        const [head, index, ...rest] = i.path;
        const named =
          head === "schemes" && typeof index === "number"
            ? `scheme ${String(codes?.[index]?.code ?? index + 1)}`
            : null;
        const field = (named ? rest : i.path).join(".");
        return `${named ?? "file"}${field ? `, ${field}` : ""}: ${i.message}`;
      }),
    );
  }
  return r.data.schemes;
}

export function readSchemesFile(path: string): Scheme[] {
  return parseSchemesText(readFileSync(path, "utf8"), path);
}

/** The shipped presets, by code. */
export function presetSchemes(): Map<string, Scheme> {
  return new Map(readSchemesFile(PRESET_SCHEMES_FILE).map((s) => [s.code, s]));
}
