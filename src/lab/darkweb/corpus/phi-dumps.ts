/**
 * Patient records published in the clear (issue #9 section 2): tables in CSV, TSV, pipe-separated,
 * fixed-width, Markdown and JSON lines whose header or keys name patient fields in the many ways
 * exports spell them (MRN, PatientID, DOB, birth_date, SSN, MBI, member id, ICD10, Dx...), labelled
 * record blocks, free dumps and "free samples" of a database for sale (rows win over the offer, so
 * the class stays phi_exposure). Identifiers sit in their columns with real checksums (or one-error
 * look-alikes the extractors must refuse).
 */
import type { Written } from './identifiers.js';
import { plantClia, plantDea, plantIcd10, plantMbi, plantNpi, plantSsn } from './identifiers.js';
import type { OrgProfile } from './orgs.js';
import type { DocWriter, MentionVia } from './writer.js';
import { INSURERS } from './vocabulary.js';
import {
  aside,
  anonymousVictim,
  dateOfBirth,
  unmonitoredVictim,
  type BuildInput,
  type BuiltDocument,
} from './doc-helpers.js';

type Column =
  | 'name'
  | 'first'
  | 'last'
  | 'dob'
  | 'mrn'
  | 'ssn'
  | 'mbi'
  | 'member'
  | 'dx'
  | 'npi'
  | 'ins'
  | 'rx'
  | 'lab'
  | 'phone';

/** Header spellings per column (exports, EHR reports and hand-made sheets differ). */
const HEADERS: Record<Column, readonly string[]> = {
  name: ['patient_name', 'Patient', 'PatientName', 'Name', 'pt_name'],
  first: ['first_name', 'FirstName', 'fname', 'First'],
  last: ['last_name', 'LastName', 'lname', 'Last'],
  dob: ['DOB', 'dob', 'birth_date', 'DateOfBirth', 'Birthdate', 'date_of_birth'],
  mrn: ['MRN', 'mrn', 'med_rec_no', 'PatientID', 'patient_id', 'chart_no'],
  ssn: ['SSN', 'ssn', 'social', 'SocialSecurity'],
  mbi: ['MBI', 'mbi', 'medicare_id', 'MedicareID'],
  member: ['member_id', 'MemberID', 'subscriber_id', 'policy_no'],
  dx: ['ICD10', 'Dx', 'diagnosis_code', 'icd10_code', 'DiagnosisCode', 'dx_code'],
  npi: ['provider_npi', 'NPI', 'attending_npi', 'RenderingNPI'],
  ins: ['insurance', 'payer', 'Plan', 'carrier'],
  rx: ['NDC', 'rx_ndc', 'Medication'],
  lab: ['lab_result', 'A1C', 'LabValue', 'result'],
  phone: ['phone', 'Phone', 'home_phone', 'cell'],
};

/** A cell: what the text shows (for widths) and the template (markers for planted values). */
interface Cell {
  shown: string;
  slot: string;
}

function filler(text: string): Cell {
  return { shown: text, slot: text };
}

function planted(w: DocWriter, written: Written): Cell {
  return { shown: written.text, slot: w.plant(written) };
}

function cellOf(w: DocWriter, column: Column, dobStyle: number): Cell {
  const r = w.rng;
  switch (column) {
    case 'name': {
      const p = w.person();
      return filler(r.chance(0.5) ? `${p.first} ${p.last}` : `${p.last.toUpperCase()} ${p.first.toUpperCase()}`);
    }
    case 'first':
      return filler(w.person().first);
    case 'last':
      return filler(w.person().last);
    case 'dob':
      return filler(dateOfBirth(w, dobStyle));
    case 'mrn':
      return filler(r.chance(0.7) ? String(r.range(10_000_000, 99_999_999)) : `MR${r.range(100_000, 999_999)}`);
    case 'ssn':
      return planted(w, plantSsn(r, r.chance(0.85)));
    case 'mbi':
      return planted(w, plantMbi(r, r.chance(0.85)));
    case 'member':
      return filler(`${r.pick(['W', 'XJ', 'H', 'ZG'])}${r.range(100_000_000, 999_999_999)}`);
    case 'dx':
      return planted(w, plantIcd10(r));
    case 'npi':
      return planted(w, plantNpi(r, r.chance(0.8)));
    case 'ins':
      return filler(r.pick(INSURERS));
    case 'rx':
      return filler(`${r.range(10_000, 99_999)}-${r.range(100, 999)}-${r.range(10, 99)}`);
    case 'lab':
      return filler(`${(r.range(50, 110) / 10).toFixed(1)}`);
    case 'phone':
      return filler(`(${r.range(201, 989)}) 555-${String(r.range(0, 9999)).padStart(4, '0')}`);
  }
}

