#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx omf …` works straight after `npm install`.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/index.ts");
const code = await main(process.argv);
if (code !== 0) process.exit(code);
