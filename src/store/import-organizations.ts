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
import { organizationNameKey } from './repos/organizations.repo.js';
import type { Organization, OrganizationInput } from '../core/organization.js';
import type { UpsertChange, UpsertCounts } from './repos/organizations.repo.js';
import { describeSharedDomain, findSharedDomains, type SharedDomain } from './shared-domains.js';
import { AppError } from '../core/errors.js';
import { parseDomainName } from '../core/names.js';
import { canonicalNetwork } from '../intel/reputation/network.js';

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

/** An organization as a file gives it: the organization, and the names of its vendors when the file has them. */
export interface ImportedOrganization extends OrganizationInput {
  /**
   * Names (or aliases) of organizations in the portfolio this one depends on. Absent: the file has no
   * `vendors` column (or key) and stored links stay as they are; empty: it has no vendors.
   */
  vendors?: string[];
  /**
   * Aliases the file declares ambiguous or unambiguous (`ambiguous_aliases`, `unambiguous_aliases`),
   * overriding the judgement made at import (issue #9 section 1); they are aliases too.
   */
  ambiguousAliases?: string[];
  unambiguousAliases?: string[];
  /**
   * The networks (canonical CIDR) the organization declares as its own, for IP reputation. Absent: the file
   * has no `networks` column and stored networks stay as they are; empty: it declares none.
   */
  networks?: string[];
}

/** A validated file, ready for `importOrganizations`. */
export interface ParsedOrganizations {
  path: string;
  format: 'csv' | 'json';
  organizations: ImportedOrganization[];
  /** Where each organization is in the file (`line 3`, `index 0`), for problems found at import time. */
  locations?: string[];
}

/** Totals of an import. */
export type ImportCounts = UpsertCounts;

/** Column names; the first four are required in a CSV header. */
const REQUIRED_COLUMNS = ['name', 'domains', 'sector', 'telehealth'] as const;
const OPTIONAL_COLUMNS = [
  'aliases',
  'tags',
  'vendors',
  'ambiguous_aliases',
  'unambiguous_aliases',
  'networks',
] as const;
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
  const result = parseDomainName(value);
  if (result.ok) return result.domain;
  ctx.addIssue({ code: 'custom', message: result.reason });
  return z.NEVER;
});

