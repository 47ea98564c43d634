/**
 * Dashboard benchmark (issue #11 section 4): the portfolio page's first render at 30,000 organizations in
 * headless Chromium (Debian's, through playwright-core), target under 1 s. The store is seeded as the API
 * benchmark seeds it (one snapshot per organization) and served by `vitals serve` in a child process. A
 * viewer logs in; then each load opens `/#/portfolio` in a fresh page and times, from navigation start
 * to the first organization row in the table: the first load after the server started (cold: the
 * portfolio table is computed) and the following ones (warm: the kept answer). Also: how long a
 * scroll step of the virtualized table takes to show its rows (the longest of 60 jumps through the list).
 *
 * Environment: VITALS_BENCH_DASHBOARD_ORGS (default 30,000), VITALS_BENCH_DASHBOARD_LOADS (default 5).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { addUser } from '../src/auth/service.js';
import { findChromium } from '../src/report/pdf.js';
import { openStore } from '../src/store/database.js';
import { seed, startServer } from './api.bench.js';
import type { BenchResult, BenchRow } from './bench-result.js';

export const TARGET_FIRST_RENDER_MS = 1000;
const DEFAULT_ORGS = 30_000;
const PASSWORD = 'a bench viewer password';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** CPU seconds (user + system) a process has used, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/** Milliseconds from navigation start to the first organization row, measured in the page's clock. */
async function firstRender(page: Page, url: string): Promise<Timing> {
  await page.goto(`${url}/#/portfolio`, { waitUntil: 'commit', timeout: 300_000 });
  await page.locator('table.portfolio tbody tr').first().waitFor({ timeout: 300_000 });
  // The row exists now; the page's own clock says when, relative to the navigation's start, and when the
  // portfolio table's response had arrived (the rest is the page's own work).
  return (await page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => resolve({
    rendered: performance.now(),
    table: performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/v1/portfolio/table'))
      ?.responseEnd ?? null,
  })))`)) as Timing;
}

interface Timing {
  rendered: number;
  table: number | null;
}

/** The longest time a jump of the scroll position took to show rows (scroll, then two frames). */
async function scrollStep(page: Page): Promise<{ worst: number; mean: number }> {
  return (await page.evaluate(`(async () => {
    const viewport = document.querySelector('.viewport');
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const times = [];
    for (let i = 1; i <= 60; i++) {
      const start = performance.now();
      viewport.scrollTop = (viewport.scrollHeight * i) / 61;
      await frame();
      await frame();
      if (viewport.querySelectorAll('tbody tr').length === 0) throw new Error('no rows after scrolling');
      times.push(performance.now() - start);
    }
    return { worst: Math.max(...times), mean: times.reduce((a, b) => a + b, 0) / times.length };
  })()`)) as { worst: number; mean: number };
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(): Promise<BenchResult> {
  const orgs = Number(process.env.VITALS_BENCH_DASHBOARD_ORGS ?? DEFAULT_ORGS);
  const loads = Number(process.env.VITALS_BENCH_DASHBOARD_LOADS ?? 5);
  const chromium = findChromium();
  if (chromium === undefined)
    return {
      name: 'dashboard',
      rows: [],
      details: { organizations: orgs },
      notes: ['no Chromium (apt-get install chromium): the dashboard was not measured'],
    };
  const home = mkdtempSync(join(tmpdir(), 'vitals-bench-dashboard-'));
  let browser: Browser | undefined;
  try {
    await seed(home, orgs);
    const store = await openStore({ home });
    try {
      await addUser(store, { username: 'bench', role: 'viewer', password: PASSWORD });
    } finally {
      await store.close();
    }
    const server = await startServer(home);
    try {
      const { chromium: launcher } = await import('playwright-core');
      browser = await launcher.launch({ executablePath: chromium, headless: true, args: CHROMIUM_FLAGS });
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      // Logged in through the API, so that no page has asked for the portfolio before the first timed load.
      const login = await fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bench', password: PASSWORD }),
      });
      const cookie = /^([^=]+)=([^;]+)/.exec(login.headers.get('set-cookie') ?? '');
      if (login.status !== 200 || cookie === null) throw new Error(`login answered ${login.status}`);
      await context.addCookies([{ name: cookie[1]!, value: cookie[2]!, url: server.url }]);
      const load = loadavg();
      const serverCpuBefore = cpuSeconds(server.pid);
      const timings: Timing[] = [];
      let scroll = { worst: Number.NaN, mean: Number.NaN };
      let shown = '';
      const cpu: Array<{ renderer: number; server: number | null }> = [];
      for (let i = 0; i <= loads; i++) {
        const page = await context.newPage();
        // CPU time as well as wall time: on a loaded machine the wall time is mostly waiting for a core.
        const cdp = await context.newCDPSession(page);
        await cdp.send('Performance.enable');
        // ThreadTime: CPU seconds of the page's main thread (TaskDuration is wall time, stretched by the load).
        const threadTime = async () =>
          (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? Number.NaN;
        const rendererBefore = await threadTime();
        const serverBefore = cpuSeconds(server.pid);
        timings.push(await firstRender(page, server.url));
        const serverAfter = cpuSeconds(server.pid);
        const rendererAfter = await threadTime();
        cpu.push({
          renderer: (rendererAfter - rendererBefore) * 1000,
          server: serverBefore === null || serverAfter === null ? null : (serverAfter - serverBefore) * 1000,
        });
        if (i === loads) {
          shown = (await page.getByRole('status').first().textContent()) ?? '';
          scroll = await scrollStep(page);
        }
        await page.close();
      }
      const serverCpu = serverCpuBefore === null ? null : cpuSeconds(server.pid)! - serverCpuBefore;
      if (!shown.includes(`of ${orgs.toLocaleString('en-US')} organizations`))
        throw new Error(`the portfolio page shows "${shown}", not ${orgs} organizations`);
      const times = timings.map((t) => t.rendered);
      const [cold, ...warm] = times;
      const median = medianOf(warm);
      const rows: BenchRow[] = [
        {
          what: `portfolio page first render, ${orgs.toLocaleString('en-US')} orgs, Chromium (median of ${loads})`,
          unit: 'ms',
          vitals: median,
          other: null,
          target: `< ${TARGET_FIRST_RENDER_MS} ms`,
          met: median < TARGET_FIRST_RENDER_MS,
        },
        {
          what: 'the same, CPU: page main thread + server (median of warm loads)',
          unit: 'ms',
          vitals: medianOf(cpu.slice(1).map((c) => c.renderer + (c.server ?? 0))),
          other: null,
          target: null,
          met: null,
        },
        {
          what: 'portfolio page first render, first load after start (table computed)',
          unit: 'ms',
          vitals: cold!,
          other: null,
          target: null,
          met: null,
        },
        {
          what: 'the first load, CPU: page main thread + server',
          unit: 'ms',
          vitals: cpu[0]!.renderer + (cpu[0]!.server ?? 0),
          other: null,
          target: null,
          met: null,
        },
        {
          what: 'portfolio table scroll jump to rows shown, worst of 60',
          unit: 'ms',
          vitals: scroll.worst,
          other: null,
          target: null,
          met: null,
        },
      ];
      return {
        name: 'dashboard',
        rows,
        details: {
          organizations: orgs,
          loads,
          cold,
          warm,
          timings,
          scroll,
          serverCpuSeconds: serverCpu,
          loadAverage: load,
        },
        notes: [
          'from navigation start (the page clock) to the first organization row; the server is `vitals serve` ' +
            'on SQLite in a child process, Chromium headless with the flags of the e2e tests',
          'warm loads fetch the kept, gzipped portfolio table; the first load computes it (grouped queries over ' +
            'the snapshots, open findings and mentions)',
          'CPU is the page main thread (Chromium ThreadTime) plus the server process (/proc): what the load ' +
            'would take with a core to itself, network and the browser process left out',
        ],
      };
    } finally {
      await browser?.close();
      await server.stop();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
