/**
 * Renders src/catalogue/ids.ts: the catalogue's finding and control ids as TypeScript union types, so a
 * check that emits an id the catalogue lacks does not compile. `npm run docs` rewrites the file and a
 * test fails while it is stale.
 */
import type { Catalogue } from './catalogue.js';

/** The source text of src/catalogue/ids.ts for `catalogue`. */
export function renderIdsModule(catalogue: Catalogue): string {
  const list = (ids: string[]): string => ids.map((id) => `  '${id}',\n`).join('');
  return [
    '// Generated from src/catalogue/catalogue.json by `npm run docs`: do not edit by hand.',
    '',
    '/** Every finding id of the catalogue, in catalogue order. */',
    `export const FINDING_IDS = [\n${list(catalogue.findings.map((f) => f.id))}] as const;`,
    '/** A finding id the catalogue defines. */',
    'export type FindingId = (typeof FINDING_IDS)[number];',
    '',
    '/** Every control id of the catalogue, in catalogue order. */',
    `export const CONTROL_IDS = [\n${list(catalogue.controls.map((c) => c.id))}] as const;`,
    '/** A control id the catalogue defines. */',
    'export type ControlId = (typeof CONTROL_IDS)[number];',
    '',
  ].join('\n');
}
