/**
 * The crawler against the lab's hidden services, through the lab's SOCKS5 proxy, for real: every page
 * within depth collected and nothing outside scope, politeness as the servers saw it, retries with
 * backoff on a page that fails twice with 503, and no name ever resolved locally.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { startHiddenServices, type HiddenServices } from '../../lab/darkweb/index.js';
import { onionAddressFromLabel } from '../../lab/darkweb/onion-address.js';
import { startCrawl, type CrawledPage, type CrawlEvent, type CrawlOptions, type CrawlSummary } from './crawler.js';

const DELAY_MS = 120;
const BACKOFF_MS = 80;

/**
 * Records every attempt to resolve a name through the OS and fails it, so nothing leaves the machine
 * and the test can assert that the crawler never tried.
 */
function guardDns(): { lookups: string[]; restore(): void } {
  const lookups: string[] = [];
  const original = dns.lookup;
  const guard = ((hostname: string, ...rest: unknown[]) => {
    lookups.push(hostname);
    const callback = rest.at(-1) as (error: Error) => void;
    process.nextTick(() =>
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (blocked by test)`), { code: 'ENOTFOUND' })),
    );
  }) as unknown as typeof dns.lookup;
  dns.lookup = guard;
  return { lookups, restore: () => void (dns.lookup = original) };
}

async function crawlAll(
  seeds: string[],
  options: CrawlOptions,
): Promise<{ pages: CrawledPage[]; summary: CrawlSummary; events: CrawlEvent[] }> {
  const events: CrawlEvent[] = [];
  const run = startCrawl(seeds, { ...options, onEvent: (e) => events.push(e) });
  const pages: CrawledPage[] = [];
  for await (const page of run.pages) pages.push(page);
  return { pages, summary: await run.summary, events };
}

describe('crawling the lab hidden services through the SOCKS5 proxy', () => {
  let hs: HiddenServices;
  let result: Awaited<ReturnType<typeof crawlAll>>;
  let dnsGuard: ReturnType<typeof guardDns>;

  before(async () => {
    hs = await startHiddenServices({ seed: 7, network: '127.66.31' });
    dnsGuard = guardDns();
    result = await crawlAll(hs.seeds, {
      proxy: hs.proxy,
      depth: 2,
      delayMs: DELAY_MS,
      backoffMs: BACKOFF_MS,
      retries: 3,
      timeoutMs: 5000,
    });
  });
  after(async () => {
    dnsGuard.restore();
    await hs.close();
  });

  test('collects every page within depth 2, each once', () => {
    const expected = hs.expectedPages(2);
    const got = result.pages.map((p) => p.url);
    assert.equal(new Set(got).size, got.length, 'a page was stored twice');
    assert.deepEqual([...got].sort(), expected.map((p) => p.url).sort());
    assert.equal(result.summary.pages, expected.length);
    assert.deepEqual(result.summary.failed, []);
  });

  test('reports the titles, depths and site kinds the sites have', () => {
    const byUrl = new Map(result.pages.map((p) => [p.url, p]));
    for (const want of hs.expectedPages(2)) {
      const page = byUrl.get(want.url)!;
      assert.equal(page.title, want.title, want.url);
      assert.equal(page.depth, want.depth, want.url);
      assert.equal(page.format, want.format, want.url);
      assert.equal(page.sourceType, want.kind, `${want.url} inferred as ${page.sourceType}`);
      assert.equal(page.site, want.onion);
    }
  });

  test('reads author and date markup', () => {
    const thread = result.pages.find((p) => p.url.endsWith('/thread/1'))!;
    assert.match(thread.author ?? '', /^[a-z0-9_]+$/);
    assert.match(thread.postedAt ?? '', /^2024-\d{2}-\d{2}T/);
    const victim = result.pages.find((p) => /\/victim\/[^/]+$/.test(p.url))!;
    assert.match(victim.postedAt ?? '', /^2024-/);
  });

  test('requests nothing outside scope: no other site, no page deeper than 2, no off-site redirect target', () => {
    const expected = new Set(hs.expectedPages(2).map((p) => p.url));
    const neverExpected = hs.allPageUrls().filter((u) => !expected.has(u) && !u.endsWith('/static/logo.png'));
    const requested = hs.sites.flatMap((s) => s.requests.map((r) => `http://${s.onion}${r.path}`));
    assert.ok(neverExpected.length >= 10, 'the lab should have pages outside scope');
    for (const url of neverExpected) assert.ok(!requested.includes(url), `requested ${url}`);
    const market = hs.sites.find((s) => s.kind === 'market')!;
    assert.ok(
      !market.requests.some((r) => r.path === '/listing/vip'),
      'followed a link from the forum into the market',
    );
    const paste = hs.sites.find((s) => s.kind === 'paste')!;
    assert.ok(!paste.requests.some((r) => r.path === '/paste/hidden'), 'followed a redirect off the forum');
    // The proxy only ever saw the four lab onions (the clear-web link was not followed).
    const onions = new Set(hs.sites.map((s) => s.onion));
    assert.ok(
      hs.proxy.requests.every((r) => onions.has(r.host)),
      hs.proxy.requests.map((r) => r.host).join(' '),
    );
    assert.ok(result.summary.outOfScopeLinks >= 3);
  });

  test('is polite: one request at a time per site, at least the delay between two requests', () => {
    for (const site of hs.sites) {
      assert.equal(site.maxConcurrent, 1, `${site.kind} saw concurrent requests`);
      const requests = [...site.requests].sort((a, b) => a.start - b.start);
      for (let i = 1; i < requests.length; i++) {
        const gap = requests[i]!.start - requests[i - 1]!.end;
        assert.ok(
          gap >= DELAY_MS,
          `${site.kind}: ${requests[i - 1]!.path} -> ${requests[i]!.path} only ${gap.toFixed(1)} ms apart`,
        );
      }
    }
  });

  test('the sites were crawled in parallel with each other', () => {
    const spans = hs.sites.map((s) => ({
      first: Math.min(...s.requests.map((r) => r.start)),
      last: Math.max(...s.requests.map((r) => r.end)),
    }));
    // Every site started before any other finished.
    const latestStart = Math.max(...spans.map((s) => s.first));
    const earliestEnd = Math.min(...spans.map((s) => s.last));
    assert.ok(latestStart < earliestEnd);
  });

  test('retries a page that fails twice with 503, backing off exponentially', () => {
    const forum = hs.sites.find((s) => s.kind === 'forum')!;
    const attempts = forum.requests.filter((r) => r.path === '/thread/2');
    assert.deepEqual(
      attempts.map((r) => r.status),
      [503, 503, 200],
    );
    const firstGap = attempts[1]!.start - attempts[0]!.end;
    const secondGap = attempts[2]!.start - attempts[1]!.end;
    assert.ok(firstGap >= BACKOFF_MS, `first retry after ${firstGap} ms`);
    assert.ok(secondGap >= 2 * BACKOFF_MS, `second retry after ${secondGap} ms`);
    const retries = result.events.filter((e) => e.type === 'retry');
    assert.deepEqual(
      retries.map((e) => (e.type === 'retry' ? e.waitMs : 0)),
      [BACKOFF_MS, 2 * BACKOFF_MS],
    );
    assert.ok(result.pages.some((p) => p.url.endsWith('/thread/2')));
  });

  test('sends host names to the proxy (ATYP domain) and never resolves one locally', () => {
    assert.ok(hs.proxy.requests.length >= result.summary.requests);
    assert.ok(hs.proxy.requests.every((r) => r.atyp === 3));
    assert.deepEqual(dnsGuard.lookups, []);
  });

  test('skips files that are not text, and redirects to pages already crawled', () => {
    const reasons = result.summary.skipped.map((s) => `${new URL(s.url).pathname}: ${s.reason}`);
    assert.ok(
      reasons.some((r) => r.startsWith('/static/logo.png: content type "image/png"')),
      reasons.join('\n'),
    );
    assert.ok(
      reasons.some((r) => r.startsWith('/go: redirect out of scope')),
      reasons.join('\n'),
    );
    assert.ok(
      reasons.some((r) => r.startsWith('/victims: redirect to')),
      reasons.join('\n'),
    );
  });
});

