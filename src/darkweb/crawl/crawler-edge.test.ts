/**
 * The crawler against a hostile or broken site (through the lab's SOCKS5 proxy, on loopback): Retry-After
 * honoured or refused when too long, size cap, content-type check, redirect limit, timeouts, charsets,
 * and the proxy URL rules.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startLabSocks5Proxy, type LabSocks5Proxy } from '../../lab/darkweb/socks5-proxy.js';
import { startCrawl, parseRetryAfter, type CrawledPage, type CrawlOptions, type CrawlSummary } from './crawler.js';
import { parseSocks5hUrl } from './socks5-client.js';

const HOST = 'edgecases7mzyxkgthbl2gdwfmqqk3nhxv5qfrqqa2pbdb6tbaskcqd.onion';
const ADDRESS = '127.66.41.2';

async function crawlAll(
  seeds: string[],
  options: CrawlOptions,
): Promise<{ pages: CrawledPage[]; summary: CrawlSummary }> {
  const run = startCrawl(seeds, options);
  const pages: CrawledPage[] = [];
  for await (const page of run.pages) pages.push(page);
  return { pages, summary: await run.summary };
}

describe('a hostile site', () => {
  let server: Server;
  let proxy: LabSocks5Proxy;
  const hits = new Map<string, number[]>();
  const url = (path: string): string => `http://${HOST}${path}`;

  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '';
      hits.set(path, [...(hits.get(path) ?? []), performance.now()]);
      const count = hits.get(path)!.length;
      if (path === '/slow-down' && count === 1) return void res.writeHead(429, { 'retry-after': '1' }).end();
      if (path === '/slow-down')
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<title>ok after 429</title>');
      if (path === '/come-back-tomorrow') return void res.writeHead(503, { 'retry-after': '86400' }).end();
      if (path === '/huge') {
        // No Content-Length: the cap must hold while streaming.
        res.writeHead(200, { 'content-type': 'text/html' });
        for (let i = 0; i < 64; i++) res.write('x'.repeat(1024));
        return void res.end();
      }
      if (path === '/declared-huge')
        return void res
          .writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) })
          .end();
      if (path === '/data.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      if (path.startsWith('/loop'))
        return void res.writeHead(302, { location: `/loop${Number(path.slice(5) || '0') + 1}` }).end();
      if (path === '/hang') return; // never answers
      if (path === '/latin1')
        return void res
          .writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' })
          .end(Buffer.from('<title>Caf\xe9 M\xfcller</title>', 'latin1'));
      if (path === '/gone') return void res.writeHead(404, { 'content-type': 'text/html' }).end('no');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>index</title>');
    });
    await new Promise<void>((resolve) => server.listen(0, ADDRESS, resolve));
    const port = (server.address() as { port: number }).port;
    proxy = await startLabSocks5Proxy({
      host: '127.66.41.1',
      route: (host) => (host === HOST ? { address: ADDRESS, port } : undefined),
    });
  });
  after(async () => {
    await proxy.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('429 with Retry-After: waits as asked, then succeeds', async () => {
    const { pages } = await crawlAll([url('/slow-down')], { proxy, delayMs: 0, backoffMs: 10, depth: 0 });
    assert.equal(pages[0]?.title, 'ok after 429');
    const [first, second] = hits.get('/slow-down')!;
    assert.ok(second! - first! >= 1000, `retried after ${second! - first!} ms`);
  });

  test('a Retry-After longer than the limit fails the page instead of stalling the crawl', async () => {
    const started = performance.now();
    const { summary } = await crawlAll([url('/come-back-tomorrow')], {
      proxy,
      delayMs: 0,
      backoffMs: 10,
      maxBackoffMs: 5000,
      depth: 0,
    });
    assert.equal(hits.get('/come-back-tomorrow')!.length, 1);
    assert.match(summary.failed[0]!.reason, /retry after 86400 s/);
    assert.ok(performance.now() - started < 3000);
  });

  test('responses over the size cap are dropped, whether declared or streamed', async () => {
    const { pages, summary } = await crawlAll([url('/huge'), url('/declared-huge')], {
      proxy,
      delayMs: 0,
      depth: 0,
      maxBytes: 16 * 1024,
    });
    assert.equal(pages.length, 0);
    assert.equal(summary.failed.length, 2);
    for (const f of summary.failed) assert.match(f.reason, /cap/);
    // Not retried: a bigger page will not get smaller.
    assert.equal(hits.get('/huge')!.length, 1);
  });

  test('content that is neither HTML nor plain text is skipped', async () => {
    const { pages, summary } = await crawlAll([url('/data.json')], { proxy, delayMs: 0, depth: 0 });
    assert.equal(pages.length, 0);
    assert.match(summary.skipped[0]!.reason, /application\/json/);
  });

  test('redirects stop after five', async () => {
    const { summary } = await crawlAll([url('/loop')], { proxy, delayMs: 0, depth: 0 });
    assert.equal(summary.failed.length, 1, JSON.stringify(summary));
    assert.match(summary.failed[0]!.reason, /more than 5 redirects/);
    assert.equal([...hits.keys()].filter((k) => k.startsWith('/loop')).length, 6);
  });

  test('a server that never answers times out, is retried, then given up', async () => {
    const started = performance.now();
    const { summary } = await crawlAll([url('/hang')], {
      proxy,
      delayMs: 0,
      depth: 0,
      timeoutMs: 300,
      retries: 1,
      backoffMs: 50,
    });
    assert.match(summary.failed[0]!.reason, /timed out/);
    assert.equal(hits.get('/hang')!.length, 2);
    assert.ok(performance.now() - started < 3000);
  });

  test('4xx is not retried', async () => {
    const { summary } = await crawlAll([url('/gone')], { proxy, delayMs: 0, depth: 0, retries: 3 });
    assert.equal(summary.failed[0]!.reason, 'HTTP 404');
    assert.equal(hits.get('/gone')!.length, 1);
  });

  test('decodes the declared charset', async () => {
    const { pages } = await crawlAll([url('/latin1')], { proxy, delayMs: 0, depth: 0 });
    assert.equal(pages[0]!.title, 'Café Müller');
  });
});

test('Retry-After: seconds or HTTP-date', () => {
  assert.equal(parseRetryAfter('120'), 120_000);
  const now = Date.parse('2024-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
});

test('proxy URLs: socks5h with an IP address only', () => {
  assert.deepEqual(parseSocks5hUrl('socks5h://127.0.0.1:9050'), { host: '127.0.0.1', port: 9050 });
  assert.deepEqual(parseSocks5hUrl('socks5h://[::1]:9050'), { host: '::1', port: 9050 });
  assert.throws(() => parseSocks5hUrl('socks5://127.0.0.1:9050'), /resolve them locally/);
  assert.throws(() => parseSocks5hUrl('socks5h://localhost:9050'), /IP address/);
  assert.throws(() => parseSocks5hUrl('http://127.0.0.1:8080'), /only socks5h/);
  assert.throws(() => parseSocks5hUrl('socks5h://127.0.0.1'), /PORT/);
  assert.throws(() => parseSocks5hUrl('socks5h://u:p@127.0.0.1:9050'), /authentication/);
});

test('seed URLs: absolute http(s) only', () => {
  assert.throws(() => startCrawl(['ftp://x.onion/'], { proxy: { host: '127.0.0.1', port: 1 } }), /only http and https/);
  assert.throws(() => startCrawl(['x.onion'], { proxy: { host: '127.0.0.1', port: 1 } }), /not an absolute URL/);
});
