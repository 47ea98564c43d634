/**
 * TLS benchmark: the TLS assessment (versions, suites per version, certificate) of 200 lab endpoints by
 * Vitals, side by side with `sslscan` on the same endpoints (as a user runs it over a list: two processes
 * per core) and `testssl.sh` on a sample (it takes minutes per endpoint); endpoints per second for each and
 * the agreement of their verdicts, every disagreement listed. The lab runs in a child process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Semaphore } from '../src/net/concurrency.js';
import { NetworkGuard } from '../src/net/guarded-socket.js';
import { createTrustStore } from '../src/probes/tls/certificate.js';
import { assessEndpoint } from '../src/probes/tls/tls-endpoint.js';
import { TLS_DEFAULTS } from '../src/probes/tls/tls-family.js';
import type { TlsEndpointObservation } from '../src/probes/tls/tls.types.js';
import { buildLabWorld } from '../src/lab/world/world.js';
import { CIPHER_SUITES, TLS_VERSIONS, type TlsVersion } from '../src/tls/cipher-suites.js';
import type { BenchResult, BenchRow } from './bench-result.js';
import { startLabProcess } from './lab-process.js';
import { assertLoopback, findExecutable } from './tools.js';

const run$ = promisify(execFile);

/** Endpoints assessed (the figure), and the lab size that has at least that many. */
export const TLS_BENCH_ENDPOINTS = 200;
const TLS_BENCH_ORGS = 50;
/** testssl.sh takes about a minute or more per endpoint: a sample. */
const TESTSSL_SAMPLE = 3;
/** The target: at least 10 times sslscan's throughput. */
export const TARGET_SPEEDUP = 10;

interface Endpoint {
  host: string;
  address: string;
  port: number;
  profile: string;
}

/** What every tool is compared on: versions, accepted suites per version (IANA names), the leaf's signature. */
interface Verdict {
  versions: TlsVersion[];
  suites: Partial<Record<TlsVersion, string[]>>;
  signature: string | null;
  selfSigned: boolean | null;
}