describe('crawl limits', () => {
  let hs: HiddenServices;
  before(async () => {
    hs = await startHiddenServices({ seed: 8, network: '127.66.32' });
  });
  after(async () => {
    await hs.close();
  });
  const seedOf = (kind: string): string => `http://${hs.sites.find((s) => s.kind === kind)!.onion}/`;

  test('stops at --max-pages and says how much was left', async () => {
    const { pages, summary } = await crawlAll([seedOf('market')], { proxy: hs.proxy, delayMs: 0, maxPages: 4 });
    assert.equal(pages.length, 4);
    assert.ok(summary.leftOver > 0);
    assert.equal(hs.sites.find((s) => s.kind === 'market')!.requests.length, 4);
  });

  test('depth 0 fetches the seeds only', async () => {
    const { pages } = await crawlAll([seedOf('leak_site')], { proxy: hs.proxy, delayMs: 0, depth: 0 });
    assert.deepEqual(
      pages.map((p) => p.url),
      [seedOf('leak_site')],
    );
  });

  test('depth 1 stops one link away', async () => {
    const { pages } = await crawlAll([seedOf('paste')], { proxy: hs.proxy, delayMs: 0, depth: 1 });
    const expected = hs
      .expectedPages(1)
      .filter((p) => p.kind === 'paste')
      .map((p) => p.url);
    assert.deepEqual(pages.map((p) => p.url).sort(), expected.sort());
  });

  test('the --source-type override wins over inference', async () => {
    const { pages } = await crawlAll([seedOf('market')], { proxy: hs.proxy, delayMs: 0, depth: 0, sourceType: 'chat' });
    assert.equal(pages[0]!.sourceType, 'chat');
  });

  test('targets the proxy refuses fail at once, without retries', async () => {
    const seeds = ['http://clearweb-news.example/', `http://${onionAddressFromLabel('not in the lab')}/`];
    const { pages, summary } = await crawlAll(seeds, { proxy: hs.proxy, delayMs: 0, retries: 3, backoffMs: 10 });
    assert.equal(pages.length, 0);
    assert.equal(summary.requests, 2);
    assert.equal(summary.failed.length, 2);
    for (const f of summary.failed) assert.match(f.reason, /not allowed/);
  });

  test('a consumer that stops early stops the crawl', async () => {
    const run = startCrawl([seedOf('forum')], { proxy: hs.proxy, delayMs: 50 });
    for await (const page of run.pages) {
      assert.ok(page.url);
      break;
    }
    const summary = await run.summary;
    assert.ok(summary.pages <= 1);
    assert.ok(summary.requests <= 2);
  });
});
