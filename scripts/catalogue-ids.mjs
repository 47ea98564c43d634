#!/usr/bin/env node
// Writes src/catalogue/ids.ts from the catalogue (run by `npm run docs` after the build).
import { writeFileSync } from 'node:fs';
import { getCatalogue } from '../dist/src/catalogue/catalogue.js';
import { renderIdsModule } from '../dist/src/catalogue/ids-module.js';

writeFileSync(new URL('../src/catalogue/ids.ts', import.meta.url), renderIdsModule(getCatalogue()));
