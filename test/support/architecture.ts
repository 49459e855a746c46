/**
 * Reads the import graph of a source tree (`<root>/src/**\/*.ts`: the specifiers of `import … from`, `export … from`,
 * `import "…"` and `import("…")`) and reports every arrow the architecture forbids (docs/architecture.md):
 *
 * - src/domain imports only src/domain; src/stats imports only src/stats (pure, nothing from the app);
 * - only src/db holds SQL: no drizzle-orm / pg / PGlite import, no sql`…` template and no SQL statement in a string
 *   outside src/db;
 * - src/web, src/api and src/cli never import src/db;
 * - src/services never import src/web, src/api or src/cli;
 * - src/render imports no src/web, src/api, src/cli or src/db code;
 * - src/db and src/ingest import no services, render, web, api or cli code;
 * - only src/config.ts reads process.env;
 * - no import cycles (of run-time imports: a cycle through `import type` is erased when the code runs).
 *
 * Used by test/architecture.test.ts on the real tree and on a fixture tree with deliberate breaches.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

export interface Violation {
  rule: string;
  file: string;
  detail: string;
}

export interface ImportGraph {
  /** Files, relative to the root with "/" separators, e.g. "src/web/app.ts". */
  files: string[];
  /** Local imports of each file (resolved, relative to the root). */
  imports: Map<string, string[]>;
  /** The local imports that exist at run time (not `import type` / `export type`): the graph cycles are sought in. */
  runtimeImports: Map<string, string[]>;
  /** Package imports of each file ("drizzle-orm", "node:fs" …). */
  packages: Map<string, string[]>;
  /** Source text of each file with comments removed. */
  code: Map<string, string>;
}

const SPECIFIER =
  /(?:\bimport\s+(type\s+)?(?:[\w*\s{},$]+?\s+from\s+)?|\bexport\s+(type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+|\bimport\s*\(\s*)["']([^"']+)["']/g;

/** Removes comments (keeps strings and template literals, which the SQL rule needs). */
export function stripComments(source: string): string {
  let out = "";
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      i += 2;
      while (i < source.length && !(source[i] === "*" && source[i + 1] === "/")) i++;
      i += 2;
    } else if (c === '"' || c === "'" || c === "`") {
      const start = i++;
      while (i < source.length && source[i] !== c) i += source[i] === "\\" ? 2 : 1;
      i++;
      out += source.slice(start, i);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(path);
  }
}

const toPosix = (p: string) => p.split(sep).join("/");

export function readImportGraph(root: string): ImportGraph {
  const paths: string[] = [];
  walk(join(root, "src"), paths);
  const graph: ImportGraph = {
    files: [],
    imports: new Map(),
    runtimeImports: new Map(),
    packages: new Map(),
    code: new Map(),
  };
  for (const path of paths) {
    const file = toPosix(relative(root, path));
    const code = stripComments(readFileSync(path, "utf8"));
    const local: string[] = [];
    const runtime: string[] = [];
    const packages: string[] = [];
    for (const m of code.matchAll(SPECIFIER)) {
      const spec = m[3]!;
      if (spec.startsWith(".")) {
        const target = resolve(dirname(path), spec);
        const resolved = toPosix(
          relative(root, existsSync(target) && statSync(target).isFile() ? target : `${target}.ts`),
        );
        local.push(resolved);
        if (!m[1] && !m[2]) runtime.push(resolved);
      } else packages.push(spec);
    }
    graph.files.push(file);
    graph.imports.set(file, local);
    graph.runtimeImports.set(file, runtime);
    graph.packages.set(file, packages);
    graph.code.set(file, code);
  }
  return graph;
}

/** The layer of a file: the folder under src/ ("domain", "web" …), or the file itself for top-level modules. */
export function layerOf(file: string): string {
  const parts = file.split("/");
  return parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.ts$/, "");
}

/** Layers each layer must not import (besides the "only" rules). */
const FORBIDDEN: Record<string, readonly string[]> = {
  web: ["db"],
  api: ["db"],
  cli: ["db"],
  services: ["web", "api", "cli"],
  render: ["web", "api", "cli", "db"],
  db: ["services", "render", "web", "api", "cli"],
  ingest: ["db", "services", "render", "web", "api", "cli"],
};

/** Layers that may import only themselves. */
const ONLY_SELF = ["domain", "stats"];

const SQL_PACKAGES = /^(drizzle-orm(\/.*)?|pg|pg-copy-streams|@electric-sql\/pglite(\/.*)?)$/;
const SQL_TEMPLATE = /\bsql\s*`/;
const SQL_STATEMENT =
  /["'`]\s*(SELECT\s[\s\S]*?\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|INDEX|VIEW)\s|ALTER\s+TABLE\s|COPY\s+\w+)/;

export function checkArchitecture(root: string): Violation[] {
  const graph = readImportGraph(root);
  const violations: Violation[] = [];
  for (const file of graph.files) {
    const layer = layerOf(file);
    for (const target of graph.imports.get(file) ?? []) {
      const to = layerOf(target);
      if (to === layer) continue;
      if (ONLY_SELF.includes(layer)) {
        violations.push({ rule: `${layer} imports no app code`, file, detail: `imports ${target}` });
      } else if (FORBIDDEN[layer]?.includes(to)) {
        violations.push({ rule: `${layer} never imports ${to}`, file, detail: `imports ${target}` });
      }
    }
    const code = graph.code.get(file) ?? "";
    if (layer !== "db") {
      for (const pkg of graph.packages.get(file) ?? []) {
        if (SQL_PACKAGES.test(pkg)) violations.push({ rule: "only src/db holds SQL", file, detail: `imports ${pkg}` });
      }
      if (SQL_TEMPLATE.test(code)) violations.push({ rule: "only src/db holds SQL", file, detail: "uses sql`…`" });
      const statement = SQL_STATEMENT.exec(code);
      if (statement) {
        const lineStart = code.lastIndexOf("\n", statement.index) + 1;
        const line = code.slice(lineStart, code.indexOf("\n", statement.index) >>> 0).trim();
        violations.push({ rule: "only src/db holds SQL", file, detail: `SQL text: ${line.slice(0, 80)}` });
      }
    }
    if (file !== "src/config.ts" && /\bprocess\.env\b/.test(code)) {
      violations.push({ rule: "only src/config.ts reads the environment", file, detail: "reads process.env" });
    }
  }
  for (const cycle of findCycles(graph)) {
    violations.push({ rule: "no import cycles", file: cycle[0]!, detail: cycle.join(" -> ") });
  }
  return violations;
}

/** Every cycle of run-time imports (each reported once, from its first file in sorted order). */
export function findCycles(graph: ImportGraph): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "active");
    stack.push(file);
    for (const next of graph.runtimeImports.get(file) ?? []) {
      if (!graph.runtimeImports.has(next)) continue;
      const s = state.get(next);
      if (s === "active") {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
        const key = canonical.join(">");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...canonical, canonical[0]!]);
        }
      } else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.files) if (!state.has(file)) visit(file);
  return cycles;
}
