/**
 * `vitals darkweb crawl` as a user runs it: the CLI (through tsx) in a child process with a private
 * VITALS_HOME, crawling the lab's hidden services that run in this process.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHiddenServices, type HiddenServices } from '../../lab/darkweb/index.js';

// Runs from the sources through tsx, or from dist/ as compiled JavaScript (npm test).
const COMPILED = import.meta.url.endsWith('.js');
const MAIN = fileURLToPath(new URL(COMPILED ? '../main.js' : '../main.ts', import.meta.url));
const NODE_ARGS = COMPILED ? [MAIN] : ['--import', 'tsx', MAIN];

function vitals(args: string[], home: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, VITALS_HOME: home };
  delete env.VITALS_DATABASE_URL;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let hs: HiddenServices;
before(async () => {
  hs = await startHiddenServices({ seed: 5, network: '127.66.61' });
});
after(async () => {
  await hs.close();
});

test('crawls the lab hidden services and reports pages and documents as JSON', async () => {
  const home = mkdtempSync(join(tmpdir(), 'vitals-crawl-cli-'));
  const proxy = `socks5h://${hs.proxy.host}:${hs.proxy.port}`;
  const r = await vitals(
    ['darkweb', 'crawl', ...hs.seeds, '--proxy', proxy, '--delay', '20', '--depth', '1', '--format', 'json'],
    home,
  );
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    crawl: { pages: number; failed: unknown[] };
    documents: { new: number };
    pages: Array<{ url: string; source_type: string }>;
  };
  const expected = hs.expectedPages(1);
  assert.equal(out.crawl.pages, expected.length);
  assert.equal(out.documents.new, expected.length);
  assert.deepEqual(out.pages.map((p) => p.url).sort(), expected.map((p) => p.url).sort());
  for (const page of out.pages) assert.equal(page.source_type, expected.find((e) => e.url === page.url)!.kind);
});

test('jsonl prints one line per stored page; table prints a summary', async () => {
  const home = mkdtempSync(join(tmpdir(), 'vitals-crawl-cli-'));
  const proxy = `socks5h://${hs.proxy.host}:${hs.proxy.port}`;
  const leak = hs.seeds.find((s) => s.includes(hs.sites.find((x) => x.kind === 'leak_site')!.onion))!;
  const jsonl = await vitals(
    ['darkweb', 'crawl', leak, '--proxy', proxy, '--delay', '0', '--depth', '0', '--format', 'jsonl', '--no-findings'],
    home,
  );
  assert.equal(jsonl.code, 0, jsonl.stderr);
  const lines = jsonl.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { url: string; title: string });
  assert.deepEqual(
    lines.map((l) => [l.url, l.title]),
    [[leak, 'LockLeak blog - victims']],
  );
  const table = await vitals(['darkweb', 'crawl', leak, '--proxy', proxy, '--delay', '0', '--depth', '0'], home);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /pages: 1 stored/);
  assert.match(table.stdout, /documents: 0 new, 1 duplicates/);
});

test('refuses to run without a socks5h proxy, or with one that resolves locally', async () => {
  const home = mkdtempSync(join(tmpdir(), 'vitals-crawl-cli-'));
  const none = await vitals(['darkweb', 'crawl', 'http://x.onion/'], home);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--proxy socks5h:\/\/IP:PORT is required/);
  const local = await vitals(['darkweb', 'crawl', 'http://x.onion/', '--proxy', 'socks5://127.0.0.1:9050'], home);
  assert.equal(local.code, 2);
  assert.match(local.stderr, /use socks5h/);
  const badSeed = await vitals(['darkweb', 'crawl', 'ftp://x.onion/', '--proxy', 'socks5h://127.0.0.1:9050'], home);
  assert.equal(badSeed.code, 2);
  assert.match(badSeed.stderr, /only http and https/);
  const badDepth = await vitals(
    ['darkweb', 'crawl', 'http://x.onion/', '--proxy', 'socks5h://127.0.0.1:9050', '--depth', '-1'],
    home,
  );
  assert.equal(badDepth.code, 2);
});

test('a refused target is reported and the exit code says nothing was stored', async () => {
  const home = mkdtempSync(join(tmpdir(), 'vitals-crawl-cli-'));
  const proxy = `socks5h://${hs.proxy.host}:${hs.proxy.port}`;
  const r = await vitals(['darkweb', 'crawl', 'http://clearweb.example/', '--proxy', proxy, '--delay', '0'], home);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /clearweb\.example.*not allowed/);
  assert.match(r.stdout, /pages: 0 stored/);
});
