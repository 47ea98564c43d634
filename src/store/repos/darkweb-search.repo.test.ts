import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../database.js';
import type { StoreSchema } from '../schema.js';
import { openSqliteDatabase } from '../sqlite-connection.js';
import { QuerySyntaxError } from '../../darkweb/search/errors.js';
import { parseSearchQuery } from '../../darkweb/search/parser.js';
import type { DarkwebSearchHit } from '../../core/darkweb.js';
import { RANKING_CANDIDATES } from './darkweb-search.repo.js';
import { chunks } from '../codec.js';
import * as migration0003 from '../migrations/0003-darkweb-search.js';

/** One store to test on, plus a second, raw connection the fixture is written through. */
interface TestDialect {
  name: string;
  open(): Promise<{ store: Store; raw: Kysely<StoreSchema> }>;
  dispose(): Promise<void>;
}

function sqliteDialect(): TestDialect {
  const home = mkdtempSync(join(tmpdir(), 'vitals-search-'));
  return {
    name: 'SQLite',
    open: async () => {
      const store = await openStore({ home });
      const raw = new Kysely<StoreSchema>({
        dialect: new SqliteDialect({ database: openSqliteDatabase(store.location, 5000) }),
      });
      return { store, raw };
    },
    dispose: async () => rmSync(home, { recursive: true, force: true }),
  };
}

function postgresDialect(adminUrl: string): TestDialect {
  const database = `vitals_search_${randomBytes(6).toString('hex')}`;
  const scratch = new URL(adminUrl);
  scratch.pathname = `/${database}`;
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  let created = false;
  return {
    name: 'PostgreSQL',
    open: async () => {
      await admin(`CREATE DATABASE ${database}`);
      created = true;
      const store = await openStore({ databaseUrl: scratch.toString() });
      const raw = new Kysely<StoreSchema>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: scratch.toString(), max: 2 }) }),
      });
      return { store, raw };
    },
    dispose: async () => {
      if (created) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}

const dialects: TestDialect[] = [sqliteDialect()];
const postgresUrl = process.env['VITALS_TEST_DATABASE_URL'];
if (postgresUrl !== undefined && postgresUrl !== '') dialects.push(postgresDialect(postgresUrl));

type SourceType = 'forum' | 'market' | 'paste' | 'leak_site' | 'chat';

interface FixtureDoc {
  id: string;
  source_type: SourceType;
  title: string | null;
  text: string;
  posted_at: string | null;
  class: string;
  /** Organization names mentioned, with the mention's class (defaults to the document's). */
  mentions?: Array<{ org: string; class?: string }>;
  entities?: Array<{ type: string; value: string }>;
}

const NORTHWIND = 'Northwind Family Clinic';
const LAKESIDE = 'Lakeside Regional Hospital';
const MERIDIAN = 'Meridian Diagnostics Lab';

