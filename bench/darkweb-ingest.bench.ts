/**
 * Dark-web ingestion benchmark (issue #3 section 8: at least 5,000 documents per second into SQLite).
 * 50,000 generated documents of about 1 KB (forum posts, market listings, pastes with combo lines,
 * leak-site notes; some mention a portfolio organization, some carry identifiers) go through
 * `ingestDocuments` into a fresh SQLite store twice: raw (`analyze: false`: validation, normalization,
 * hashing, SimHash, language, dedup, the credential-password redaction, commit) and full (plus entity
 * extraction, organization matching over a 1,000-organization portfolio, and classification).
 *
 * Environment: VITALS_BENCH_INGEST_DOCS (default 50,000).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/store/database.js';
import type { OrganizationInput } from '../src/core/organization.js';
import { ingestDocuments, type IngestSummary } from '../src/darkweb/ingest/ingest.js';
import { onionV3FromPublicKey } from '../src/darkweb/extract/onion.js';
import type { DarkwebDocumentInput, SourceType } from '../src/darkweb/types.js';
import type { OrgIdentity } from '../src/lab/world/names.js';
import type { BenchResult, BenchRow } from './bench-result.js';
import { benchOrganizations, seededRandom } from './darkweb-corpus.js';

/** The target. */
export const TARGET_DOCS_PER_SECOND = 5000;
const DEFAULT_DOCS = 50_000;
const PORTFOLIO_ORGS = 1000;
const TARGET_DOCUMENT_CHARS = 1000;

/** Everyday words: most of any post. */
const WORDS = (
  'the a of to and in is for on with that this it you we they be have has was are not but or if so just ' +
  'anyone know where how much still working tested today yesterday last week update new old thanks ' +
  'thread reply quote bump pm tox jabber vouch legit proof sample logs network users domain backup'
).split(' ');
/** Words of each kind of source, one in five words: they steer the classifier as real posts would. */
const TOPIC_WORDS: Readonly<Record<SourceType, readonly string[]>> = {
  forum: 'exploit vpn citrix fortinet shell tutorial question patch bypass tool loader crypter'.split(' '),
  market: 'selling price escrow btc vendor bulk fresh valid access rdp panel records'.split(' '),
  paste: 'combo list dump mail pass checked private hits lines'.split(' '),
  leak_site: 'published files deadline negotiation victim ransom data exfiltrated'.split(' '),
  chat: 'channel join admin mirror link group lol bro'.split(' '),
};
const SOURCES: ReadonlyArray<readonly [string, SourceType]> = [
  ['exploit-forum', 'forum'],
  ['breach-forum', 'forum'],
  ['darkmarket', 'market'],
  ['pastebin-mirror', 'paste'],
  ['lockbit-blog', 'leak_site'],
  ['telegram-leaks', 'chat'],
];
/** Valid addresses (checksums hold), so the extractors keep them. */
const BTC_ADDRESSES = [
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
  '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
  '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

function sentence(random: () => number, type: SourceType): string {
  const words: string[] = [];
  for (let i = 0, n = 6 + Math.floor(random() * 12); i < n; i++)
    words.push(pick(random() < 0.2 ? TOPIC_WORDS[type] : WORDS, random));
  const text = words.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/**
 * `count` distinct documents of about 1 KB. About 10% name a portfolio organization (name, short name
 * or domain), 8% carry combo lines at a portfolio domain, 10% a Bitcoin address, onion link, CVE or
 * IPv4 address; a serial number keeps every text distinct.
 */
export function generateIngestDocuments(
  count: number,
  portfolio: readonly OrgIdentity[],
  seed = 11,
): DarkwebDocumentInput[] {
  const random = seededRandom(seed);
  const onions = Array.from({ length: 50 }, () => onionV3FromPublicKey(randomBytes(32)));
  const docs: DarkwebDocumentInput[] = [];
  for (let i = 0; i < count; i++) {
    const [source, sourceType] = pick(SOURCES, random);
    const lines: string[] = [`post ${i} ${pick(WORDS, random)} ${Math.floor(random() * 1e9).toString(36)}`];
    const org = pick(portfolio, random);
    const r = random();
    if (r < 0.1) {
      const term =
        random() < 0.5 ? org.name : random() < 0.5 ? org.domain : (org.aliases[org.aliases.length - 1] ?? org.name);
      lines.push(`${sentence(random, sourceType)} ${term} ${sentence(random, sourceType)}`);
    } else if (r < 0.18) {
      for (let k = 0, n = 2 + Math.floor(random() * 6); k < n; k++)
        lines.push(`user${Math.floor(random() * 1e6)}@${org.domain}:pw${Math.floor(random() * 1e8).toString(36)}!`);
    } else if (r < 0.28) {
      const extra = random();
      lines.push(
        extra < 0.25
          ? `BTC ${pick(BTC_ADDRESSES, random)} escrow only`
          : extra < 0.5
            ? `mirror http://${pick(onions, random)}/files`
            : extra < 0.75
              ? `exploit for CVE-2024-${1000 + Math.floor(random() * 8000)} works`
              : `panel at 198.51.100.${1 + Math.floor(random() * 250)} port 3389`,
      );
    }
    let text = lines.join('\n');
    while (text.length < TARGET_DOCUMENT_CHARS) text += `\n${sentence(random, sourceType)}`;
    const doc: DarkwebDocumentInput = { id: `bench-${i}`, source, source_type: sourceType, text };
    if (random() < 0.5) doc.title = sentence(random, sourceType).slice(0, 60);
    if (random() < 0.8)
      doc.posted_at = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 300 * 86_400_000)).toISOString();
    docs.push(doc);
  }
  return docs;
}

