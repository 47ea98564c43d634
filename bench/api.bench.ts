/**
 * API benchmark (issue #11 section 4): `GET /api/v1/portfolio` at 30,000 organizations, each with a score
 * snapshot, under autocannon on loopback (10 connections, 10 s); target p95 under 50 ms. The store is
 * seeded through the repositories (no scan: this measures the API, not the scanner); the server runs as
 * `vitals serve` in a child process so the load generator never shares its event loop. Also reported: the
 * first (cold) request and the throughput.
 *
 * Environment: VITALS_BENCH_API_ORGS (default 30,000), VITALS_BENCH_API_SECONDS (default 10).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createApiToken } from '../src/auth/service.js';
import { FACTORS, type Sector } from '../src/core/types.js';
import type { GRADES, ScoreSnapshotInput } from '../src/core/score-snapshots.js';
import { openStore } from '../src/store/database.js';
import type { BenchResult, BenchRow } from './bench-result.js';
import { repoRoot } from './lab-process.js';

export const TARGET_P95_MS = 50;
const DEFAULT_ORGS = 30_000;
const SECTORS: Sector[] = ['hospital', 'clinic', 'telehealth', 'laboratory', 'pharmacy', 'payer', 'vendor'];

/** A deterministic score for organization `i` (no randomness: the same portfolio every run). */
function scoreOf(i: number): number {
  return 40 + ((i * 7919) % 600) / 10;
}

function gradeOf(score: number): (typeof GRADES)[number] {
  return score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F';
}

export async function seed(home: string, orgs: number): Promise<string> {
  const store = await openStore({ home });
  try {
    const inputs = Array.from({ length: orgs }, (_, i) => ({
      name: `Bench Organization ${i}`,
      sector: SECTORS[i % SECTORS.length]!,
      domains: [`bench-${i}.example`],
      telehealth: i % 4 === 0,
    }));
    await store.organizations.upsertMany(inputs, '2026-11-01T00:00:00.000Z');
    const organizations = await store.organizations.list();
    const snapshots: ScoreSnapshotInput[] = organizations.map((o, i) => {
      const score = scoreOf(i);
      return {
        organizationId: o.id,
        scanId: null,
        takenAt: '2026-11-15T00:00:00.000Z',
        reason: 'scan',
        methodVersion: '1',
        score,
        grade: gradeOf(score),
        factors: FACTORS.map((factor, f) => {
          const rated = f < 3;
          const factorScore = rated ? Math.min(100, score + f * 3) : null;
          return {
            factor,
            score: factorScore,
            grade: factorScore === null ? null : gradeOf(factorScore),
            findings: rated ? (i + f) % 5 : 0,
            points_lost: rated ? Math.round((100 - factorScore!) * 10) / 30 : 0,
          };
        }),
        findingCounts: { 'dns.spf.missing': i % 2, 'dns.dmarc.missing': i % 3 },
        domainCount: 1,
        assetCount: 3,
      };
    });
    for (let start = 0; start < snapshots.length; start += 5000)
      await store.scoreSnapshots.insertScoreSnapshots(snapshots.slice(start, start + 5000));
    return (await createApiToken(store, { name: 'bench', role: 'viewer', expiresAt: null, createdBy: 'bench' })).token;
  } finally {
    await store.close();
  }
}

export async function startServer(
  home: string,
): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(repoRoot(), 'bin/vitals.js'), 'serve', '--port', '0', '--no-scan'], {
    env: { ...process.env, VITALS_HOME: home, VITALS_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vitals serve printed no URL: ${output}`)), 60_000);
    const read = (d: Buffer): void => {
      output += String(d);
      const match = /serving the API at (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`vitals serve exited (${code}): ${output}`)));
  });
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function load(url: string, token: string, seconds: number, gzip: boolean) {
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    connections: 10,
    duration: seconds,
    headers: { authorization: `Bearer ${token}`, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) },
  });
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    perSecond: result.requests.average,
    non2xx: result.non2xx,
    errors: result.errors,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? null,
  };
}

export async function run(): Promise<BenchResult> {
  const orgs = Number(process.env.VITALS_BENCH_API_ORGS ?? DEFAULT_ORGS);
  const seconds = Number(process.env.VITALS_BENCH_API_SECONDS ?? 10);
  const home = mkdtempSync(join(tmpdir(), 'vitals-bench-api-'));
  try {
    const seedStart = performance.now();
    const token = await seed(home, orgs);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const server = await startServer(home);
    try {
      const headers = { authorization: `Bearer ${token}` };
      const coldStart = performance.now();
      const cold = await fetch(`${server.url}/api/v1/portfolio`, { headers });
      const body = (await cold.json()) as { organizations?: number };
      const coldMs = performance.now() - coldStart;
      if (cold.status !== 200 || body.organizations !== orgs)
        throw new Error(`portfolio answered ${cold.status} with ${body.organizations} organizations, not ${orgs}`);
      // As a browser asks (gzip), and as a client that does not accept compression.
      const portfolio = await load(`${server.url}/api/v1/portfolio`, token, seconds, true);
      const identity = await load(`${server.url}/api/v1/portfolio`, token, seconds, false);
      const rows: BenchRow[] = [
        {
          what: `GET /api/v1/portfolio, ${orgs.toLocaleString('en-US')} orgs, gzip, p95 (autocannon, 10 connections)`,
          unit: 'ms',
          vitals: portfolio.p95,
          other: null,
          target: `< ${TARGET_P95_MS} ms`,
          met: portfolio.p95 < TARGET_P95_MS && portfolio.non2xx === 0 && portfolio.errors === 0,
        },
        {
          what: 'GET /api/v1/portfolio, gzip, requests per second',
          unit: 'req/s',
          vitals: portfolio.perSecond,
          other: null,
          target: null,
          met: null,
        },
        {
          what: 'GET /api/v1/portfolio, uncompressed (5.6 MB), p95',
          unit: 'ms',
          vitals: identity.p95,
          other: null,
          target: null,
          met: null,
        },
        {
          what: 'GET /api/v1/portfolio, first request (cold)',
          unit: 'ms',
          vitals: coldMs,
          other: null,
          target: null,
          met: null,
        },
      ];
      return {
        name: 'api',
        rows,
        details: { organizations: orgs, seconds, seedSeconds, coldMs, portfolio, identity },
        notes: [
          'the server is `vitals serve` on SQLite in a child process; autocannon runs in the bench process on loopback',
          'the answer (5.6 MB of JSON at 30,000 organizations) is computed once and kept until the store changes; ' +
            'the cold figure is the computation',
        ],
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