export async function run(): Promise<BenchResult> {
  const notes: string[] = [];
  const cores = availableParallelism();
  const sslscanPath = findExecutable('sslscan');
  const testsslPath = findExecutable('testssl') ?? findExecutable('testssl.sh');
  const lab = await startLabProcess(TLS_BENCH_ORGS);
  try {
    const ports = lab.state.tls;
    if (!ports) throw new Error('the lab did not report its TLS ports');
    const world = buildLabWorld({ seed: lab.state.seed, orgs: lab.state.orgs });
    const endpoints: Endpoint[] = world.tlsEndpoints.slice(0, TLS_BENCH_ENDPOINTS).map((e) => ({
      host: e.hosts[0]!,
      address: e.address,
      port: ports[e.role],
      profile: e.profile,
    }));
    for (const e of endpoints) assertLoopback(e.address);
    if (endpoints.length < TLS_BENCH_ENDPOINTS) notes.push(`the lab has only ${endpoints.length} TLS endpoints.`);
    const caPem = readFileSync(lab.state.files.tlsCa, 'utf8');

    const vitals = await timeVitals(endpoints, caPem);
    const vitalsVerdicts = vitals.observations.map(verdictOfVitals);
    const failed = vitals.observations.filter((o) => o.status !== 'completed');
    if (failed.length > 0) notes.push(`Vitals could not assess ${failed.length} endpoint(s).`);

    let sslscan: { seconds: number; verdicts: Array<Verdict | null>; processes: number } | null = null;
    if (sslscanPath) sslscan = await timeSslscan(sslscanPath, endpoints, 2 * cores);
    else notes.push('sslscan is not installed (Debian package sslscan): its comparison was skipped.');

    let testssl: { seconds: number; verdicts: Array<Verdict | null>; sample: Endpoint[] } | null = null;
    if (testsslPath) testssl = await timeTestssl(testsslPath, sampleOf(endpoints, TESTSSL_SAMPLE));
    else notes.push('testssl.sh is not installed (Debian package testssl.sh): its comparison was skipped.');

    const sslscanAgreement = sslscan ? agreement(endpoints, vitalsVerdicts, sslscan.verdicts, 'sslscan') : null;

    // sslscan finds SSLv3 with its own raw hello but lists suites through OpenSSL, and OpenSSL 3 has no SSLv3:
    // where it reports SSLv3 offered with no suite, testssl.sh's per-protocol enumeration (-E, its own sockets
    // for SSLv3) gives that part of the verdict, on those endpoints only.
    const sslv3Gaps = sslscan ? endpoints.filter((_, i) => sslscanLacksSslv3Suites(sslscan.verdicts[i])) : [];
    let sslv3Suites: { seconds: number; lists: Array<string[] | null> } | null = null;
    if (sslv3Gaps.length > 0 && testsslPath) sslv3Suites = await timeTestsslSslv3(testsslPath, sslv3Gaps);
    const combined = sslscan
      ? endpoints.map((e, i) => {
          const v = sslscan.verdicts[i] ?? null;
          const gap = sslv3Gaps.indexOf(e);
          if (!v || gap < 0) return v;
          const list = sslv3Suites?.lists[gap];
          // No list from testssl.sh either: the SSLv3 part stays unanswered (a disagreement), never assumed.
          return list ? { ...v, suites: { ...v.suites, SSLv3: list } } : v;
        })
      : null;
    const combinedAgreement = combined ? agreement(endpoints, vitalsVerdicts, combined, 'sslscan/testssl.sh') : null;
    if (sslscan && sslv3Gaps.length > 0) {
      const raw = sslscanAgreement?.disagreements.length ?? 0;
      notes.push(
        `sslscan reports SSLv3 offered but lists no SSLv3 suite on ${sslv3Gaps.length} endpoint(s): it lists ` +
          'suites through OpenSSL, and OpenSSL 3 has no SSLv3, so it cannot list SSLv3 suites on any server. ' +
          `Against sslscan alone ${sslscanAgreement?.agreeing}/${sslscanAgreement?.compared} whole verdicts agree ` +
          `(${raw} disagreement(s), in details.sslscanDisagreements); ` +
          (sslv3Suites
            ? `their SSLv3 suites are compared with testssl.sh -E (${sslv3Suites.seconds.toFixed(1)} s for them).`
            : 'testssl.sh is not installed, so their SSLv3 suites are compared with nothing.'),
      );
    }
    const testsslAgreement = testssl
      ? agreement(
          testssl.sample,
          testssl.sample.map((e) => vitalsVerdicts[endpoints.indexOf(e)]!),
          testssl.verdicts,
          'testssl.sh',
          { suites: false },
        )
      : null;

    const vitalsRate = endpoints.length / vitals.seconds;
    const sslscanRate = sslscan ? endpoints.length / sslscan.seconds : null;
    const rows: BenchRow[] = [
      {
        what: `TLS assessment (versions, suites, certificate), ${endpoints.length} lab endpoints`,
        unit: 'endpoints/s',
        vitals: vitalsRate,
        other: sslscan ? { tool: `sslscan (${sslscan.processes} procs)`, value: sslscanRate } : null,
        target: `>= ${TARGET_SPEEDUP}x sslscan`,
        met: sslscanRate === null ? null : vitalsRate >= TARGET_SPEEDUP * sslscanRate,
      },
      {
        what: `same, testssl.sh on ${testssl?.sample.length ?? 0} of them`,
        unit: 'endpoints/s',
        vitals: vitalsRate,
        other: testssl ? { tool: 'testssl.sh (-p)', value: testssl.sample.length / testssl.seconds } : null,
        target: null,
        met: null,
      },
      {
        what: 'protocol-version verdicts agreeing with sslscan',
        unit: '%',
        vitals: sslscanAgreement ? (100 * sslscanAgreement.versionsAgreeing) / sslscanAgreement.compared : null,
        other: null,
        target: '100',
        met: sslscanAgreement ? sslscanAgreement.versionsAgreeing === sslscanAgreement.compared : null,
      },
      {
        what:
          'whole verdicts agreeing (versions, suites, certificate signature and self-signed) with sslscan' +
          (sslv3Gaps.length > 0 ? `, SSLv3 suites with testssl.sh -E on ${sslv3Gaps.length}` : ''),
        unit: '%',
        vitals: combinedAgreement ? (100 * combinedAgreement.agreeing) / combinedAgreement.compared : null,
        other: null,
        target: '100',
        met: combinedAgreement ? combinedAgreement.agreeing === combinedAgreement.compared : null,
      },
      {
        what: 'verdicts agreeing with testssl.sh (versions)',
        unit: '%',
        vitals: testsslAgreement ? (100 * testsslAgreement.agreeing) / testsslAgreement.compared : null,
        other: null,
        target: '100',
        met: testsslAgreement ? testsslAgreement.agreeing === testsslAgreement.compared : null,
      },
    ];
    return {
      name: 'tls',
      rows,
      details: {
        endpoints: endpoints.length,
        vitalsSeconds: vitals.seconds,
        vitalsConnections: vitals.observations.reduce((n, o) => n + (o.status === 'completed' ? o.connections : 0), 0),
        sslscanSeconds: sslscan?.seconds ?? null,
        testsslSeconds: testssl?.seconds ?? null,
        sslscanWholeVerdictsAgreeing: sslscanAgreement
          ? { agreeing: sslscanAgreement.agreeing, compared: sslscanAgreement.compared }
          : null,
        sslscanDisagreements: sslscanAgreement?.disagreements ?? [],
        verdictSources: {
          versions: 'sslscan',
          suites: 'sslscan',
          sslv3Suites:
            sslv3Gaps.length === 0
              ? 'sslscan'
              : `testssl.sh -E on the ${sslv3Gaps.length} endpoint(s) where sslscan lists none, sslscan elsewhere`,
          signature: 'sslscan',
          selfSigned: 'sslscan',
        },
        sslv3SuitesFromTestssl: sslv3Gaps.map((e, i) => ({
          endpoint: `${e.host}:${e.port} (${e.profile})`,
          suites: sslv3Suites?.lists[i] ?? null,
        })),
        testsslSslv3Seconds: sslv3Suites?.seconds ?? null,
        wholeVerdictDisagreements: combinedAgreement?.disagreements ?? [],
        testsslDisagreements: testsslAgreement?.disagreements ?? [],
      },
      notes,
    };
  } finally {
    await lab.stop();
  }
}

