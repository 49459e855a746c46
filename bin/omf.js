#!/usr/bin/env node
// Runs the CLI: a bundle of the TypeScript sources built on the first run after a change (bin/compiled-cli.js), or
// the sources through tsx when no bundle can be built; so `npx omf …` works straight after `npm install`.
import { compiledCli } from "./compiled-cli.js";

const bundle = await compiledCli();
let cli;
if (bundle) cli = await import(bundle);
else {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("../src/cli/index.ts");
}
const code = await cli.main(process.argv);
if (code !== 0) process.exit(code);