const networkField = z.string().transform((value, ctx) => {
  const network = canonicalNetwork(value);
  if (network !== null) return network;
  ctx.addIssue({ code: 'custom', message: `"${value}" is not a CIDR network or IP address` });
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
  vendors: listField.optional(),
  ambiguous_aliases: listField.optional(),
  unambiguous_aliases: listField.optional(),
  networks: listField.pipe(z.array(networkField)).optional(),
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

function toInput(row: z.infer<typeof organizationRow>): ImportedOrganization {
  const input: ImportedOrganization = {
    name: row.name,
    sector: row.sector,
    domains: [...new Set(row.domains)],
    telehealth: row.telehealth,
    aliases: [
      ...new Set([...(row.aliases ?? []), ...(row.ambiguous_aliases ?? []), ...(row.unambiguous_aliases ?? [])]),
    ],
    tags: [...new Set(row.tags ?? [])],
  };
  if (row.ambiguous_aliases !== undefined) input.ambiguousAliases = [...new Set(row.ambiguous_aliases)];
  if (row.unambiguous_aliases !== undefined) input.unambiguousAliases = [...new Set(row.unambiguous_aliases)];
  if (row.networks !== undefined) input.networks = [...new Set(row.networks)].sort();
  if (row.vendors !== undefined) {
    // One vendor named twice (or by name and alias) is one vendor; resolved against the portfolio at import.
    input.vendors = [
      ...new Map(row.vendors.map((v) => [organizationNameKey(v), v.trim().replace(/\s+/g, ' ')])).values(),
    ];
  }
  return input;
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
    problems.push({
      message: 'the file is empty (expected a header: name,domains,sector,telehealth,aliases,tags,vendors,networks)',
    });
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
      // (An empty `vendors` cell is kept: it means "no vendors", which clears stored ones.)
      if (
        field.trim() !== '' ||
        column === 'vendors' ||
        column === 'networks' ||
        !(OPTIONAL_COLUMNS as readonly string[]).includes(column)
      )
        value[column] = field;
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
  const organizations: ImportedOrganization[] = [];
  const locations: string[] = [];
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
    const input = toInput(parsed.data);
    if (input.vendors?.some((v) => organizationNameKey(v) === key)) {
      problems.push({ ...row.where, message: `vendors: "${input.name}" cannot be its own vendor` });
      continue;
    }
    organizations.push(input);
    locations.push(where);
  }
  if (problems.length > 0) {
    // Structural problems are found before row problems: report them all in file order.
    const position = (p: ImportProblem): number => p.line ?? p.index ?? -1;
    throw new ImportError(
      path,
      problems.sort((a, b) => position(a) - position(b)),
    );
  }
  return { path, format, organizations, locations };
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
 * import with `ImportError` unless `allowSharedDomains`. Vendors are linked after every organization of
 * the file exists, so a file may name a vendor that comes later in it; a vendor name that is neither in
 * the file nor in the portfolio rejects the whole import (nothing is written), naming the row.
 */
export async function importOrganizations(
  store: Pick<Store, 'organizations' | 'transaction'>,
  organizations: ParsedOrganizations | readonly ImportedOrganization[],
  options: ImportOptions = {},
): Promise<ImportCounts> {
  const list = 'organizations' in organizations ? organizations.organizations : organizations;
  const path = 'path' in organizations ? organizations.path : '<organizations>';
  const locations = 'locations' in organizations ? organizations.locations : undefined;
  const shared = findSharedDomains(list, await store.organizations.list());
  if (shared.length > 0 && !options.allowSharedDomains) {
    throw new ImportError(
      path,
      shared.map((s) => ({
        message: `${describeSharedDomain(s)}; pass --allow-shared-domains if the sharing is intended`,
      })),
    );
  }
  for (const s of shared) options.onSharedDomain?.(s);
  const now = new Date();
  return store.transaction(async (repos) => {
    const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
    const upserted: { id: string; change: UpsertChange }[] = [];
    for (const input of list) {
      const { organization, change } = await repos.organizations.upsert(input, now);
      upserted.push({ id: organization.id, change });
    }
    const withVendors = list.flatMap((input, i) => (input.vendors === undefined ? [] : [{ input, i }]));
    if (withVendors.length > 0) {
      const portfolio = vendorDirectory(await repos.organizations.list());
      const problems: ImportProblem[] = [];
      for (const { input, i } of withVendors) {
        const self = upserted[i]!;
        const vendorIds: string[] = [];
        for (const name of input.vendors ?? []) {
          const found = portfolio.get(organizationNameKey(name));
          const where = locationOf(locations?.[i], i);
          if (found === undefined) {
            problems.push({
              ...where,
              message:
                `vendors: no organization named "${name}" in the file or the portfolio (import the ` +
                `vendor as an organization, sector vendor)`,
            });
          } else if (found.length > 1) {
            problems.push({
              ...where,
              message: `vendors: "${name}" names several organizations (${found.map((o) => o.name).join(', ')})`,
            });
          } else if (found[0]!.id === self.id) {
            problems.push({ ...where, message: `vendors: "${name}" is ${input.name} itself` });
          } else vendorIds.push(found[0]!.id);
        }
        if (problems.length > 0) continue;
        const changed = await repos.vendors.setVendors(self.id, vendorIds, now);
        if (changed && self.change === 'unchanged') self.change = 'updated';
      }
      // Throwing inside the transaction rolls back every upsert above: nothing is imported.
      if (problems.length > 0) throw new ImportError(path, problems);
    }
    for (const [i, input] of list.entries()) {
      if (input.networks === undefined) continue;
      const self = upserted[i]!;
      const changed = await repos.reputation.setNetworks(self.id, input.networks, now);
      if (changed && self.change === 'unchanged') self.change = 'updated';
    }
    for (const { change } of upserted) counts[change] += 1;
    return counts;
  });
}

/**
 * Looks organizations up by name, else by alias (case-insensitively, as `--org` does); an alias two
 * organizations share gives both, so the caller can say it is ambiguous.
 */
function vendorDirectory(all: readonly Organization[]): Map<string, Organization[]> {
  const byName = new Map(all.map((o) => [organizationNameKey(o.name), [o]]));
  const byAlias = new Map<string, Organization[]>();
  for (const organization of all) {
    for (const key of new Set(organization.aliases.map(organizationNameKey))) {
      byAlias.set(key, [...(byAlias.get(key) ?? []), organization]);
    }
  }
  for (const [key, found] of byAlias) if (!byName.has(key)) byName.set(key, found);
  return byName;
}

/** `line 3` back to `{line: 3}` (the form ImportProblem carries); else the array index. */
function locationOf(location: string | undefined, index: number): { line?: number; index?: number } {
  const line = location === undefined ? undefined : /^line (\d+)$/.exec(location);
  if (line) return { line: Number(line[1]) };
  return { index };
}
