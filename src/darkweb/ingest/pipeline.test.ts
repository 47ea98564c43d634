/**
 * The preparation worker (prepare-worker.ts) must change nothing but speed: the same corpus ingested
 * with preparation in a worker thread and in the ingesting thread gives the same summary, problems,
 * document rows (ids, seq order, hashes, near-duplicate groups, redacted text, classes), entities,
 * credential sightings and mentions. The corpus mixes everything order-dependent: exact duplicates
 * in and across batches, near duplicates, reused ids, empty texts, HTML, credentials.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../store/database.js';
import type { Store } from '../../store/database.js';
import type { DarkwebDocumentInput, SourceType } from '../types.js';
import { ingestDocuments } from './ingest.js';
import type { IngestOptions, IngestProblem, IngestSummary } from './ingest.js';
import { hashPassword } from '../analyze.js';
import { LONG_POST, TEST_CREDENTIAL_KEY } from './test-support.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const TYPES: readonly SourceType[] = ['forum', 'market', 'paste', 'leak_site', 'chat'];
const WORDS = (
  'selling database records hospital clinic patients access rdp vpn escrow price fresh dump leak forum thread ' +
  'admin panel insurance billing'
).split(' ');

function corpus(): unknown[] {
  let seed = 3;
  const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const docs: unknown[] = [];
  for (let i = 0; i < 160; i++) {
    const words = Array.from(
      { length: 15 + Math.floor(random() * 30) },
      () => WORDS[Math.floor(random() * WORDS.length)],
    ).join(' ');
    const doc: DarkwebDocumentInput = {
      source: 'gen',
      source_type: TYPES[i % TYPES.length]!,
      text: `${words} (post ${i})`,
    };
    if (i % 3 !== 0) doc.id = `p-${i}`;
    if (i % 7 === 0)
      doc.text += `\nnurse${i}@northwind-clinic.test:Winter2025!${i}\nadmin${i}@contoso-general.test:hunter${i}hunter`;
    if (i % 11 === 0) doc.text += '\nNorthwind Family Clinic data published, deadline 3 days, negotiate now.';
    if (i % 4 === 0) doc.title = `Thread ${i}`;
    docs.push(doc);
    // An exact duplicate (spacing differs) right after, and another several batches later.
    if (i % 9 === 0) docs.push({ ...doc, id: `dup-${i}`, text: `  ${doc.text!.replaceAll(' ', '   ')}  ` });
    if (i % 13 === 0 && i > 20)
      docs.push({ source: 'gen', source_type: 'paste', text: (docs[i - 20] as DarkwebDocumentInput).text });
    // Near duplicates of one long post (one word changed), spread over the run.
    if (i % 17 === 0)
      docs.push({
        id: `near-${i}`,
        source: 'forum-x',
        source_type: 'market',
        text: LONG_POST.replace('quick', `quick${i}`),
      });
    // An id used again for other text, a record with no text left after normalization, an invalid record.
    if (i % 23 === 0) docs.push({ id: 'p-1', source: 'gen', source_type: 'forum', text: `other text ${i}` });
    if (i % 29 === 0) docs.push({ id: `ctl-${i}`, source: 'gen', source_type: 'paste', text: '\u0001\u0002\u0003' });
    if (i % 31 === 0) docs.push({ source: 'gen', source_type: 'nope', text: 'bad type' });
    if (i % 37 === 0)
      docs.push({
        id: `html-${i}`,
        source: 'gen',
        source_type: 'forum',
        html: `<html><head><title>T${i}</title></head><body><p>Page ${i} about clinic access</p></body></html>`,
      });
  }
  return docs;
}

/** The password the corpus pairs with an e-mail address. */
function secretOf(email: string): string {
  const nurse = /^nurse(\d+)@/.exec(email);
  if (nurse !== null) return `Winter2025!${nurse[1]}`;
  const admin = /^admin(\d+)@/.exec(email);
  return admin === null ? '' : `hunter${admin[1]}hunter`;
}

interface Outcome {
  summary: Omit<IngestSummary, 'elapsedMs' | 'docsPerSecond'>;
  problems: IngestProblem[];
  documents: unknown[];
  mentions: unknown[];
}

async function withStore<T>(run: (store: Store) => Promise<T>): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), 'vitals-pipeline-'));
  const store = await openStore({ home });
  try {
    await store.organizations.upsertMany([
      {
        name: 'Northwind Family Clinic',
        sector: 'clinic',
        domains: ['northwind-clinic.test'],
        telehealth: false,
        aliases: ['Northwind'],
      },
      { name: 'Contoso General Hospital', sector: 'hospital', domains: ['contoso-general.test'], telehealth: true },
    ]);
    return await run(store);
  } finally {
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
}