/** Hand-written documents in the styles of the sources Vitals reads. */
const DOCS: FixtureDoc[] = [
  {
    id: 'leak-northwind',
    source_type: 'leak_site',
    title: 'Ransomware victim: Northwind Family Clinic',
    text:
      'Northwind Family Clinic did not pay. Ransomware attack completed, 120 GB exfiltrated. Patient ' +
      'files will be published in 5 days. Ransomware group contact in the chat.',
    posted_at: '2026-01-15T09:30:00.000Z',
    class: 'ransomware_listing',
    mentions: [{ org: NORTHWIND }],
    entities: [{ type: 'domain', value: 'northwind-clinic.example' }],
  },
  {
    id: 'market-northwind-records',
    source_type: 'market',
    title: 'Patient records for sale',
    text:
      'Selling patient records from Northwind Family Clinic: 40k rows with DOB, MRN and insurance. ' +
      'Contact alice@northwind-clinic.example for samples. Payment to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq only.',
    posted_at: '2026-02-03T12:00:00.000Z',
    class: 'data_for_sale',
    mentions: [{ org: NORTHWIND }],
    entities: [
      { type: 'email', value: 'alice@northwind-clinic.example' },
      { type: 'btc', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' },
    ],
  },
  {
    id: 'market-lakeside-rdp',
    source_type: 'market',
    title: 'RDP access to a US hospital',
    text:
      'Domain admin RDP access to Lakeside Regional Hospital network, 2,000 hosts, EDR disabled. Gateway ' +
      'at 10.1.2.3. Escrow accepted.',
    posted_at: '2026-02-20T18:45:00.000Z',
    class: 'access_for_sale',
    mentions: [{ org: LAKESIDE }],
    entities: [{ type: 'ipv4', value: '10.1.2.3' }],
  },
  {
    id: 'paste-lakeside-combo',
    source_type: 'paste',
    title: null,
    text:
      'combo list ' +
      'fresh\nbob@lakeside-hospital.example:Winter2026!\ncarol@lakeside-hospital.example:hunter22\ndave@lakesi' +
      'de-hospital.example:Passw0rd',
    posted_at: '2026-03-05T07:00:00.000Z',
    class: 'credential_leak',
    mentions: [{ org: LAKESIDE }],
    entities: [
      { type: 'email', value: 'bob@lakeside-hospital.example' },
      { type: 'email', value: 'carol@lakeside-hospital.example' },
      { type: 'email', value: 'dave@lakeside-hospital.example' },
      { type: 'credential', value: 'bob@lakeside-hospital.example' },
    ],
  },
  {
    id: 'forum-ransomware-news',
    source_type: 'forum',
    title: 'Ransomware season again',
    text:
      'Another ransomware wave against clinics. The ransomware affiliates love hospitals because they ' +
      'pay. Which ransomware crew is next?',
    posted_at: '2026-01-31T23:10:00.000Z',
    class: 'chatter',
  },
  {
    id: 'chat-phi-dump',
    source_type: 'chat',
    title: 'dump',
    text: 'patients list: John Carter DOB 1961-04-02 MRN 443-2-10982, diagnosis E11.9. more patients tomorrow',
    posted_at: '2025-12-30T21:00:00.000Z',
    class: 'phi_exposure',
    mentions: [{ org: MERIDIAN }],
    entities: [{ type: 'icd10', value: 'E11.9' }],
  },
  {
    id: 'forum-family-far',
    source_type: 'forum',
    title: 'Looking for a family doctor',
    text: 'My family moved and we need a new clinic nearby that takes walk-ins.',
    posted_at: '2026-02-10T10:00:00.000Z',
    class: 'chatter',
  },
  {
    id: 'forum-undated',
    source_type: 'forum',
    title: 'Old thread about hospital VPN bugs',
    text: 'Pulse VPN appliances at hospitals are still unpatched, CVE-2024-3400 style bugs everywhere.',
    posted_at: null,
    class: 'chatter',
    entities: [{ type: 'cve', value: 'CVE-2024-3400' }],
  },
  {
    id: 'paste-sql-looking',
    source_type: 'paste',
    title: 'web shell notes',
    text: "payload: '; DROP TABLE darkweb_documents; -- then union select password from users",
    posted_at: '2026-02-14T08:00:00.000Z',
    class: 'chatter',
  },
  {
    id: 'market-meridian-lab',
    source_type: 'market',
    title: 'Lab results database',
    text: 'Meridian Diagnostics Lab test results, CLIA 05D2040985, 300k patients, selling full database for 2 BTC.',
    posted_at: '2026-03-18T16:00:00.000Z',
    class: 'data_for_sale',
    mentions: [{ org: MERIDIAN }, { org: NORTHWIND, class: 'chatter' }],
    entities: [{ type: 'clia', value: '05D2040985' }],
  },
  {
    id: 'chat-lakeside-vpn',
    source_type: 'chat',
    title: null,
    text: 'anyone has vpn creds for lakeside? need initial access, paying well',
    posted_at: '2026-03-31T23:59:00.000Z',
    class: 'chatter',
    mentions: [{ org: LAKESIDE, class: 'access_for_sale' }],
    entities: [{ type: 'ipv6', value: '2001:db8::10' }],
  },
  {
    id: 'leak-meridian',
    source_type: 'leak_site',
    title: 'Meridian Diagnostics Lab - data published',
    text: 'Full leak of Meridian Diagnostics Lab. Ransomware negotiation failed. Download links below.',
    posted_at: '2026-04-01T00:00:00.000Z',
    class: 'ransomware_listing',
    mentions: [{ org: MERIDIAN }],
  },
];

/** Filler chatter, hand-written, so the corpus is not all hits (bm25 needs document frequencies). */
const FILLER = [
  'selling fresh socks5 proxies, residential, 1 dollar each',
  'how do I set up a tumbler for my coins',
  'new market mirror is up, update your bookmarks',
  'scam alert: vendor took escrow and vanished',
  'looking for a pentester for a small job',
  'carding tutorial for beginners, no experience needed',
  'who has the latest stealer logs from last week',
  'exit scam rumors about the old market',
  'PGP key rotated, verify the new fingerprint',
  'crypter FUD for sale, updated daily',
  'botnet rental by the hour, ddos on demand',
  'dumps with track 2, good valid rate',
  'free VPN configs, use at your own risk',
  'the forum will be down for maintenance tonight',
  'buying aged accounts on social networks',
  'phishing kit for a bank login page',
  'mixing service fees are too high lately',
  'anyone tried the new loader, detection rate?',
  'drop accounts available in several countries',
  'selling access to a university mail server',
  'looking for partners for a spam campaign',
  'tutorial: opsec basics for new members',
  'market reviews thread, post your experiences',
  'exploit for an old CMS version, cheap',
  'hosting that ignores abuse complaints',
  'logs from an infostealer, mostly gaming accounts',
  'bulletproof domains for sale, many TLDs',
  'cashout methods discussion, no scammers please',
  'new ransomware builder leaked on another forum',
  'job offer: money mules wanted, good pay',
  'hardware wallet or paper wallet, opinions?',
  'the admin banned three vendors this week',
  'SIM swap service, serious buyers only',
  'anyone selling clinic software licenses cheap',
  'best practices for hiding your tor service',
  'sharing a list of open databases found today',
  'dox requests are not allowed in this section',
  'selling cloned cards with PIN, ship worldwide',
];

const SOURCE_CYCLE: SourceType[] = ['forum', 'market', 'paste', 'chat'];

function allDocs(): FixtureDoc[] {
  return [
    ...DOCS,
    ...FILLER.map(
      (text, i): FixtureDoc => ({
        id: `filler-${String(i).padStart(2, '0')}`,
        source_type: SOURCE_CYCLE[i % SOURCE_CYCLE.length]!,
        title: null,
        text,
        posted_at: new Date(Date.UTC(2025, 10, 1 + i, 12)).toISOString(),
        class: 'chatter',
      }),
    ),
  ];
}

async function writeFixture(store: Store, raw: Kysely<StoreSchema>): Promise<FixtureDoc[]> {
  await store.organizations.upsertMany([
    {
      name: NORTHWIND,
      sector: 'clinic',
      domains: ['northwind-clinic.example'],
      telehealth: false,
      aliases: ['NFC', 'Northwind Clinic'],
    },
    {
      name: LAKESIDE,
      sector: 'hospital',
      domains: ['lakeside-hospital.example'],
      telehealth: true,
      aliases: ['Lakeside'],
    },
    { name: MERIDIAN, sector: 'laboratory', domains: ['meridian-lab.example'], telehealth: false },
  ]);
  const orgIds = new Map((await store.organizations.list()).map((o) => [o.name, o.id]));
  const docs = allDocs();
  let counter = 0;
  const nextId = (): string => `row-${(counter += 1)}`;
  await raw
    .insertInto('darkweb_documents')
    .values(
      docs.map((d, i) => ({
        id: d.id,
        seq: i + 1,
        source: `test-${d.source_type}`,
        source_type: d.source_type,
        url: `http://example${i}.onion/thread`,
        title: d.title,
        author: null,
        posted_at: d.posted_at,
        ingested_at: '2026-04-02T00:00:00.000Z',
        language: 'en',
        content_hash: `hash-${d.id}`,
        simhash: '0000000000000000',
        near_dup_group: d.id,
        text: d.text,
        class: d.class,
        class_score: 0.9,
      })),
    )
    .execute();
  const entities = docs.flatMap((d) =>
    (d.entities ?? []).map((e) => ({
      id: nextId(),
      document_id: d.id,
      type: e.type,
      value: e.value,
      start_offset: 0,
      end_offset: e.value.length,
      confidence: 0.9,
    })),
  );
  await raw.insertInto('darkweb_entities').values(entities).execute();
  const mentions = docs.flatMap((d) =>
    (d.mentions ?? []).map((m, i) => ({
      id: nextId(),
      document_id: d.id,
      organization_id: orgIds.get(m.org)!,
      class: m.class ?? d.class,
      confidence: 0.9 - i * 0.1,
      via: 'name',
      matched: m.org,
      snippet: m.org,
      posted_at: d.posted_at,
      created_at: '2026-04-02T00:00:00.000Z',
    })),
  );
  await raw.insertInto('darkweb_mentions').values(mentions).execute();
  return docs;
}

const ids = (hits: readonly DarkwebSearchHit[]): string[] => hits.map((h) => h.docId);
const sorted = (values: Iterable<string>): string[] => [...values].sort();

for (const dialect of dialects) {
  describe(`dark-web search on ${dialect.name}`, () => {
    let store: Store;
    let raw: Kysely<StoreSchema>;
    let docs: FixtureDoc[];
    const search = async (query: string, limit = 1000) =>
      store.darkwebSearch.search(parseSearchQuery(query), { limit });
    const expectIds = async (query: string, predicate: (d: FixtureDoc) => boolean): Promise<void> => {
      const expected = sorted(docs.filter(predicate).map((d) => d.id));
      assert.ok(expected.length > 0, `fixture gives ${query} nothing to find`);
      assert.deepEqual(sorted(ids((await search(query)).hits)), expected, query);
    };

    before(async () => {
      ({ store, raw } = await dialect.open());
      docs = await writeFixture(store, raw);
    });
    after(async () => {
      await raw?.destroy();
      await store?.close();
      await dialect.dispose();
    });

    test('ranks the document about ransomware above those that only mention it', async () => {
      const result = await search('ransomware');
      assert.equal(result.ranked, true);
      assert.equal(result.hits[0]?.docId, 'forum-ransomware-news');
      assert.deepEqual(
        sorted(ids(result.hits)),
        sorted(docs.filter((d) => /ransomware/i.test(`${d.title ?? ''} ${d.text}`)).map((d) => d.id)),
      );
      const scores = result.hits.map((h) => h.score!);
      assert.ok(
        scores.every((s, i) => i === 0 || scores[i - 1]! >= s),
        `scores not descending: ${scores.join(', ')}`,
      );
      assert.ok(scores.every((s) => s > 0));
    });

    test('a title match outweighs a single text match', async () => {
      const hits = (await search('records')).hits;
      assert.equal(hits[0]?.docId, 'market-northwind-records');
    });

    test('quoted phrases need the words together and in order', async () => {
      await expectIds('"family clinic"', (d) => /family clinic/i.test(`${d.title ?? ''} ${d.text}`));
      assert.ok(!ids((await search('"family clinic"')).hits).includes('forum-family-far'));
      assert.ok(ids((await search('family clinic')).hits).includes('forum-family-far'));
      assert.deepEqual(ids((await search('"clinic family"')).hits), []);
    });

    test('NOT and -term exclude documents, alone or beside other words', async () => {
      await expectIds(
        'clinic -ransomware',
        (d) => /clinic/i.test(d.text + (d.title ?? '')) && !/ransomware/i.test(d.text + (d.title ?? '')),
      );
      await expectIds(
        'clinic NOT ransomware',
        (d) => /clinic/i.test(d.text + (d.title ?? '')) && !/ransomware/i.test(d.text + (d.title ?? '')),
      );
      const alone = await search('NOT ransomware');
      assert.equal(alone.ranked, false);
      assert.deepEqual(
        sorted(ids(alone.hits)),
        sorted(docs.filter((d) => !/ransomware/i.test(`${d.title ?? ''} ${d.text}`)).map((d) => d.id)),
      );
      await expectIds(
        'ransomware -(clinic OR hospital)',
        (d) =>
          /ransomware/i.test(`${d.title ?? ''} ${d.text}`) && !/clinic|hospital/i.test(`${d.title ?? ''} ${d.text}`),
      );
    });

    test('OR unions and parentheses group', async () => {
      await expectIds('rdp OR combo', (d) => /\brdp\b|\bcombo\b/i.test(`${d.title ?? ''} ${d.text}`));
      await expectIds(
        '(rdp OR vpn) hospital',
        (d) => /\b(rdp|vpn)\b/i.test(`${d.title ?? ''} ${d.text}`) && /hospital/i.test(`${d.title ?? ''} ${d.text}`),
      );
    });

    test('prefix wildcards match every word starting so', async () => {
      await expectIds('pati*', (d) => /\bpati/i.test(`${d.title ?? ''} ${d.text}`));
      assert.ok(
        ids((await search('pati*')).hits).includes('chat-phi-dump'),
        'a document with only "patients" matches pati*',
      );
      await expectIds('ransom*', (d) => /\bransom/i.test(`${d.title ?? ''} ${d.text}`));
    });

    test('source_type: filter', async () => {
      await expectIds('source_type:market', (d) => d.source_type === 'market');
      await expectIds('source_type:leak_site ransomware', (d) => d.source_type === 'leak_site');
      await expectIds(
        '-source_type:market -source_type:forum -source_type:chat -source_type:paste',
        (d) => d.source_type === 'leak_site',
      );
    });

    test('class: filter matches the document class or a mention class', async () => {
      await expectIds('class:data_for_sale', (d) => d.class === 'data_for_sale');
      // chat-lakeside-vpn is chatter as a document but its Lakeside mention is classed access_for_sale.
      await expectIds(
        'class:access_for_sale',
        (d) => d.class === 'access_for_sale' || (d.mentions ?? []).some((m) => m.class === 'access_for_sale'),
      );
      await expectIds('class:ransomware_listing', (d) => d.class === 'ransomware_listing');
    });

    test('org: filter by name, alias and prefix, through the mentions', async () => {
      const mentions = (org: string) => (d: FixtureDoc) => (d.mentions ?? []).some((m) => m.org === org);
      await expectIds(`org:"${NORTHWIND}"`, mentions(NORTHWIND));
      await expectIds('org:"northwind   family clinic"', mentions(NORTHWIND));
      await expectIds('org:NFC', mentions(NORTHWIND));
      await expectIds('org:Lakeside', mentions(LAKESIDE));
      await expectIds('org:Meridian*', mentions(MERIDIAN));
      await expectIds('org:(NFC OR Lakeside)', (d) => mentions(NORTHWIND)(d) || mentions(LAKESIDE)(d));
      assert.deepEqual((await search('org:"Nobody Clinic"')).hits, []);
      await expectIds(`org:NFC -org:"${MERIDIAN}"`, (d) => mentions(NORTHWIND)(d) && !mentions(MERIDIAN)(d));
    });

    test('entity filters: exact value case-insensitively, prefix with *', async () => {
      const has = (type: string, value: string) => (d: FixtureDoc) =>
        (d.entities ?? []).some((e) => e.type === type && e.value.toLowerCase() === value.toLowerCase());
      await expectIds('email:ALICE@Northwind-Clinic.example', has('email', 'alice@northwind-clinic.example'));
      await expectIds('email:bob*', has('email', 'bob@lakeside-hospital.example'));
      await expectIds(
        'email:(carol@lakeside-hospital.example OR alice@northwind-clinic.example)',
        (d) => has('email', 'carol@lakeside-hospital.example')(d) || has('email', 'alice@northwind-clinic.example')(d),
      );
      await expectIds(
        'btc:BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ',
        has('btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'),
      );
      await expectIds('ip:10.1.2.3', has('ipv4', '10.1.2.3'));
      await expectIds('ip:2001:db8::10', has('ipv6', '2001:db8::10'));
      await expectIds('ipv4:10.1.2.3', has('ipv4', '10.1.2.3'));
      assert.deepEqual((await search('ipv6:10.1.2.3')).hits, []);
      await expectIds('cve:cve-2024-3400', has('cve', 'CVE-2024-3400'));
      await expectIds('clia:05d2040985', has('clia', '05D2040985'));
      // `_` and `%` in a prefix are literal characters, not LIKE wildcards.
      assert.deepEqual((await search('email:_ob*')).hits, []);
      assert.deepEqual((await search('email:%*')).hits, []);
    });

    test('posted_at: ranges, comparisons, whole days inclusive, undated documents never match', async () => {
      const at = (d: FixtureDoc) => d.posted_at ?? '';
      await expectIds(
        'posted_at:[2026-01-01 TO 2026-01-31]',
        (d) => d.posted_at !== null && at(d) >= '2026-01-01' && at(d) < '2026-02-01',
      );
      await expectIds('posted_at:>=2026-03-01', (d) => d.posted_at !== null && at(d) >= '2026-03-01');
      await expectIds('posted_at:<2026-01-01', (d) => d.posted_at !== null && at(d) < '2026-01-01');
      await expectIds('posted_at:>2026-03-31', (d) => d.posted_at !== null && at(d) >= '2026-04-01');
      await expectIds('posted_at:2026-03-31', (d) => at(d).startsWith('2026-03-31'));
      await expectIds('posted_at:{2026-02-03 TO 2026-02-20}', (d) => at(d) >= '2026-02-04' && at(d) < '2026-02-20');
      await expectIds(
        'posted_at:[2026-02-20T18:45:00Z TO 2026-03-05T07:00:00Z]',
        (d) => at(d) >= '2026-02-20T18:45' && at(d) <= '2026-03-05T07:00:00.000Z',
      );
      assert.ok(!ids((await search('posted_at:[* TO *]')).hits).includes('forum-undated'));
      assert.ok(ids((await search('-posted_at:<2026-01-01')).hits).includes('forum-undated'));
      await expectIds(
        'ransomware posted_at:[2026-01-01 TO 2026-01-31]',
        (d) => /ransomware/i.test(`${d.title ?? ''} ${d.text}`) && at(d) >= '2026-01-01' && at(d) < '2026-02-01',
      );
    });

    test('filters mixed with words under OR and NOT', async () => {
      await expectIds(
        'rdp OR email:bob@lakeside-hospital.example',
        (d) => d.id === 'market-lakeside-rdp' || d.id === 'paste-lakeside-combo',
      );
      await expectIds(
        'vpn -(source_type:chat OR class:access_for_sale)',
        (d) =>
          /\bvpn\b/i.test(`${d.title ?? ''} ${d.text}`) && d.source_type !== 'chat' && d.class !== 'access_for_sale',
      );
    });

    test('only filters: newest first, not ranked, lead of the text as snippet', async () => {
      const result = await search('source_type:market');
      assert.equal(result.ranked, false);
      assert.ok(result.hits.every((h) => h.score === null));
      const dates = result.hits.map((h) => h.postedAt ?? '');
      assert.deepEqual(dates, [...dates].sort().reverse());
      const lab = result.hits.find((h) => h.docId === 'market-meridian-lab');
      assert.ok(lab?.snippet.startsWith('Meridian Diagnostics Lab test results'));
    });

    test('snippets highlight the matched words, with the marks asked for', async () => {
      const hit = (await search('rdp')).hits[0]!;
      assert.equal(hit.docId, 'market-lakeside-rdp');
      assert.match(hit.snippet, /\[RDP\] access to Lakeside/);
      const bold = await store.darkwebSearch.search(parseSearchQuery('"patient records"'), {
        highlight: { open: '<b>', close: '</b>' },
      });
      assert.match(bold.hits[0]!.snippet, /<b>patient<\/b> <b>records<\/b>|<b>patient records<\/b>/);
      const prefix = (await search('combo')).hits[0]!;
      assert.ok(!prefix.snippet.includes('\n'), 'snippets are one line');
    });

    test('each hit carries its metadata and the organizations it mentions', async () => {
      const hit = (await search('lab results database')).hits[0]!;
      assert.equal(hit.docId, 'market-meridian-lab');
      assert.equal(hit.title, 'Lab results database');
      assert.equal(hit.sourceType, 'market');
      assert.equal(hit.class, 'data_for_sale');
      assert.equal(hit.postedAt, '2026-03-18T16:00:00.000Z');
      assert.deepEqual(hit.orgs, [MERIDIAN, NORTHWIND]);
      assert.deepEqual((await search('socks5')).hits[0]!.orgs, []);
    });

    test('SQL and FTS syntax in terms and field values come back as plain searches', async () => {
      const before = await raw
        .selectFrom('darkweb_documents')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      await expectIds(`"'; DROP TABLE darkweb_documents; --"`, (d) => d.id === 'paste-sql-looking');
      await expectIds(`DROP TABLE darkweb_documents`, (d) => d.id === 'paste-sql-looking');
      assert.deepEqual((await search(`org:"x' OR '1'='1"`)).hits, []);
      assert.deepEqual((await search(`email:"' OR 1=1 --"`)).hits, []);
      assert.deepEqual((await search(`email:"x')/**/OR/**/('1'='1"`)).hits, []);
      // FTS5 operators and column filters typed as words are words: no document says "NEAR" or "text".
      assert.deepEqual((await search('"text : ransomware"')).hits, []);
      assert.deepEqual((await search('"NEAR(ransomware clinic)"')).hits, []);
      // Punctuation around a word is dropped by the tokenizer, never read as engine syntax.
      assert.deepEqual(ids((await search('ransomware^ {clinic}')).hits), ids((await search('ransomware clinic')).hits));
      const after = await raw
        .selectFrom('darkweb_documents')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
    });

    test('every source type and class filter beside a word finds exactly its documents', async () => {
      // On SQLite these run inside the MATCH as facet tokens: `leak_site` must not split into words,
      // `chat` must not match `chatter`, and a mention's class counts like the document's own. The
      // reference is the same words unfiltered, filtered here.
      const words = '(ransomware OR selling OR combo OR vpn OR patients OR rdp OR clinic)';
      const unfiltered = (await search(words)).hits.map((h) => docs.find((d) => d.id === h.docId)!);
      for (const sourceType of ['forum', 'market', 'paste', 'leak_site', 'chat'] as const) {
        const expected = sorted(unfiltered.filter((d) => d.source_type === sourceType).map((d) => d.id));
        assert.ok(expected.length > 0, `nothing to find for ${sourceType}`);
        assert.deepEqual(sorted(ids((await search(`${words} source_type:${sourceType}`)).hits)), expected, sourceType);
        const others = sorted(unfiltered.filter((d) => d.source_type !== sourceType).map((d) => d.id));
        assert.deepEqual(
          sorted(ids((await search(`${words} -source_type:${sourceType}`)).hits)),
          others,
          `-${sourceType}`,
        );
      }
      for (const documentClass of [
        'ransomware_listing',
        'data_for_sale',
        'access_for_sale',
        'credential_leak',
        'phi_exposure',
        'chatter',
      ]) {
        const hasClass = (d: FixtureDoc): boolean =>
          d.class === documentClass || (d.mentions ?? []).some((m) => m.class === documentClass);
        const expected = sorted(unfiltered.filter(hasClass).map((d) => d.id));
        assert.ok(expected.length > 0, `nothing to find for ${documentClass}`);
        assert.deepEqual(sorted(ids((await search(`${words} class:${documentClass}`)).hits)), expected, documentClass);
        assert.deepEqual(
          sorted(ids((await search(`${words} -class:${documentClass}`)).hits)),
          sorted(unfiltered.filter((d) => !hasClass(d)).map((d) => d.id)),
          `-${documentClass}`,
        );
      }
    });

    test('words never match the filter tokens of the index', async () => {
      assert.deepEqual((await search('sourceforum')).hits, []);
      assert.deepEqual((await search('classchatter OR sourceleaksite')).hits, []);
      assert.deepEqual((await search('sourc* OR classc*')).hits, []);
      const clinics = sorted(docs.filter((d) => /\bcli/i.test(`${d.title ?? ''} ${d.text}`)).map((d) => d.id));
      assert.ok(clinics.length > 0);
      assert.deepEqual(sorted(ids((await search('cli* OR clas*')).hits)), clinics);
    });

    test('malformed queries raise QuerySyntaxError, not a database error', async () => {
      await assert.rejects(
        search('(ransomware AND clinic'),
        (e: unknown) => e instanceof QuerySyntaxError && e.position === 22,
      );
      await assert.rejects(
        search('text:ransomware'),
        (e: unknown) => e instanceof QuerySyntaxError && /unknown field 'text'/.test(e.reason),
      );
      await assert.rejects(store.darkwebSearch.search(parseSearchQuery('x'), { limit: 0 }), /limit/);
    });

    test('limit caps the hits, best first', async () => {
      const all = (await search('ransomware')).hits;
      const two = (await search('ransomware', 2)).hits;
      assert.deepEqual(ids(two), ids(all).slice(0, 2));
    });

    test('the index follows inserts, updates and deletes of documents', async () => {
      assert.deepEqual((await search('zebracorn')).hits, []);
      await raw
        .insertInto('darkweb_documents')
        .values({
          id: 'late-doc',
          seq: 10_000,
          source: 'test',
          source_type: 'forum',
          url: null,
          title: 'zebracorn sighting',
          author: null,
          posted_at: null,
          ingested_at: '2026-04-03T00:00:00.000Z',
          language: null,
          content_hash: 'hash-late',
          simhash: '0',
          near_dup_group: 'late-doc',
          text: 'first version mentions quokka',
          class: 'chatter',
          class_score: 0.1,
        })
        .execute();
      assert.deepEqual(ids((await search('zebracorn')).hits), ['late-doc']);
      assert.deepEqual(ids((await search('quokka')).hits), ['late-doc']);
      await raw
        .updateTable('darkweb_documents')
        .set({ text: 'second version mentions wombat' })
        .where('id', '=', 'late-doc')
        .execute();
      assert.deepEqual((await search('quokka')).hits, []);
      assert.deepEqual(ids((await search('wombat')).hits), ['late-doc']);
      await raw.updateTable('darkweb_documents').set({ class: 'data_for_sale' }).where('id', '=', 'late-doc').execute();
      assert.deepEqual(ids((await search('wombat class:data_for_sale')).hits), ['late-doc']);
      await raw.deleteFrom('darkweb_documents').where('id', '=', 'late-doc').execute();
      assert.deepEqual((await search('wombat')).hits, []);
      assert.deepEqual((await search('zebracorn')).hits, []);
      if (dialect.name === 'SQLite') {
        // FTS5's own consistency check: the index matches the content table exactly.
        await sql`INSERT INTO darkweb_documents_fts(darkweb_documents_fts, rank) VALUES ('integrity-check', 1)`.execute(
          raw,
        );
      }
    });
  });
}

describe('dark-web search on SQLite past the ranking cap', () => {
  let home: string;
  let store: Store;
  const total = RANKING_CANDIDATES + 2000;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'vitals-search-cap-'));
    store = await openStore({ home });
    await store.organizations.upsert({
      name: 'Oldtown Clinic',
      sector: 'clinic',
      domains: ['oldtown.example'],
      telehealth: false,
    });
    const org = (await store.organizations.getByName('Oldtown Clinic'))!;
    const raw = new Kysely<StoreSchema>({
      dialect: new SqliteDialect({ database: openSqliteDatabase(store.location, 5000) }),
    });
    // Every document says "common"; every 500th (from the oldest on) is a forum post mentioning Oldtown Clinic.
    const rows = Array.from({ length: total }, (_, i) => ({
      id: `c-${i + 1}`,
      seq: i + 1,
      source: 'test',
      source_type: (i + 1) % 500 === 0 ? 'forum' : 'market',
      url: null,
      title: null,
      author: null,
      posted_at: null,
      ingested_at: '2026-01-01T00:00:00.000Z',
      language: null,
      content_hash: `c-${i + 1}`,
      simhash: '0',
      near_dup_group: `c-${i + 1}`,
      text: `common words ${(i + 1) % 500 === 0 ? 'oldtown clinic' : 'filler'} number ${i + 1}`,
      class: 'chatter',
      class_score: 0.1,
    }));
    for (const part of chunks(rows, 200)) await raw.insertInto('darkweb_documents').values(part).execute();
    const mentioned = rows.filter((r) => r.source_type === 'forum');
    await raw
      .insertInto('darkweb_mentions')
      .values(
        mentioned.map((r) => ({
          id: `m-${r.id}`,
          document_id: r.id,
          organization_id: org.id,
          class: 'chatter',
          confidence: 0.9,
          via: 'name',
          matched: 'Oldtown Clinic',
          snippet: '',
          posted_at: null,
          created_at: '2026-01-01T00:00:00.000Z',
        })),
      )
      .execute();
    await raw.destroy();
  });
  after(async () => {
    await store?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('a word in every document ranks only the newest candidates, and says so', async () => {
    const result = await store.darkwebSearch.search(parseSearchQuery('common'), { limit: 1000 });
    assert.equal(result.rankedCandidates, RANKING_CANDIDATES);
    assert.equal(result.hits.length, 1000);
    const oldestAllowed = total - RANKING_CANDIDATES + 1;
    assert.ok(result.hits.every((h) => Number(h.docId.slice(2)) >= oldestAllowed));
  });

  test('selective filters are applied before the cap: old matching documents are still found', async () => {
    const expected = Array.from({ length: Math.floor(total / 500) }, (_, i) => `c-${(i + 1) * 500}`).sort();
    const byOrg = await store.darkwebSearch.search(parseSearchQuery('common org:"Oldtown Clinic"'), { limit: 1000 });
    assert.equal(byOrg.rankedCandidates, null);
    assert.deepEqual(byOrg.hits.map((h) => h.docId).sort(), expected);
    const bySource = await store.darkwebSearch.search(parseSearchQuery('common source_type:forum'), { limit: 1000 });
    assert.deepEqual(bySource.hits.map((h) => h.docId).sort(), expected);
  });

  test('broad words and broad filters: every hit passes the filter', async () => {
    const result = await store.darkwebSearch.search(parseSearchQuery('common -source_type:forum'), { limit: 50 });
    assert.equal(result.hits.length, 50);
    assert.ok(result.hits.every((h) => h.sourceType === 'market'));
    assert.equal(result.rankedCandidates, RANKING_CANDIDATES);
  });
});

