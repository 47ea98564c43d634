/**
 * Reads an organizations file (CSV or JSON), validates every row, and upserts the result. A file with
 * any bad row is rejected whole, with every problem listed, so a typo never half-imports a portfolio.
 */
import { FILE_CAPS, FileTooLargeError, readCappedTextFile } from '../core/capped-file.js';
import { extname } from 'node:path';
import { z } from 'zod';
import { SECTORS } from '../core/types.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import type { Store } from './database.js';
import { normalizeDomainName } from './domain-name.js';
import { organizationNameKey } from './repos/organizations.repo.js';
import type { OrganizationInput } from '../core/organization.js';
import type { UpsertCounts } from './repos/organizations.repo.js';
import { describeSharedDomain, findSharedDomains, type SharedDomain } from './shared-domains.js';
import { AppError } from '../core/errors.js';

/** One bad row: CSV rows carry their line number, JSON rows their array index (0-based). */
export interface ImportProblem {
  line?: number;
  index?: number;
  message: string;
}

/** The file was rejected; `problems` lists every bad row. */
export class ImportError extends AppError {
  override readonly name = 'ImportError';
  readonly code = 'import-rejected';
  constructor(
    readonly path: string,
    readonly problems: ImportProblem[],
  ) {
    super(
      `${path}: rejected, nothing imported (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${describeLocation(p)}: ${p.message}`).join('\n'),
    );
  }
}

/** A validated file, ready for `importOrganizations`. */
export interface ParsedOrganizations {
  path: string;
  format: 'csv' | 'json';
  organizations: OrganizationInput[];
}

/** Totals of an import. */
export type ImportCounts = UpsertCounts;

/** Column names; the first four are required in a CSV header. */
const REQUIRED_COLUMNS = ['name', 'domains', 'sector', 'telehealth'] as const;
const OPTIONAL_COLUMNS = ['aliases', 'tags'] as const;
const KNOWN_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

function describeLocation(problem: { line?: number; index?: number }): string {
  if (problem.line !== undefined) return `line ${problem.line}`;
  if (problem.index !== undefined) return `index ${problem.index}`;
  return 'file';
}

/** `a; b;;c` or `["a","b"]` to a clean list. */
const listField = z
  .union([z.array(z.string()), z.string()])
  .transform((value) => (Array.isArray(value) ? value : value.split(';')).map((s) => s.trim()).filter((s) => s !== ''));

const domainField = z.string().transform((value, ctx) => {
  const result = normalizeDomainName(value);
  if (result.ok) return result.domain;
  ctx.addIssue({ code: 'custom', message: result.reason });
  return z.NEVER;
});

const TRUE_WORDS = new Set(['true', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'no', '0']);
const telehealthField = z.union([z.boolean(), z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  ctx.addIssue({ code: 'custom', message: `"${String(value)}" is not one of true/false/yes/no/1/0` });
  return z.NEVER;
});

const sectorField = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(SECTORS, { error: () => `must be one of ${SECTORS.join(', ')}` }));

/** One organization row, from CSV strings or JSON values alike. Unknown keys are refused (typos). */
const organizationRow = z.strictObject({
  name: z
    .string()
    .transform((s) => s.trim().replace(/\s+/g, ' '))
    .pipe(z.string().min(1, 'is empty').max(200, 'is longer than 200 characters')),
  domains: listField.pipe(z.array(domainField).min(1, 'needs at least one domain')),
  sector: sectorField,
  telehealth: telehealthField,
  aliases: listField.optional(),
  tags: listField.optional(),
});

function rowMessage(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String);
      // Point at the column, and at the position inside `domains`, not at zod's internal path.
      const where = path.length === 0 ? '' : `${path[0]}${path.length > 1 ? ` #${Number(path[1]) + 1}` : ''}: `;
      return `${where}${issue.message}`;
    })
    .join('; ');
}

function toInput(row: z.infer<typeof organizationRow>): OrganizationInput {
  return {
    name: row.name,
    sector: row.sector,
    domains: [...new Set(row.domains)],
    telehealth: row.telehealth,
    aliases: [...new Set(row.aliases ?? [])],
    tags: [...new Set(row.tags ?? [])],
  };
}

interface LocatedRow {
  where: { line?: number; index?: number };
  value: unknown;
}

