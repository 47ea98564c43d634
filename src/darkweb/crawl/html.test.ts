/** Link, title, author and date extraction on hand-written pages, and source-type inference. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCrawledPage } from './html.js';
import { newSiteTally, addScores, pickSourceType, scorePage } from './source-type.js';

const PAGE = new URL('http://abc.onion/forum/thread/7?page=1#top');
const NOW = new Date('2025-01-01T00:00:00Z');
const extractLinks = (html: string, url: URL) => readCrawledPage(html, url, NOW).links;
const extractTitle = (html: string) => readCrawledPage(html, PAGE, NOW).title;
const extractAuthor = (html: string) => readCrawledPage(html, PAGE, NOW).author;
const extractPostedAt = (html: string, now: Date) => readCrawledPage(html, PAGE, now).postedAt;
const htmlToText = (html: string) => readCrawledPage(html, PAGE, NOW).text;

test('links: resolved, deduplicated, without fragments, scripts and comments ignored, http(s) only', () => {
  const html = `
    <a href="/a">a</a> <A HREF='b?x=1&amp;y=2'>b</A> <a href=c#frag>c</a> <a href="c">c again</a>
    <a href="mailto:x@y.z">m</a> <a href="javascript:alert(1)">j</a> <a name="anchor">no href</a>
    <!-- <a href="/commented">x</a> --> <script>var s = '<a href="/scripted">';</script>
    <area href="http://other.onion/z"> <a href="https://abc.onion/secure">s</a> <a href="http://[bad">bad</a>`;
  assert.deepEqual(
    extractLinks(html, PAGE).map((u) => u.href),
    [
      'http://abc.onion/a',
      'http://abc.onion/forum/thread/b?x=1&y=2',
      'http://abc.onion/forum/thread/c',
      'https://abc.onion/secure',
      'http://other.onion/z',
    ],
  );
});

test('links: <base href> changes resolution', () => {
  assert.deepEqual(
    extractLinks('<base href="http://abc.onion/base/"><a href="x">x</a>', PAGE).map((u) => u.href),
    ['http://abc.onion/base/x'],
  );
});

test('title: <title>, else the first <h1>, entities decoded', () => {
  assert.equal(extractTitle('<title> Caf&eacute; &amp; Bar &#8211; forum </title>'), 'Café & Bar – forum');
  assert.equal(extractTitle('<h1 class="x">Victim <b>list</b></h1>'), 'Victim list');
  assert.equal(extractTitle('<p>nothing</p>'), undefined);
});

test('author: meta author or an element classed author/username', () => {
  assert.equal(extractAuthor('<meta name="author" content="gh0st">'), 'gh0st');
  assert.equal(extractAuthor('<div class="post"><span class="meta username">r00t</span></div>'), 'r00t');
  assert.equal(extractAuthor('<span class="authority">no</span>'), undefined);
});

test('posted_at: <time datetime>, meta, classed dates; implausible dates dropped', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  assert.equal(extractPostedAt('<time datetime="2024-03-05T10:20:00Z">x</time>', now), '2024-03-05T10:20:00.000Z');
  assert.equal(
    extractPostedAt('<meta property="article:published_time" content="2024-02-01">', now),
    '2024-02-01T00:00:00.000Z',
  );
  assert.equal(extractPostedAt('<span class="date">2024-06-01 08:00</span>', now), '2024-06-01T08:00:00.000Z');
  assert.equal(extractPostedAt('<span class="date">12 Mar 2024</span>', now)?.slice(0, 4), '2024');
  assert.equal(extractPostedAt('<time datetime="2099-01-01">future</time>', now), undefined);
  assert.equal(extractPostedAt('<span class="date">yesterday</span>', now), undefined);
});

test('text: tags and scripts dropped, blocks on their own lines', () => {
  assert.equal(htmlToText('<p>one</p><script>x()</script><div>two &amp; three</div>'), 'one\ntwo & three');
});

test('source type from URL, title and text; a weak page inherits the site tally', () => {
  const page = (path: string, title: string, text: string) =>
    scorePage({ url: new URL(`http://a.onion${path}`), title, text });
  assert.equal(pickSourceType(page('/thread/3', 'Re: access', 'reply quote'), 'html'), 'forum');
  assert.equal(pickSourceType(page('/listing/9', 'db', 'price 0.2 BTC vendor escrow'), 'html'), 'market');
  assert.equal(pickSourceType(page('/raw/x1', '', ''), 'text'), 'paste');
  assert.equal(pickSourceType(page('/victim/acme', 'ACME', 'countdown until data published'), 'html'), 'leak_site');
  const tally = addScores(newSiteTally(), page('/victims', 'victims', 'leak countdown'));
  assert.equal(pickSourceType(addScores(tally, page('/about', 'About', 'we sell nothing')), 'html'), 'leak_site');
  assert.equal(pickSourceType(page('/', '', ''), 'html'), 'forum');
});