/** The columns of one export: a name, a birth date, at least one record number, often a diagnosis. */
function columnsOf(w: DocWriter): Column[] {
  const r = w.rng;
  const ids = r.sample<Column>(['mrn', 'ssn', 'mbi', 'member'], r.range(1, 3));
  const extra = r.sample<Column>(['npi', 'ins', 'rx', 'lab', 'phone'], r.range(0, 2));
  const names: Column[] = r.chance(0.5) ? ['name'] : ['last', 'first'];
  const cols: Column[] = [...names, 'dob', ...ids, ...(r.chance(0.75) ? (['dx'] as Column[]) : []), ...extra];
  // The record number usually leads.
  return r.chance(0.5) ? cols : [...cols.filter((c) => c === 'mrn'), ...cols.filter((c) => c !== 'mrn')];
}

type Format = 'csv' | 'tsv' | 'pipe' | 'fixed' | 'markdown' | 'jsonl';
const FORMATS: readonly Format[] = ['csv', 'csv', 'tsv', 'pipe', 'fixed', 'markdown', 'jsonl'];

function renderTable(w: DocWriter, format: Format, headers: string[], rows: Cell[][]): string[] {
  if (format === 'csv') {
    const quote = w.rng.chance(0.4);
    const q = (s: string): string => (quote ? `"${s}"` : s);
    return [headers.map(q).join(','), ...rows.map((row) => row.map((c) => q(c.slot)).join(','))];
  }
  if (format === 'tsv') return [headers.join('\t'), ...rows.map((row) => row.map((c) => c.slot).join('\t'))];
  if (format === 'pipe') {
    const sep = w.rng.chance(0.5) ? '|' : ' | ';
    return [headers.join(sep), ...rows.map((row) => row.map((c) => c.slot).join(sep))];
  }
  if (format === 'markdown')
    return [
      `| ${headers.join(' | ')} |`,
      `|${headers.map(() => '---').join('|')}|`,
      ...rows.map((row) => `| ${row.map((c) => c.slot).join(' | ')} |`),
    ];
  if (format === 'jsonl')
    // Written by hand: a marker's NUL characters must not be escaped by JSON.stringify.
    return rows.map((row) => `{${row.map((c, i) => `"${headers[i]!.toLowerCase()}": "${c.slot}"`).join(', ')}}`);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.shown.length)) + 2);
  const pad = (shown: string, slot: string, i: number): string => slot + ' '.repeat(widths[i]! - shown.length);
  return [
    headers
      .map((h, i) => pad(h, h, i))
      .join('')
      .trimEnd(),
    widths.map((n) => '-'.repeat(n - 1)).join(' '),
    ...rows.map((row) =>
      row
        .map((c, i) => pad(c.shown, c.slot, i))
        .join('')
        .trimEnd(),
    ),
  ];
}