async function timeVitals(endpoints: readonly Endpoint[], caPem: string) {
  const guard = new NetworkGuard();
  const trust = createTrustStore(caPem);
  const slots = new Semaphore(TLS_DEFAULTS.concurrency);
  const started = performance.now();
  const observations = await Promise.all(
    endpoints.map(async (e): Promise<TlsEndpointObservation> => {
      await slots.acquire();
      try {
        return await assessEndpoint(
          { host: e.host, address: e.address, port: e.port },
          {
            guard,
            trust,
            limits: {
              connectTimeoutMs: TLS_DEFAULTS.connectTimeoutMs,
              replyTimeoutMs: TLS_DEFAULTS.replyTimeoutMs,
              maxBytes: TLS_DEFAULTS.maxReplyBytes,
            },
            endpointTimeoutMs: TLS_DEFAULTS.endpointTimeoutMs,
            maxConnections: TLS_DEFAULTS.maxConnectionsPerEndpoint,
            groups: true,
            now: () => new Date(),
          },
        );
      } finally {
        slots.release();
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, observations };
}

function verdictOfVitals(o: TlsEndpointObservation): Verdict | null {
  if (o.status !== 'completed') return null;
  const leaf = o.certificate?.chain[0];
  return {
    versions: o.versions.filter((v) => v.supported).map((v) => v.version),
    suites: Object.fromEntries(
      o.versions.filter((v) => v.supported).map((v) => [v.version, v.suites.map((s) => s.name).sort()]),
    ),
    signature: leaf?.signatureAlgorithm ?? null,
    selfSigned: leaf?.selfSigned ?? null,
  };
}

const IANA_BY_OPENSSL = new Map(CIPHER_SUITES.filter((s) => !s.sslv2).map((s) => [s.openssl, s.name]));
const SSLSCAN_VERSIONS: Record<string, TlsVersion> = {
  'ssl 2': 'SSLv2',
  'ssl 3': 'SSLv3',
  'tls 1.0': 'TLSv1.0',
  'tls 1.1': 'TLSv1.1',
  'tls 1.2': 'TLSv1.2',
  'tls 1.3': 'TLSv1.3',
};

async function timeSslscan(path: string, endpoints: readonly Endpoint[], processes: number) {
  const verdicts: Array<Verdict | null> = new Array(endpoints.length).fill(null);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: processes }, async () => {
      while (next < endpoints.length) {
        const i = next++;
        const e = endpoints[i]!;
        const out = await run$(path, ['--no-colour', '--xml=-', `--sni-name=${e.host}`, `${e.address}:${e.port}`], {
          maxBuffer: 16 * 1024 * 1024,
          timeout: 120_000,
        }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
        verdicts[i] = parseSslscanXml(out.stdout);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, verdicts, processes };
}

/** sslscan 2's XML: `<protocol type version enabled>`, `<cipher sslversion cipher>`, the certificate's fields. */
export function parseSslscanXml(xml: string): Verdict | null {
  if (!xml.includes('<protocol')) return null;
  const versions: TlsVersion[] = [];
  for (const m of xml.matchAll(/<protocol type="(\w+)" version="([\d.]+)" enabled="1"/g)) {
    const v = SSLSCAN_VERSIONS[`${m[1]} ${m[2]}`];
    if (v) versions.push(v);
  }
  const suites: Partial<Record<TlsVersion, string[]>> = {};
  for (const m of xml.matchAll(/<cipher status="\w+" sslversion="([^"]+)" bits="\d+" cipher="([^"]+)"/g)) {
    const version = m[1] === 'TLSv1.0' ? 'TLSv1.0' : (m[1] as TlsVersion);
    const name = IANA_BY_OPENSSL.get(m[2]!) ?? m[2]!;
    (suites[version] ??= []).push(name);
  }
  for (const list of Object.values(suites)) list?.sort();
  const signature = /<signature-algorithm>([^<]+)<\/signature-algorithm>/.exec(xml)?.[1] ?? null;
  const selfSigned = /<self-signed>(true|false)<\/self-signed>/.exec(xml)?.[1];
  return {
    versions: TLS_VERSIONS.filter((v) => versions.includes(v)),
    suites,
    signature,
    selfSigned: selfSigned === undefined ? null : selfSigned === 'true',
  };
}

/**
 * Runs testssl.sh with one test option (`-p` protocols, `-E` ciphers per protocol) on each endpoint in turn and
 * parses its flat JSON file; a result is null when it wrote none or it could not be parsed.
 */
async function runTestssl<T>(path: string, option: string, endpoints: readonly Endpoint[], parse: (json: string) => T) {
  const results: Array<T | null> = [];
  const started = performance.now();
  for (const e of endpoints) {
    const dir = mkdtempSync(join(tmpdir(), 'vitals-testssl-'));
    const file = join(dir, 'result.json');
    // -n none: no DNS look-ups of its own; --ip: the lab address, the host name for SNI.
    const args = ['--quiet', '--warnings', 'off', '-n', 'none', '--color', '0', option, '--jsonfile', file];
    await run$(path, [...args, '--ip', e.address, `${e.host}:${e.port}`], {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 600_000,
    }).catch(() => undefined);
    try {
      results.push(parse(readFileSync(file, 'utf8')));
    } catch {
      results.push(null);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return { seconds: (performance.now() - started) / 1000, results };
}

async function timeTestssl(path: string, sample: readonly Endpoint[]) {
  const { seconds, results } = await runTestssl(path, '-p', sample, parseTestsslJson);
  return { seconds, verdicts: results, sample: [...sample] };
}

/** sslscan reports SSLv3 offered (its own hello) but no SSLv3 suite (it asks OpenSSL, which has no SSLv3). */
export function sslscanLacksSslv3Suites(v: Verdict | null | undefined): boolean {
  return !!v && v.versions.includes('SSLv3') && (v.suites.SSLv3 ?? []).length === 0;
}

/** testssl.sh -E (ciphers per protocol) on each endpoint: its SSLv3 suites, null when it gave no result. */
async function timeTestsslSslv3(path: string, endpoints: readonly Endpoint[]) {
  const { seconds, results } = await runTestssl(path, '-E', endpoints, (json) => parseTestsslSuites(json)?.SSLv3);
  return { seconds, lists: results.map((list) => list ?? null) };
}

const TESTSSL_CIPHER_IDS: Record<string, TlsVersion> = {
  ssl2: 'SSLv2',
  ssl3: 'SSLv3',
  tls1: 'TLSv1.0',
  tls1_1: 'TLSv1.1',
  tls1_2: 'TLSv1.2',
  tls1_3: 'TLSv1.3',
};

/**
 * testssl.sh -E's flat JSON: one `cipher-<protocol>_x<hex>` entry per accepted suite, its finding ending in the
 * IANA name. Every enumerated protocol gets a list (empty when none was accepted); null when nothing was run.
 */
export function parseTestsslSuites(text: string): Partial<Record<TlsVersion, string[]>> | null {
  const entries = JSON.parse(text) as Array<{ id?: string; finding?: string }>;
  if (!Array.isArray(entries)) return null;
  if (!entries.some((e) => e.id === 'scanTime')) return null;
  const suites: Partial<Record<TlsVersion, string[]>> = { SSLv3: [] };
  for (const e of entries) {
    const m = /^cipher-(ssl2|ssl3|tls1|tls1_1|tls1_2|tls1_3)_x[0-9a-f]+$/.exec(e.id ?? '');
    const name = e.finding?.trim().split(/\s+/).at(-1);
    if (!m || !name) continue;
    (suites[TESTSSL_CIPHER_IDS[m[1]!]!] ??= []).push(name);
  }
  for (const list of Object.values(suites)) list?.sort();
  return suites;
}

const TESTSSL_IDS: Record<string, TlsVersion> = {
  SSLv2: 'SSLv2',
  SSLv3: 'SSLv3',
  TLS1: 'TLSv1.0',
  TLS1_1: 'TLSv1.1',
  TLS1_2: 'TLSv1.2',
  TLS1_3: 'TLSv1.3',
};

/** testssl.sh's flat JSON: one object per test id; a protocol is offered when its finding starts "offered". */
export function parseTestsslJson(text: string): Verdict | null {
  const entries = JSON.parse(text) as Array<{ id?: string; finding?: string }>;
  if (!Array.isArray(entries)) return null;
  const versions = entries
    .filter((e) => e.id !== undefined && e.id in TESTSSL_IDS && /^offered/.test(e.finding ?? ''))
    .map((e) => TESTSSL_IDS[e.id!]!);
  return { versions: TLS_VERSIONS.filter((v) => versions.includes(v)), suites: {}, signature: null, selfSigned: null };
}

function sampleOf<T>(items: readonly T[], count: number): T[] {
  const step = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, i) => i % step === 0).slice(0, count);
}

function agreement(
  endpoints: readonly Endpoint[],
  ours: ReadonlyArray<Verdict | null>,
  theirs: ReadonlyArray<Verdict | null>,
  tool: string,
  compare: { suites?: boolean } = {},
): { compared: number; agreeing: number; versionsAgreeing: number; disagreements: string[] } {
  const disagreements: string[] = [];
  let agreeing = 0;
  let versionsAgreeing = 0;
  endpoints.forEach((e, i) => {
    const a = ours[i];
    const b = theirs[i];
    const where = `${e.host}:${e.port} (${e.profile})`;
    if (!a || !b) {
      disagreements.push(`${where}: ${!a ? 'Vitals' : tool} gave no result`);
      return;
    }
    const differences: string[] = [];
    if (a.versions.join(',') !== b.versions.join(','))
      differences.push(`versions ${a.versions.join(',')} vs ${b.versions.join(',')}`);
    else versionsAgreeing++;
    if (compare.suites !== false) {
      for (const v of a.versions.filter((x) => x !== 'SSLv2')) {
        const x = (a.suites[v] ?? []).join(',');
        const y = (b.suites[v] ?? []).join(',');
        if (x !== y) differences.push(`${v} suites [${x}] vs [${y}]`);
      }
      if (b.signature !== null && a.signature !== b.signature)
        differences.push(`signature ${a.signature} vs ${b.signature}`);
      if (b.selfSigned !== null && a.selfSigned !== b.selfSigned)
        differences.push(`self-signed ${a.selfSigned} vs ${b.selfSigned}`);
    }
    if (differences.length === 0) agreeing++;
    else disagreements.push(`${where}: ${differences.join('; ')}`);
  });
  return { compared: endpoints.length, agreeing, versionsAgreeing, disagreements };
}
