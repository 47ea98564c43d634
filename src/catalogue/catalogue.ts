/**
 * The finding catalogue: every finding type a check may emit (id, factor, severity, advice,
 * references) and every good control it may record. The data lives in catalogue.json; it is
 * validated with zod when this module is imported, so a bad edit fails at start-up, not mid-scan.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FACTORS, SEVERITIES } from '../core/types.js';
import type { Factor, Severity } from '../core/types.js';

/** Finding and control ids: lower-case dotted words, at least two of them (`dns.spf.missing`). */
export const CATALOGUE_ID_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

const referenceSchema = z.strictObject({
  kind: z.enum(['rfc', 'hicp', 'hipaa', 'other']),
  ref: z.string().min(1),
  url: z.url({ protocol: /^https$/ }).optional(),
});

/**
 * A text field: one string, or (so catalogue.json keeps its lines within 120 characters) the lines of
 * one, joined with a single space.
 */
const textSchema = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((text) => (Array.isArray(text) ? text.join(' ') : text));

const findingTypeSchema = z.strictObject({
  id: z.string().regex(CATALOGUE_ID_PATTERN),
  factor: z.enum(FACTORS),
  severity: z.enum(SEVERITIES),
  title: textSchema,
  description: textSchema,
  remediation: textSchema,
  references: z.array(referenceSchema).min(1),
});

const controlTypeSchema = z.strictObject({
  id: z.string().regex(CATALOGUE_ID_PATTERN),
  title: textSchema,
  description: textSchema,
});

const catalogueSchema = z
  .strictObject({
    findings: z.array(findingTypeSchema).min(1),
    controls: z.array(controlTypeSchema),
  })
  .superRefine((cat, ctx) => {
    const seen = new Set<string>();
    for (const [i, entry] of [...cat.findings, ...cat.controls].entries()) {
      if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', message: `duplicate id "${entry.id}"`, path: ['ids', i] });
      seen.add(entry.id);
    }
  });

/** A reference backing a finding type: an RFC section, a HICP practice, a HIPAA section, or other. */
export type CatalogueReference = z.infer<typeof referenceSchema>;
/** One finding type of the catalogue. */
export interface FindingType {
  id: string;
  factor: Factor;
  severity: Severity;
  title: string;
  description: string;
  remediation: string;
  references: CatalogueReference[];
}
/** One good-control type of the catalogue. */
export type ControlType = z.infer<typeof controlTypeSchema>;
/** The whole catalogue. */
export interface Catalogue {
  findings: FindingType[];
  controls: ControlType[];
}

/** Validates catalogue data (already parsed JSON); throws an Error listing every problem. */
export function parseCatalogue(data: unknown, source = 'catalogue'): Catalogue {
  const parsed = catalogueSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`invalid finding catalogue ${source}:\n${problems}`);
  }
  return parsed.data;
}

// Read next to this module so it works from src/ (tsx) and from dist/ (tsc copies included JSON).
const CATALOGUE_URL = new URL('./catalogue.json', import.meta.url);
const catalogue: Catalogue = parseCatalogue(JSON.parse(readFileSync(CATALOGUE_URL, 'utf8')), CATALOGUE_URL.pathname);
const findingsById = new Map(catalogue.findings.map((f) => [f.id, f]));
const controlsById = new Map(catalogue.controls.map((c) => [c.id, c]));

/** The validated catalogue (shared instance: do not mutate). */
export function getCatalogue(): Catalogue {
  return catalogue;
}

/** The finding type with this id; throws for an id the catalogue does not define. */
export function getFindingType(id: string): FindingType {
  const found = findingsById.get(id);
  if (!found) throw new Error(`unknown finding type "${id}": it is not defined in src/catalogue/catalogue.json`);
  return found;
}

/** The control type with this id; throws for an id the catalogue does not define. */
export function getControlType(id: string): ControlType {
  const found = controlsById.get(id);
  if (!found) throw new Error(`unknown control "${id}": it is not defined in src/catalogue/catalogue.json`);
  return found;
}

