// The CLI as one JavaScript file, so that `omf` and `npm start` do not compile ~300 TypeScript modules through tsx on
// every start (about 1.5 s of CPU for `omf serve`, 0.5 s for `omf --help`). Built with esbuild on the first run after
// a change under src/ (checked by file size and time, a few milliseconds) and kept in node_modules/.cache/omf.
// Packages stay outside the bundle (Node loads them as usual); each module keeps its own import.meta.url, so files
// found next to the sources (views, locales, migrations, workers) are found as before. When the bundle cannot be
// built or kept, null is returned and the caller runs the sources through tsx.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const cacheDir = join(root, "node_modules", ".cache", "omf");

/** A key of every source file's path, size and modification time (a change anywhere gives a new bundle). */
function sourcesKey() {
  const h = createHash("sha256");
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) {
        const s = statSync(p);
        h.update(`${p}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(src);
  h.update(readFileSync(join(root, "package-lock.json")));
  h.update(process.version);
  return h.digest("hex").slice(0, 16);
}

/** esbuild plugin: import.meta.url (and .dirname) of each source module is that module's own path, not the bundle's. */
const ownImportMeta = {
  name: "own-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8")
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)));
      return { contents: text, loader: "ts" };
    });
  },
};

/** The path of a bundle of src/cli/index.ts that is up to date with the sources, or null (use the sources). */
export async function compiledCli() {
  if (process.env.OMF_FROM_SOURCE) return null;
  try {
    const dir = join(cacheDir, `cli-${sourcesKey()}`);
    const file = join(dir, "index.mjs");
    try {
      statSync(file);
      return file;
    } catch {
      // not built yet for these sources
    }
    const { build } = await import("esbuild");
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${dir}.${process.pid}.tmp`;
    await build({
      entryPoints: [join(src, "cli", "index.ts")],
      outdir: tmp,
      outExtension: { ".js": ".mjs" },
      // what a command loads when it runs (await import(...)) stays in its own files, loaded only then
      splitting: true,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      keepNames: true,
      logLevel: "silent",
      plugins: [ownImportMeta],
    });
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process built it at the same time
    }
    for (const f of readdirSync(cacheDir)) {
      if (/^cli-[0-9a-f]+$/.test(f) && join(cacheDir, f) !== dir)
        rmSync(join(cacheDir, f), { recursive: true, force: true });
    }
    return file;
  } catch {
    return null; // e.g. a read-only install: tsx compiles the sources instead
  }
}