function csvRows(text: string, problems: ImportProblem[]): LocatedRow[] {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      problems.push({ line: error.line, message: error.message.replace(/^line \d+: /, '') });
      return [];
    }
    throw error;
  }
  const [header, ...body] = records;
  if (header === undefined) {
    problems.push({ message: 'the file is empty (expected a header: name,domains,sector,telehealth,aliases,tags)' });
    return [];
  }
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const headerProblems: string[] = [];
  for (const column of columns) {
    if (!KNOWN_COLUMNS.includes(column))
      headerProblems.push(`unknown column "${column}" (known: ${KNOWN_COLUMNS.join(', ')})`);
  }
  for (const required of REQUIRED_COLUMNS)
    if (!columns.includes(required)) headerProblems.push(`missing column "${required}"`);
  const duplicates = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (duplicates.length > 0)
    headerProblems.push(`duplicate column ${[...new Set(duplicates)].map((d) => `"${d}"`).join(', ')}`);
  if (headerProblems.length > 0) {
    problems.push({ line: header.line, message: headerProblems.join('; ') });
    return [];
  }
  if (body.length === 0) problems.push({ line: header.line, message: 'no organizations after the header' });
  const rows: LocatedRow[] = [];
  for (const record of body) {
    if (record.fields.length !== columns.length) {
      problems.push({
        line: record.line,
        message: `has ${record.fields.length} fields, the header has ${columns.length}`,
      });
      continue;
    }
    const value: Record<string, string> = {};
    columns.forEach((column, i) => {
      const field = record.fields[i] ?? '';
      // An empty optional cell means "none", not an error.
      if (field.trim() !== '' || !(OPTIONAL_COLUMNS as readonly string[]).includes(column)) value[column] = field;
    });
    rows.push({ where: { line: record.line }, value });
  }
  return rows;
}

function jsonRows(text: string, problems: ImportProblem[]): LocatedRow[] {
  let document: unknown;
  try {
    document = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    problems.push({ message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
    return [];
  }
  const list = Array.isArray(document)
    ? document
    : typeof document === 'object' &&
        document !== null &&
        Array.isArray((document as { organizations?: unknown }).organizations)
      ? (document as { organizations: unknown[] }).organizations
      : undefined;
  if (list === undefined) {
    problems.push({ message: 'expected an array of organizations, or an object with an "organizations" array' });
    return [];
  }
  if (list.length === 0) problems.push({ message: 'no organizations in the file' });
  return list.map((value, index) => ({ where: { index }, value }));
}

/** Validate already-read file content; throws `ImportError` listing every bad row. */
export function parseOrganizationsText(
  text: string,
  format: 'csv' | 'json',
  path = `<${format}>`,
): ParsedOrganizations {
  const problems: ImportProblem[] = [];
  const rows = format === 'csv' ? csvRows(text, problems) : jsonRows(text, problems);
  const organizations: OrganizationInput[] = [];
  const firstByName = new Map<string, string>();
  for (const row of rows) {
    const parsed = organizationRow.safeParse(row.value);
    if (!parsed.success) {
      problems.push({ ...row.where, message: rowMessage(parsed.error) });
      continue;
    }
    const where = describeLocation(row.where);
    const key = organizationNameKey(parsed.data.name);
    const first = firstByName.get(key);
    if (first !== undefined) {
      problems.push({ ...row.where, message: `duplicate name "${parsed.data.name}" (first at ${first})` });
      continue;
    }
    firstByName.set(key, where);
    organizations.push(toInput(parsed.data));
  }
  if (problems.length > 0) {
    // Structural problems are found before row problems: report them all in file order.
    const position = (p: ImportProblem): number => p.line ?? p.index ?? -1;
    throw new ImportError(
      path,
      problems.sort((a, b) => position(a) - position(b)),
    );
  }
  return { path, format, organizations };
}

/** Read and validate a `.csv` or `.json` organizations file; throws `ImportError` listing every bad row. */
export function parseOrganizationsFile(path: string): ParsedOrganizations {
  const extension = extname(path).toLowerCase();
  if (extension !== '.csv' && extension !== '.json') {
    throw new ImportError(path, [{ message: `unsupported file type "${extension}" (use .csv or .json)` }]);
  }
  let text: string;
  try {
    text = readCappedTextFile(path, FILE_CAPS.organizations, 'organizations file');
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new ImportError(path, [{ message: error.message }]);
    throw new ImportError(path, [
      { message: `cannot read the file: ${error instanceof Error ? error.message : String(error)}` },
    ]);
  }
  return parseOrganizationsText(text, extension === '.csv' ? 'csv' : 'json', path);
}

/** How an import treats a domain that two organizations would own. */
export interface ImportOptions {
  /** Import anyway (the sharing is intended); each shared domain is still reported to `onSharedDomain`. */
  allowSharedDomains?: boolean;
  onSharedDomain?: (shared: SharedDomain) => void;
}

/**
 * Upsert parsed organizations in one transaction; importing the same file twice changes nothing. A
 * domain that two organizations would own (in the file, or one in the file and one stored) rejects the
 * import with `ImportError` unless `allowSharedDomains`.
 */
export async function importOrganizations(
  store: Pick<Store, 'organizations'>,
  organizations: ParsedOrganizations | readonly OrganizationInput[],
  options: ImportOptions = {},
): Promise<ImportCounts> {
  const list = 'organizations' in organizations ? organizations.organizations : organizations;
  const shared = findSharedDomains(list, await store.organizations.list());
  if (shared.length > 0 && !options.allowSharedDomains) {
    const path = 'path' in organizations ? organizations.path : '<organizations>';
    throw new ImportError(
      path,
      shared.map((s) => ({
        message: `${describeSharedDomain(s)}; pass --allow-shared-domains if the sharing is intended`,
      })),
    );
  }
  for (const s of shared) options.onSharedDomain?.(s);
  return store.organizations.upsertMany(list);
}
