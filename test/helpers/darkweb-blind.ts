/**
 * Scores the pipeline on the blind dark-web corpus (test/fixtures/darkweb-blind/, written by a helper
 * who never read the rules; issue #9 section 5), as its README says: import the organizations, ingest
 * every JSONL file, and every HTML, paste and Telegram file on its own (to know which stored documents
 * a file made), then compare mentions and entities with truth.json. Nothing here reads a document's
 * text to decide anything: it only maps stored ids to the key's.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Store } from '../../src/store/database.js';
import { importOrganizations, parseOrganizationsFile } from '../../src/store/import-organizations.js';
import { ingestPaths } from '../../src/darkweb/ingest/ingest.js';
import { TEST_CREDENTIAL_KEY } from '../../src/darkweb/ingest/test-support.js';

export const BLIND_DIR = new URL('../../../test/fixtures/darkweb-blind/', import.meta.url).pathname;

interface TruthDocument {
  key: string;
  id?: string;
  file?: string;
  message_id?: number | string;
  pairs: { organization: string; class: string }[];
  passwords?: string[];
  emails?: string[];
  icd10?: string[];
  icd10_lookalikes?: string[];
  identifiers?: Record<string, string[]>;
  invalid_lookalikes?: Record<string, string[]> | string[];
}

/** Ratio with its counts. */
export interface Ratio {
  value: number;
  hit: number;
  total: number;
}

export interface BlindScores {
  documents: { truth: number; mapped: number };
  pairs: { precision: Ratio; recall: Ratio; falsePositives: string[]; falseNegatives: string[] };
  classAccuracy: Ratio;
  classByTruth: Record<string, Ratio>;
  confusions: Record<string, number>;
  classMistakes: string[];
  emails: Ratio;
  missedEmails: string[];
  icd10: Ratio;
  icd10Lookalikes: number;
  identifiers: Record<string, Ratio>;
  invalidReported: string[];
  passwordsInDatabase: string[];
  /** Stored document id -> the keys of truth.json it maps to (for reading failures). */
  keysOf: Record<string, string[]>;
}

