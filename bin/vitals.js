#!/usr/bin/env node
// Entry point for `npx vitals`: runs the compiled CLI (built by `npm install` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('vitals: the CLI is not built yet; run `npm install` (or `npm run build`) in the vitals folder first.');
  process.exit(1);
}
await import(main.href);
