/**
 * Throughput measurement (prints, asserts nothing about speed: machines differ). 30,000 synthetic
 * organizations with names, aliases and domains; 50 MB of generated forum-like text in 4 KB documents,
 * 1% of lines carrying a mention. Target from shared/reference/dependencies.md §12: at least grep -F -i
 * (3.8 MB/s there) and half of ripgrep; aim 25+ MB/s. Size with VITALS_MATCH_BENCH_MB (default 50).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAhoCorasick } from './aho-corasick.js';
import { buildOrgMatcher } from './org-matcher.js';
import type { OrgPatternInput } from './org-matcher.js';
import { seededRandom } from './test-helpers.js';

const ORG_COUNT = 30_000;
const TEXT_MB = Number(process.env['VITALS_MATCH_BENCH_MB'] ?? 50);
const DOCUMENT_BYTES = 4096;

const SYLLABLES = ['an', 'ber', 'cor', 'del', 'ew', 'fal', 'gon', 'har', 'ix', 'jen', 'kel', 'lor', 'mon', 'nor', 'ost', 'par', 'quin', 'ros', 'sil', 'tor', 'ul', 'ven', 'wes', 'yar', 'zel'];
const KINDS = ['Family Clinic', 'Regional Hospital', 'Medical Center', 'Pharmacy', 'Diagnostics Lab', 'Telehealth', 'Health Plan'];
const SECTORS = ['clinic', 'hospital', 'hospital', 'pharmacy', 'laboratory', 'telehealth', 'payer'];
const FILLER = 'the a of to and in is for on with selling access data dump db leak price btc escrow vps rdp shell panel admin combo fresh valid records patients hospital clinic forum thread reply quote bump pm me tox jabber'.split(' ');

function syntheticOrgs(random: () => number): OrgPatternInput[] {
  const word = (): string => {
    let s = '';
    for (let i = 0, n = 2 + Math.floor(random() * 2); i < n; i++) s += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    return s;
  };
  const capital = (s: string): string => s[0]!.toUpperCase() + s.slice(1);
  return Array.from({ length: ORG_COUNT }, (_, i) => {
    const a = word();
    const b = word();
    const kind = Math.floor(random() * KINDS.length);
    return {
      name: `${capital(a)} ${capital(b)} ${KINDS[kind]}`,
      aliases: [`${capital(a)}${capital(b)}`],
      domains: [`${a}-${b}-${i}.test`],
      sector: SECTORS[kind]!,
    };
  });
}

function syntheticDocuments(random: () => number, orgs: OrgPatternInput[], totalBytes: number): string[] {
  const documents: string[] = [];
  let produced = 0;
  while (produced < totalBytes) {
    let doc = '';
    while (doc.length < DOCUMENT_BYTES) {
      let line = '';
      for (let w = 0, n = 6 + Math.floor(random() * 10); w < n; w++) line += `${FILLER[Math.floor(random() * FILLER.length)]} `;
      if (random() < 0.01) {
        const org = orgs[Math.floor(random() * orgs.length)]!;
        const pick = Math.floor(random() * 3);
        const term = pick === 0 ? org.name : pick === 1 ? `admin@${org.domains![0]}` : org.aliases![0]!;
        line += random() < 0.5 ? term.toUpperCase() : term;
      }
      doc += `${line}\n`;
    }
    documents.push(doc);
    produced += doc.length;
  }
  return documents;
}

test('throughput: 30,000 organizations over generated text (prints MB/s)', () => {
  const random = seededRandom(20250101);
  const orgs = syntheticOrgs(random);
  const documents = syntheticDocuments(random, orgs, TEXT_MB * 1e6);
  const bytes = documents.reduce((sum, d) => sum + d.length, 0);

  // Wall time and CPU time of this process: on a shared machine the CPU figure is the steadier one.
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  let started = performance.now();
  let cpu = process.cpuUsage();
  const matcher = buildOrgMatcher(orgs);
  const buildMs = performance.now() - started;
  const buildCpuMs = cpuMs(cpu);

  started = performance.now();
  cpu = process.cpuUsage();
  let mentions = 0;
  for (const doc of documents) mentions += matcher.match(doc).length;
  const scanSeconds = (performance.now() - started) / 1000;
  const scanCpuSeconds = cpuMs(cpu) / 1000;

  // The raw automaton on the same text, as one buffer, for comparison with grep/ripgrep figures.
  const raw = buildAhoCorasick([...orgs.flatMap((o) => [o.name, ...(o.aliases ?? []), ...(o.domains ?? [])])]);
  const joined = Buffer.from(documents.join(''), 'utf8');
  started = performance.now();
  cpu = process.cpuUsage();
  let rawHits = 0;
  raw.scan(joined, () => rawHits++, { wholeWords: true });
  const rawSeconds = (performance.now() - started) / 1000;
  const rawCpuSeconds = cpuMs(cpu) / 1000;

  console.log(
    [
      `org matcher: ${ORG_COUNT} orgs, ${matcher.patternCount} terms, ${matcher.stateCount} states, tables ${(matcher.tableBytes / 1e6).toFixed(1)} MB, build ${buildMs.toFixed(0)} ms (cpu ${buildCpuMs.toFixed(0)} ms)`,
      `match(): ${documents.length} documents, ${(bytes / 1e6).toFixed(1)} MB in ${scanSeconds.toFixed(2)} s = ${(bytes / 1e6 / scanSeconds).toFixed(1)} MB/s (cpu ${(bytes / 1e6 / scanCpuSeconds).toFixed(1)} MB/s), ${mentions} mentions`,
      `raw automaton, one buffer: ${(joined.length / 1e6 / rawSeconds).toFixed(1)} MB/s (cpu ${(joined.length / 1e6 / rawCpuSeconds).toFixed(1)} MB/s), ${rawHits} whole-word hits`,
    ].join('\n'),
  );
  // Sanity, not speed: generated mentions must be found (1% of ~60-byte lines carry one).
  assert.ok(mentions > 0);
});