/** One timed ingestion into a fresh SQLite store. */
async function timedIngest(
  docs: readonly DarkwebDocumentInput[],
  portfolio: readonly OrganizationInput[],
  analyze: boolean,
): Promise<{ seconds: number; cpuSeconds: number; summary: IngestSummary }> {
  const home = mkdtempSync(join(tmpdir(), 'vitals-bench-ingest-'));
  try {
    const store = await openStore({ home });
    try {
      await store.organizations.upsertMany(portfolio);
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const summary = await ingestDocuments(store, docs, { analyze, credentialKey: randomBytes(32).toString('hex') });
      const cpu = process.cpuUsage(cpuBefore);
      const seconds = (performance.now() - started) / 1000;
      if (summary.inserted !== docs.length)
        throw new Error(
          `ingested ${summary.inserted} of ${docs.length} documents (rejected ${summary.rejected}, duplicates ` +
            `${summary.duplicates})`,
        );
      const stored = await store.darkweb.countDocuments();
      if (stored !== docs.length) throw new Error(`the store holds ${stored} documents, not ${docs.length}`);
      // CPU time of this process (SQLite runs in it too): steadier than wall clock on a shared machine.
      return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, summary };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Runs the ingestion benchmark (exported for bench/run.ts). */
export async function run(): Promise<BenchResult> {
  const raw = process.env['VITALS_BENCH_INGEST_DOCS'];
  const count = raw === undefined || raw === '' ? DEFAULT_DOCS : Number(raw);
  if (!Number.isSafeInteger(count) || count <= 0)
    throw new Error(`VITALS_BENCH_INGEST_DOCS must be a positive integer, not ${JSON.stringify(raw)}`);
  const orgs = benchOrganizations(PORTFOLIO_ORGS);
  const portfolio: OrganizationInput[] = orgs.map((o) => ({
    name: o.name,
    sector: o.sector,
    domains: [o.domain],
    telehealth: o.telehealth,
    aliases: o.aliases,
  }));
  const docs = generateIngestDocuments(count, orgs);
  const chars = docs.reduce((sum, d) => sum + (d.text?.length ?? 0) + (d.title?.length ?? 0), 0);

  process.stderr.write(`bench: darkweb-ingest: ${count} documents, raw...\n`);
  const plain = await timedIngest(docs, portfolio, false);
  process.stderr.write(`bench: darkweb-ingest: ${count} documents, full analysis...\n`);
  const full = await timedIngest(docs, portfolio, true);

  const rate = (r: { seconds: number }): number => count / r.seconds;
  const rows: BenchRow[] = [
    {
      what: `ingest ${count.toLocaleString('en-US')} documents (~1 KB) into SQLite, raw (analyze: false)`,
      unit: 'docs/s',
      vitals: rate(plain),
      other: null,
      target: `>= ${TARGET_DOCS_PER_SECOND.toLocaleString('en-US')}`,
      met: rate(plain) >= TARGET_DOCS_PER_SECOND,
    },
    {
      what:
        `ingest ${count.toLocaleString('en-US')} documents, full: extraction + matching ` +
        `(${PORTFOLIO_ORGS.toLocaleString('en-US')} orgs) + classification`,
      unit: 'docs/s',
      vitals: rate(full),
      other: null,
      target: `>= ${TARGET_DOCS_PER_SECOND.toLocaleString('en-US')}`,
      met: rate(full) >= TARGET_DOCS_PER_SECOND,
    },
  ];
  const s = full.summary;
  const notes = [
    `CPU time (this process, SQLite included): raw ${plain.cpuSeconds.toFixed(1)} s = ` +
      `${Math.round(count / plain.cpuSeconds)} docs per CPU-second; full ${full.cpuSeconds.toFixed(1)} s = ` +
      `${Math.round(count / full.cpuSeconds)} docs per CPU-second. Wall clock: raw ` +
      `${plain.seconds.toFixed(1)} s, full ${full.seconds.toFixed(1)} s.`,
    `${count} documents, ${(chars / 1e6).toFixed(1)} M characters; full run found ${s.mentions} mentions, ` +
      `${s.entities} entities, ${s.credentials} credentials; classes ${JSON.stringify(s.documentsByClass)}.`,
  ];
  return {
    name: 'darkweb-ingest',
    rows,
    details: {
      documents: count,
      characters: chars,
      portfolio: PORTFOLIO_ORGS,
      raw: { seconds: plain.seconds, cpuSeconds: plain.cpuSeconds, summary: plain.summary },
      full: { seconds: full.seconds, cpuSeconds: full.cpuSeconds, summary: full.summary },
    },
    notes,
  };
}