function ratio(hit: number, total: number): Ratio {
  return { value: total === 0 ? 1 : hit / total, hit, total };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** Imports, ingests and scores; `afterImport` runs once the organizations are stored (alias judgement). */
export async function scoreBlindCorpus(
  store: Store,
  databaseFiles: () => string[],
  afterImport?: (store: Store, parsed: ReturnType<typeof parseOrganizationsFile>) => Promise<void>,
): Promise<BlindScores> {
  const truth = JSON.parse(readFileSync(join(BLIND_DIR, 'truth.json'), 'utf8')) as { documents: TruthDocument[] };
  const parsed = parseOrganizationsFile(join(BLIND_DIR, 'organizations.csv'));
  await importOrganizations(store, parsed);
  await afterImport?.(store, parsed);

  // Stored id -> truth keys (a Telegram export stored as one document takes the union of its messages).
  const keysOf = new Map<string, string[]>();
  const byId = new Map(truth.documents.filter((d) => d.id !== undefined).map((d) => [d.id!, d]));
  const byFile = new Map<string, TruthDocument[]>();
  for (const d of truth.documents) if (d.file !== undefined) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  const options = { credentialKey: TEST_CREDENTIAL_KEY, batchSize: 500 };
  for (const path of filesUnder(join(BLIND_DIR, 'corpus'))) {
    const file = relative(BLIND_DIR, path);
    const before = new Set(await store.darkweb.documentIds());
    await ingestPaths(store, [path], options);
    const added = (await store.darkweb.documentIds()).filter((id) => !before.has(id));
    const inFile = byFile.get(file) ?? [];
    for (const id of added) {
      const direct = byId.get(id);
      if (direct !== undefined) keysOf.set(id, [direct.key]);
      else if (inFile.some((d) => d.message_id !== undefined)) {
        const message = inFile.find((d) => d.message_id !== undefined && id.endsWith(`-${String(d.message_id)}`));
        keysOf.set(id, message !== undefined ? [message.key] : inFile.map((d) => d.key));
      } else if (inFile.length === 1) keysOf.set(id, [inFile[0]!.key]);
    }
  }
  const docByKey = new Map(truth.documents.map((d) => [d.key, d]));

  const expected = new Map<string, string>();
  for (const d of truth.documents) for (const p of d.pairs) expected.set(`${d.key} | ${p.organization}`, p.class);
  const found = new Map<string, string>();
  for (const m of await store.darkweb.listMentions()) {
    for (const key of keysOf.get(m.documentId) ?? [`(unmapped ${m.documentId})`]) {
      const pair = `${key} | ${m.organizationName}`;
      // A union of several messages: the pair is right when any of them has it.
      if (!found.has(pair) || expected.get(pair) === m.class) found.set(pair, m.class);
    }
  }
  const truePairs = [...found.keys()].filter((k) => expected.has(k));
  const classByTruth: Record<string, Ratio> = {};
  const confusions: Record<string, number> = {};
  const classMistakes: string[] = [];
  let right = 0;
  for (const pair of truePairs) {
    const want = expected.get(pair)!;
    const got = found.get(pair)!;
    const r = classByTruth[want] ?? ratio(0, 0);
    r.total += 1;
    if (want === got) {
      right += 1;
      r.hit += 1;
    } else {
      confusions[`${want} -> ${got}`] = (confusions[`${want} -> ${got}`] ?? 0) + 1;
      classMistakes.push(`${pair}: ${want} -> ${got}`);
    }
    r.value = r.hit / r.total;
    classByTruth[want] = r;
  }

  // Entities, per stored document, against the key of the document(s) it maps to.
  let emailHit = 0;
  let emailTotal = 0;
  const missedEmails: string[] = [];
  let icdHit = 0;
  let icdTotal = 0;
  let icdLookalikes = 0;
  const idHits: Record<string, { hit: number; total: number }> = {};
  const invalidReported: string[] = [];
  for (const [id, keys] of keysOf) {
    const entities = await store.darkweb.entitiesOf(id);
    const values = new Map<string, Set<string>>();
    for (const e of entities) {
      const set = values.get(e.type) ?? new Set<string>();
      set.add(e.value.toLowerCase());
      values.set(e.type, set);
    }
    const has = (type: string, value: string): boolean => values.get(type)?.has(value.toLowerCase()) ?? false;
    for (const key of keys) {
      const d = docByKey.get(key)!;
      for (const email of new Set(d.emails ?? [])) {
        emailTotal += 1;
        if (has('email', email) || has('credential', email)) emailHit += 1;
        else missedEmails.push(`${key}: ${email}`);
      }
      for (const code of new Set(d.icd10 ?? [])) {
        icdTotal += 1;
        if (has('icd10', code)) icdHit += 1;
      }
      for (const code of d.icd10_lookalikes ?? [])
        if (has('icd10', code) && !(d.icd10 ?? []).includes(code)) icdLookalikes++;
      for (const [type, list] of Object.entries(d.identifiers ?? {})) {
        const r = idHits[type] ?? { hit: 0, total: 0 };
        for (const value of new Set(list)) {
          r.total += 1;
          const digits = value.replace(/-/g, '');
          const stored = [...(values.get(type) ?? [])].map((v) => v.replace(/-/g, ''));
          if (has(type, value) || stored.includes(digits.toLowerCase())) r.hit += 1;
        }
        idHits[type] = r;
      }
      const invalid = d.invalid_lookalikes;
      const invalidValues = Array.isArray(invalid) ? invalid : Object.values(invalid ?? {}).flat();
      for (const value of invalidValues) {
        const v = value.toLowerCase();
        const plain = v.replace(/[-\s]/g, '');
        for (const [type, set] of values)
          if (type !== 'phi_indicator' && (set.has(v) || set.has(plain)))
            invalidReported.push(`${key}: ${type} ${value}`);
      }
    }
  }

  const passwords = new Set(truth.documents.flatMap((d) => d.passwords ?? []));
  const passwordsInDatabase: string[] = [];
  const bytes = databaseFiles().map((f) => readFileSync(f));
  for (const password of passwords) {
    const needle = Buffer.from(password, 'utf8');
    if (bytes.some((b) => b.includes(needle))) passwordsInDatabase.push(password);
  }

  return {
    documents: { truth: truth.documents.length, mapped: new Set([...keysOf.values()].flat()).size },
    pairs: {
      precision: ratio(truePairs.length, found.size),
      recall: ratio(truePairs.length, expected.size),
      falsePositives: [...found.keys()].filter((k) => !expected.has(k)),
      falseNegatives: [...expected.keys()].filter((k) => !found.has(k)),
    },
    classAccuracy: ratio(right, truePairs.length),
    classByTruth,
    confusions,
    classMistakes,
    emails: ratio(emailHit, emailTotal),
    missedEmails,
    icd10: ratio(icdHit, icdTotal),
    icd10Lookalikes: icdLookalikes,
    identifiers: Object.fromEntries(Object.entries(idHits).map(([t, r]) => [t, ratio(r.hit, r.total)])),
    invalidReported,
    passwordsInDatabase,
    keysOf: Object.fromEntries(keysOf),
  };
}

/** One line per figure, for test logs and the README. */
export function describeBlindScores(s: BlindScores): string {
  const f = (r: Ratio): string => `${r.value.toFixed(3)} (${r.hit}/${r.total})`;
  return [
    `documents mapped: ${s.documents.mapped}/${s.documents.truth}`,
    `pairs: precision ${f(s.pairs.precision)}, recall ${f(s.pairs.recall)}`,
    `class accuracy on true pairs: ${f(s.classAccuracy)}; by class: ${Object.entries(s.classByTruth)
      .map(([c, r]) => `${c} ${r.value.toFixed(2)}`)
      .join(', ')}`,
    `confusions: ${JSON.stringify(s.confusions)}`,
    `e-mail recall ${f(s.emails)}; ICD-10 recall ${f(s.icd10)} (look-alikes reported ${s.icd10Lookalikes})`,
    `identifiers: ${Object.entries(s.identifiers)
      .map(([t, r]) => `${t} ${f(r)}`)
      .join(', ')}`,
    `invalid look-alikes reported: ${s.invalidReported.length}; ` +
      `passwords in the database files: ${s.passwordsInDatabase.length}`,
  ].join('\n');
}