async function ingestTwice(store: Store, options: IngestOptions): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  // The second run finds every document already stored.
  for (let run = 0; run < 2; run++) {
    const problems: IngestProblem[] = [];
    const {
      elapsedMs: _elapsed,
      docsPerSecond: _rate,
      ...summary
    } = await ingestDocuments(store, corpus() as DarkwebDocumentInput[], {
      credentialKey: TEST_CREDENTIAL_KEY,
      ...options,
      now: () => NOW,
      onProblem: (p) => problems.push(p),
    });
    const documents: unknown[] = [];
    for (const id of await store.darkweb.documentIds()) {
      const row = await store.darkweb.getDocument(id);
      const entities = (await store.darkweb.entitiesOf(id)).map(({ id: _id, ...e }) => e);
      // The hash must be of the right password under the key the run was given.
      const credentials = (await store.darkweb.credentialsOf(id)).map(({ id: _id, password_hash, ...c }) => ({
        ...c,
        hashOk: password_hash === hashPassword(secretOf(c.email), TEST_CREDENTIAL_KEY),
      }));
      documents.push({ row, entities, credentials });
    }
    // Organization ids are random per store; the name says which one.
    const mentions = (await store.darkweb.listMentions({})).map(({ organizationId: _org, ...m }) => m);
    // Problems found by validation come as records are read, the others when their batch commits.
    problems.sort((a, b) => a.where.localeCompare(b.where) || a.message.localeCompare(b.message));
    outcomes.push({ summary, problems, documents, mentions });
  }
  return outcomes;
}

describe('ingestion with preparation in a worker thread', () => {
  for (const analyze of [true, false]) {
    test(`gives exactly what in-thread preparation gives (analyze: ${analyze})`, { timeout: 120_000 }, async () => {
      const inThread = await withStore((store) =>
        ingestTwice(store, { analyze, batchSize: 4, prepareInWorker: false }),
      );
      const inWorker = await withStore((store) => ingestTwice(store, { analyze, batchSize: 4, prepareInWorker: true }));
      // Half of each batch prepared here, half in the worker, reassembled in input order.
      const split = await withStore((store) =>
        ingestTwice(store, { analyze, batchSize: 8, prepareInWorker: true, localShare: 0.5 }),
      );
      const [first, second] = inThread;
      // The corpus exercises what it is meant to.
      assert.ok(first!.summary.duplicates >= 20, `exact duplicates: ${first!.summary.duplicates}`);
      assert.ok(first!.summary.nearDuplicates >= 5, `near duplicates: ${first!.summary.nearDuplicates}`);
      assert.ok(first!.problems.some((p) => p.message === 'empty text'));
      assert.ok(first!.problems.some((p) => /already used/.test(p.message)));
      assert.equal(second!.summary.inserted, 0);
      if (analyze) {
        assert.ok(first!.mentions.length > 0);
        assert.ok(first!.summary.credentials > 0);
      }
      assert.ok(!JSON.stringify(first!.documents).includes('Winter2025!'), 'no password stored in clear');
      assert.ok(
        !JSON.stringify(first!.documents).includes('"hashOk":false'),
        'credential hashes are of the right password',
      );
      assert.deepEqual(inWorker, inThread);
      assert.deepEqual(split, inThread);
    });
  }

  test('a run large enough for the worker by default matches in-thread preparation', { timeout: 120_000 }, async () => {
    const many = (): DarkwebDocumentInput[] =>
      Array.from({ length: 2600 }, (_, i) => ({
        id: `m-${i}`,
        source: 'gen',
        source_type: 'forum',
        text: `${WORDS[i % WORDS.length]} post ${i % 2500} ${LONG_POST.slice(0, 200 + (i % 50))}`,
      }));
    const ids = async (
      options: IngestOptions,
    ): Promise<[Omit<IngestSummary, 'elapsedMs' | 'docsPerSecond'>, unknown[]]> =>
      withStore(async (store) => {
        const {
          elapsedMs: _e,
          docsPerSecond: _r,
          ...summary
        } = await ingestDocuments(store, many(), {
          credentialKey: TEST_CREDENTIAL_KEY,
          ...options,
          batchSize: 300,
          now: () => NOW,
        });
        const rows: unknown[] = [];
        for (const id of await store.darkweb.documentIds()) {
          const row = await store.darkweb.getDocument(id);
          rows.push([row?.id, row?.seq, row?.near_dup_group, row?.content_hash, row?.class]);
        }
        return [summary, rows];
      });
    const auto = await ids({});
    const inThread = await ids({ prepareInWorker: false });
    assert.equal(inThread[0].duplicates, 100);
    assert.deepEqual(auto, inThread);
  });
});
