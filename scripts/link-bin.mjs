#!/usr/bin/env node
// npm does not link a project's own `bin` into its node_modules/.bin, so `npx omf` would not find it after
// `npm install`. This postinstall step adds that link (idempotent, no network).
import { chmodSync, existsSync, lstatSync, mkdirSync, symlinkSync, unlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "bin", "omf.js");
const binDir = join(root, "node_modules", ".bin");
const link = join(binDir, "omf");
mkdirSync(binDir, { recursive: true });
try {
  if (lstatSync(link)) unlinkSync(link);
} catch {}
if (existsSync(target)) {
  chmodSync(target, 0o755);
  symlinkSync(relative(binDir, target), link);
}
