/**
 * Patient records published in the clear (issue #9 section 2, phi_exposure), from the document's
 * structure rather than its words:
 * - a table (CSV, TSV, pipe, Markdown, fixed-width or JSON lines: extract/tables.ts) whose header or
 *   keys name patient fields: MRN, DOB, SSN, MBI, member id, diagnosis / ICD-10, Rx / NDC, lab
 *   result, insurance;
 * - rows (lines) that each carry several patient identifiers the extractors validated (SSN, MBI,
 *   ICD-10 code, MRN, patient name with date of birth), or one of them with a birth date.
 * A post that offers such data lists its fields in prose ("fields: name, DOB, SSN"); only rows are
 * the data itself, which is why rows win over an offer.
 */
import { isPlausibleBirthDate } from '../extract/phi.js';
import { findTables } from '../extract/tables.js';
import type { Table } from '../extract/tables.js';
import { hl7Fields } from '../extract/hl7.js';

/** Kinds of patient fields a column header can name. */
export type PatientField =
  | 'mrn'
  | 'dob'
  | 'ssn'
  | 'mbi'
  | 'member'
  | 'diagnosis'
  | 'rx'
  | 'lab'
  | 'patient'
  | 'provider'
  | 'visit';

/** Normalized header (tables.ts normalizeColumn) → the patient field it names. */
const FIELD_PATTERNS: readonly [PatientField, RegExp][] = [
  [
    'mrn',
    new RegExp(
      String.raw`^(?:mrn|mrno|medicalrecord(?:number|no|num|id)?|medrec(?:no|num|number)?|patientid|patientno|` +
        String.raw`patientnumber|chartno|chartnumber|chart|chartid|ptid)$`,
    ),
  ],
  ['dob', /^(?:dob|dateofbirth|birthdate|birthday|birth|born|dobdate)$/],
  ['ssn', /^(?:ssn|socialsecurity(?:number|no)?|ssnlast4|last4ssn)$/],
  ['mbi', /^(?:mbi|medicareid|medicare(?:number|no|beneficiaryid)?|hicn|medicaidid|medicaid)$/],
  [
    'member',
    new RegExp(
      String.raw`^(?:memberid|member(?:number|no)?|insuranceid|insurance(?:number|no|provider|plan)?|insurer|` +
        String.raw`payer|policy(?:number|no|id)?|subscriberid|subscriber|groupnumber|groupno|healthplan)$`,
    ),
  ],
  ['diagnosis', /icd|^dx|dx$|dx\d|diag/],
  ['rx', /^(?:rx|ndc|medications?|drugs?|prescriptions?|meds|rxnorm|rxcode|dosage)/],
  ['lab', /^(?:labs?|labresults?|labtests?|labvalues?|testresults?|loinc|specimen|a1c|hba1c|labpanel)$/],
  [
    'patient',
    new RegExp(
      String.raw`^(?:patient|patientname|ptname|patname|name|fullname|firstname|lastname|fname|lname|first|` +
        String.raw`last|surname|givenname)$`,
    ),
  ],
  ['provider', /^(?:npi|provider|physician|doctor|attending|pcp|prescriber)$/],
  ['visit', /^(?:admit(?:date)?|admission|discharge(?:date)?|visit(?:date)?|encounter|appointment|dos|dateofservice)$/],
];

/** Fields that say "health record", not just "person". */
const CLINICAL: ReadonlySet<PatientField> = new Set(['mrn', 'mbi', 'member', 'diagnosis', 'rx', 'lab']);
/** Fields that identify a patient. */
const IDENTIFYING: ReadonlySet<PatientField> = new Set(['mrn', 'dob', 'ssn', 'mbi', 'member']);

/** The patient field a column header names, if any. */
export function patientFieldOf(column: string): PatientField | undefined {
  for (const [field, pattern] of FIELD_PATTERNS) if (pattern.test(column)) return field;
  return undefined;
}

/** An entity as the evidence needs it. */
export interface PositionedEntity {
  type: string;
  value: string;
  start: number;
}

/** What the document's structure says about patient records. */
export interface PatientRecordEvidence {
  /** Tables whose header names patient fields, with the fields, how many rows and where the header is. */
  tables: { fields: PatientField[]; rows: number; start?: number }[];
  /** Lines that carry several patient identifiers (outside those tables). */
  rows: number;
}

/**
 * A table is patient records when its header names two identifying or clinical fields at least one of
 * which is clinical or the patient's own identifiers (MRN, member id, MBI) — "name, dob, ssn" of a
 * customer list is identity data; "name, dob, mrn" or "mrn, dx" is a health record — or names a
 * clinical field next to the patient's name.
 */
export function isPatientTable(fields: ReadonlySet<PatientField>): boolean {
  const clinical = [...fields].filter((f) => CLINICAL.has(f)).length;
  const identifying = [...fields].filter((f) => IDENTIFYING.has(f) || CLINICAL.has(f)).length;
  return (clinical >= 1 && identifying >= 2) || (clinical >= 1 && fields.has('patient')) || clinical >= 2;
}