/** Finding types in catalogue order, optionally only those of one factor. */
export function listFindingTypes(filter: { factor?: Factor } = {}): FindingType[] {
  return catalogue.findings.filter((f) => filter.factor === undefined || f.factor === filter.factor);
}

/** Control types in catalogue order. */
export function listControlTypes(): ControlType[] {
  return [...catalogue.controls];
}

/** Output formats of {@link renderCatalogue}. */
export type CatalogueFormat = 'table' | 'json' | 'md';

/** Renders the catalogue as a terminal table, JSON, or the Markdown of docs/findings.md. */
export function renderCatalogue(format: CatalogueFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(catalogue, null, 2)}\n`;
    case 'table':
      return renderTable();
    case 'md':
      return renderMarkdown();
  }
}

const FACTOR_TITLES: Record<Factor, string> = {
  dns_health: 'DNS health',
  tls: 'TLS',
  application_security: 'Application security',
  network_security: 'Network security',
  patching_cadence: 'Patching cadence',
  ip_reputation: 'IP reputation',
  hacker_chatter: 'Hacker chatter',
  information_leak: 'Information leak',
};

function renderTable(): string {
  const rows = [
    ['ID', 'FACTOR', 'SEVERITY', 'TITLE'],
    ...catalogue.findings.map((f) => [f.id, f.factor, f.severity, f.title]),
  ];
  const widths = [0, 1, 2].map((col) => Math.max(...rows.map((r) => r[col]!.length)));
  const line = (r: string[]): string => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ');
  const controlRows = catalogue.controls.map(
    (c) => `${c.id.padEnd(widths[0]!)}  ${'control'.padEnd(widths[1]!)}  ${'info'.padEnd(widths[2]!)}  ${c.title}`,
  );
  return `${[...rows.map(line), ...controlRows].join('\n')}\n`;
}

/** Escapes text placed in Markdown so `<`, `|` and `*` in advice render literally. */
function md(text: string): string {
  return text.replace(/[\\`*_|<>[\]]/g, (ch) => `\\${ch}`);
}

function renderReference(r: CatalogueReference): string {
  const label = md(r.ref);
  return r.url ? `[${label}](${r.url})` : label;
}

function renderMarkdown(): string {
  const out: string[] = [
    "<!-- Generated from src/catalogue/catalogue.json by renderCatalogue('md'). Do not edit by hand: run `npm " +
      'run docs`. -->',
    '',
    '# Vitals finding catalogue',
    '',
    `${catalogue.findings.length} finding types and ${catalogue.controls.length} good controls. Severities, ` +
      `most severe first: ${SEVERITIES.join(', ')}.`,
    '',
  ];
  for (const factor of FACTORS) {
    const findings = listFindingTypes({ factor });
    if (findings.length === 0) continue;
    out.push(`## ${FACTOR_TITLES[factor]} (\`${factor}\`)`, '', '| ID | Severity | Title |', '|---|---|---|');
    for (const f of findings) out.push(`| [\`${f.id}\`](#${anchor(f.id)}) | ${f.severity} | ${md(f.title)} |`);
    out.push('');
    for (const f of findings) {
      out.push(
        `### ${f.id}`,
        '',
        `**${md(f.title)}** (severity: ${f.severity}, factor: \`${f.factor}\`)`,
        '',
        md(f.description),
        '',
        `**Remediation.** ${md(f.remediation)}`,
        '',
        '**References.**',
        '',
        ...f.references.map((r) => `- ${renderReference(r)}`),
        '',
      );
    }
  }
  out.push(
    '## Good controls',
    '',
    'Recorded as `info` observations; they never cost or earn points by themselves.',
    '',
    '| ID | Title | Meaning |',
    '|---|---|---|',
  );
  for (const c of catalogue.controls) out.push(`| \`${c.id}\` | ${md(c.title)} | ${md(c.description)} |`);
  return `${out.join('\n')}\n`;
}

/** GitHub's heading anchor for `### dns.spf.missing`: dots dropped, lower case. */
function anchor(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9_ -]/g, '')
    .replace(/ /g, '-');
}