/** Labelled record blocks (an EHR screen copied out), with the extractors' PHI indicators. */
function recordBlocks(w: DocWriter, count: number): string[] {
  const r = w.rng;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = w.person();
    const icd = plantIcd10(r);
    const doc = w.person();
    lines.push(
      `PATIENT: ${p.first} ${p.last}  DOB: ${dateOfBirth(w, 0)}  MRN: ${String(r.range(10_000_000, 99_999_999))}`,
      `SSN: ${w.plant(plantSsn(r, r.chance(0.85)))}   MBI: ${w.plant(plantMbi(r, r.chance(0.85)))}`,
      `Dx: ${w.plant(icd)} ${icd.description}`,
      `Attending: Dr. ${doc.last}, NPI ${w.plant(plantNpi(r, r.chance(0.8)))}, ` +
        `DEA ${w.plant(plantDea(r, r.chance(0.8)))}`,
    );
    if (r.chance(0.4)) lines.push(`Lab: CLIA ${w.plant(plantClia(r))}, A1C ${(r.range(50, 110) / 10).toFixed(1)}%`);
    lines.push('---');
  }
  w.record({ type: 'phi_indicator', value: 'patient_name_dob', valid: true });
  w.record({ type: 'phi_indicator', value: 'mrn', valid: true });
  w.record({ type: 'phi_indicator', value: 'diagnosis', valid: true });
  return lines;
}

function whereOf(w: DocWriter, victim: OrgProfile | undefined): string {
  const r = w.rng;
  if (victim !== undefined) return w.mention(victim, r.pick<MentionVia>(['name', 'name', 'domain', 'alias']));
  return r.chance(0.5) ? unmonitoredVictim(w) : anonymousVictim(w);
}

/** A PHI dump of `victim` (undefined: an unmonitored or unnamed one). */
export function phiDump(input: BuildInput, victim: OrgProfile | undefined): BuiltDocument {
  const { w, index } = input;
  const r = w.rng;
  const where = whereOf(w, victim);
  const count = r.range(3, 12);
  const sample = r.chance(0.3);
  const intro = sample
    ? r.pick([
        `Free sample: ${count} rows of the ${where} patient database. Full base ${r.range(20, 900)}k rows, ` +
          `${(r.range(5, 300) / 100).toFixed(2)} BTC, escrow ok, PM.`,
        `${where} - sample below, ${count} of ${r.range(20, 900)}k records. Buyers PM me, no timewasters.`,
      ])
    : r.pick([
        `Leaked from ${where}, free for the community.`,
        `Dump of ${where} patient portal, part ${r.range(1, 9)}.`,
        `${where} EHR export, they never paid. Enjoy.`,
        `-- ${where} / patients_export_2024 --`,
        `source: ${where}`,
        `they left the reporting server of ${where} open. here is a piece of it`,
      ]);
  const lines = [intro, ''];
  let layout = 'blocks';
  let blocks: BuiltDocument['blocks'] = 'p';
  if (r.chance(0.25)) lines.push(...recordBlocks(w, Math.min(count, r.range(2, 5))));
  else {
    const cols = columnsOf(w);
    const headers = cols.map((c) => r.pick(HEADERS[c]));
    const dobStyle = r.int(3);
    const rows = Array.from({ length: count }, () => cols.map((c) => cellOf(w, c, dobStyle)));
    const format = r.pick(FORMATS);
    layout = format;
    blocks = format === 'tsv' || format === 'fixed' ? 'pre' : r.pick(['pre', 'pre', 'br', 'p']);
    lines.push(...renderTable(w, format, headers, rows));
  }
  const note = aside(w, 0.12);
  if (note !== '') lines.push('', note);
  lines.push('', r.pick([`(${r.range(2, 400)}k more records on request) ref ${index}`, `ref ${index}`, `#${index}`]));
  const title = r.pick([
    'patient records leak',
    'free medical dump',
    'PHI dump part 1',
    'hospital records',
    `patients_${r.range(2019, 2024)}.csv`,
    'free sample - medical db',
  ]);
  return {
    sourceType: r.chance(0.7) ? 'paste' : 'forum',
    class: 'phi_exposure',
    layout: `phi/${layout}${sample ? '-sample' : ''}`,
    blocks,
    title,
    body: lines.join('\n'),
  };
}