describe('dark-web search index upkeep on SQLite', () => {
  let home: string;
  let store: Store;
  let raw: Kysely<StoreSchema>;
  let orgId: string;
  const integrityCheck = () =>
    sql`INSERT INTO darkweb_documents_fts(darkweb_documents_fts, rank) VALUES ('integrity-check', 1)`.execute(raw);
  const found = async (query: string): Promise<string[]> =>
    ids((await store.darkwebSearch.search(parseSearchQuery(query), { limit: 100 })).hits).sort();
  const document = (id: string, seq: number, text: string, documentClass: string) => ({
    id,
    seq,
    source: 'test',
    source_type: 'leak_site',
    url: null,
    title: null,
    author: null,
    posted_at: null,
    ingested_at: '2026-04-03T00:00:00.000Z',
    language: null,
    content_hash: `hash-${id}`,
    simhash: '0',
    near_dup_group: id,
    text,
    class: documentClass,
    class_score: 0.5,
  });
  const mention = (id: string, documentId: string, mentionClass: string) => ({
    id,
    document_id: documentId,
    organization_id: orgId,
    class: mentionClass,
    confidence: 0.9,
    via: 'name',
    matched: 'Upkeep Clinic',
    snippet: '',
    posted_at: null,
    created_at: '2026-04-03T00:00:00.000Z',
  });

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'vitals-search-upkeep-'));
    store = await openStore({ home });
    raw = new Kysely<StoreSchema>({
      dialect: new SqliteDialect({ database: openSqliteDatabase(store.location, 5000) }),
    });
    await store.organizations.upsert({
      name: 'Upkeep Clinic',
      sector: 'clinic',
      domains: ['upkeep.example'],
      telehealth: false,
    });
    orgId = (await store.organizations.getByName('Upkeep Clinic'))!.id;
  });
  after(async () => {
    await raw?.destroy();
    await store?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('class filters follow mentions that come, change class and go', async () => {
    await raw
      .insertInto('darkweb_documents')
      .values([
        document('u-1', 1, 'okapi sighting near the clinic', 'chatter'),
        document('u-2', 2, 'okapi for sale', 'data_for_sale'),
      ])
      .execute();
    assert.deepEqual(await found('okapi class:access_for_sale'), []);
    await raw
      .insertInto('darkweb_mentions')
      .values(mention('um-1', 'u-1', 'access_for_sale'))
      .execute();
    assert.deepEqual(await found('okapi class:access_for_sale'), ['u-1']);
    assert.deepEqual(await found('okapi class:chatter'), ['u-1'], 'the document keeps its own class');
    // A mention of the document's own class changes nothing (and costs no reindexing).
    await raw
      .insertInto('darkweb_mentions')
      .values(mention('um-2', 'u-2', 'data_for_sale'))
      .execute();
    assert.deepEqual(await found('okapi class:data_for_sale'), ['u-2']);
    await raw.updateTable('darkweb_mentions').set({ class: 'credential_leak' }).where('id', '=', 'um-1').execute();
    assert.deepEqual(await found('okapi class:access_for_sale'), []);
    assert.deepEqual(await found('okapi class:credential_leak'), ['u-1']);
    await raw.deleteFrom('darkweb_mentions').where('id', '=', 'um-1').execute();
    assert.deepEqual(await found('okapi class:credential_leak'), []);
    assert.deepEqual(await found('okapi -class:chatter'), ['u-2']);
    await integrityCheck();
  });

  test('reclassifying a document moves it between class filters', async () => {
    await raw.deleteFrom('darkweb_mentions').where('id', '=', 'um-2').execute();
    assert.deepEqual(await found('okapi class:data_for_sale'), ['u-2'], 'the document keeps its own class');
    await raw
      .updateTable('darkweb_documents')
      .set({ class: 'phi_exposure', source_type: 'forum' })
      .where('id', '=', 'u-2')
      .execute();
    assert.deepEqual(await found('okapi class:data_for_sale'), []);
    assert.deepEqual(await found('okapi class:phi_exposure source_type:forum'), ['u-2']);
    assert.deepEqual(await found('okapi source_type:leak_site'), ['u-1']);
    await integrityCheck();
  });

  test('deleting a document with mentions (cascading) leaves a consistent index', async () => {
    await raw
      .insertInto('darkweb_mentions')
      .values(mention('um-3', 'u-2', 'ransomware_listing'))
      .execute();
    assert.deepEqual(await found('okapi class:ransomware_listing'), ['u-2']);
    await raw.deleteFrom('darkweb_documents').where('id', '=', 'u-2').execute();
    assert.deepEqual(await found('okapi'), ['u-1']);
    assert.deepEqual(await found('okapi class:ransomware_listing'), []);
    await integrityCheck();
  });

  test('migration 0003 indexes documents and mentions stored before it, and its down removes everything', async () => {
    await raw
      .insertInto('darkweb_mentions')
      .values(mention('um-4', 'u-1', 'phi_exposure'))
      .execute();
    await migration0003.down(raw as unknown as Kysely<unknown>);
    const left = await sql<{
      name: string;
    }>`SELECT name FROM sqlite_master WHERE name LIKE '%fts%' OR name LIKE 'darkweb_documents_search%'`.execute(raw);
    assert.deepEqual(left.rows, []);
    await raw
      .insertInto('darkweb_documents')
      .values(document('u-3', 3, 'okapi herd', 'chatter'))
      .execute();
    await migration0003.up(raw as unknown as Kysely<unknown>);
    assert.deepEqual(await found('okapi'), ['u-1', 'u-3']);
    assert.deepEqual(await found('okapi class:phi_exposure'), ['u-1']);
    await integrityCheck();
  });
});