const STRONG_KINDS = new Set(['ssn', 'mbi', 'icd10', 'mrn', 'patient_name_dob']);
const DATE = /\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b/g;

/** Patient-record evidence in `text` from its tables and its extracted entities. */
export function patientRecordEvidence(text: string, entities: readonly PositionedEntity[]): PatientRecordEvidence {
  const tables: PatientRecordEvidence['tables'] = [];
  const covered: [number, number][] = [];
  for (const table of findTables(text)) {
    const fields = new Set<PatientField>();
    const fieldColumns: number[] = [];
    table.columns.forEach((column, i) => {
      const field = patientFieldOf(column);
      if (field === undefined) return;
      fields.add(field);
      fieldColumns.push(i);
    });
    if (!isPatientTable(fields)) continue;
    const rows =
      table.layout === 'records' ? table.rows.filter((r) => holdsData(r, fieldColumns)).length : table.rows.length;
    if (rows === 0) continue;
    tables.push({ fields: [...fields], rows, start: table.start });
    const last = table.rows[table.rows.length - 1];
    const end = last === undefined ? table.start : Math.max(...last.map((c) => c.start + c.text.length));
    covered.push([table.start, end]);
  }
  tables.push(...clinicalMessages(text));
  return { tables, rows: identifierRows(text, entities, covered) };
}

/** Lines above a table that may caption it ("Rows from the X leak:"), blank lines skipped. */
const CAPTION_REACH = 2;

/**
 * The caption of each patient table: the nearest non-blank line above its header, which names whose
 * rows they are ("Rows from the X leak, reproduced by the poster:"), whitespace collapsed.
 */
export function tableCaptions(text: string, evidence: PatientRecordEvidence): string[] {
  const captions: string[] = [];
  for (const table of evidence.tables) {
    if (table.start === undefined) continue;
    let end = table.start - 1;
    for (let k = 0; k < CAPTION_REACH + 1 && end > 0; k++) {
      const from = text.lastIndexOf('\n', end - 1) + 1;
      const line = text.slice(from, end).trim().replace(/\s+/g, ' ');
      if (line !== '') {
        captions.push(line);
        break;
      }
      end = from - 1;
    }
  }
  return captions;
}

/**
 * A record written as `key: value` lines holds data when a patient field has a digit in it (a date,
 * an MRN, a code): an offer's "DOB: yes / SSN: included" lists what it sells, not a patient.
 */
function holdsData(row: Table['rows'][number], fieldColumns: readonly number[]): boolean {
  return fieldColumns.some((i) => /\d/.test(row[i]?.text ?? ''));
}

/** A FHIR Patient resource in JSON (`"resourceType": "Patient"`). */
const FHIR_PATIENT = /"resourceType"\s*:\s*"Patient"/g;
/** A CDA document's patient (`<recordTarget><patientRole>`). */
const CDA_PATIENT = /<patientRole[\s>]/g;

/**
 * Patient records in the formats clinical systems exchange, each a record by definition: HL7 v2 PID
 * segments, FHIR Patient resources, CDA `patientRole` elements.
 */
function clinicalMessages(text: string): PatientRecordEvidence['tables'] {
  const found: PatientRecordEvidence['tables'] = [];
  const pid = hl7Fields(text, 'PID', 3).length;
  if (pid > 0) found.push({ fields: ['mrn', 'patient', 'dob'], rows: pid });
  const count = (pattern: RegExp): number => {
    let n = 0;
    pattern.lastIndex = 0;
    while (n < 100_000 && pattern.exec(text) !== null) n++;
    return n;
  };
  if (text.includes('"resourceType"')) {
    const fhir = count(FHIR_PATIENT);
    if (fhir > 0) found.push({ fields: ['patient', 'mrn', 'dob'], rows: fhir });
  }
  if (text.includes('<patientRole')) {
    const cda = count(CDA_PATIENT);
    if (cda > 0) found.push({ fields: ['patient', 'mrn', 'dob'], rows: cda });
  }
  return found;
}

/** Lines with two strong patient identifiers, or one of SSN/MBI/MRN with a plausible birth date. */
function identifierRows(text: string, entities: readonly PositionedEntity[], covered: [number, number][]): number {
  const kindsByLine = new Map<number, Set<string>>();
  for (const e of entities) {
    const kind = e.type === 'phi_indicator' ? e.value : e.type;
    if (!STRONG_KINDS.has(kind) || covered.some(([a, b]) => e.start >= a && e.start <= b)) continue;
    const lineStart = text.lastIndexOf('\n', e.start - 1) + 1;
    const kinds = kindsByLine.get(lineStart) ?? new Set<string>();
    kinds.add(kind);
    kindsByLine.set(lineStart, kinds);
  }
  let rows = 0;
  for (const [lineStart, kinds] of kindsByLine) {
    if (kinds.size >= 2) {
      rows += 1;
      continue;
    }
    if (kinds.has('icd10') || kinds.has('patient_name_dob')) continue;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, Math.min(lineEnd, lineStart + 2000));
    if ([...line.matchAll(DATE)].some((m) => isPlausibleBirthDate(m[0]))) rows += 1;
  }
  return rows;
}
