/** The one HTML reader of crawl and ingest: text, metadata, and linear time on hostile pages. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readHtmlPage } from './html-page.js';

describe('readHtmlPage: text for ingest', () => {
  test('drops scripts, styles, noscript and comments; keeps block breaks; decodes entities', () => {
    const page = readHtmlPage(`<!DOCTYPE html><html><head><title>Leak &amp; Sale</title>
      <style>body { color: red } .x::after { content: "hidden style" }</style>
      <script>var s = "<p>hidden script</p>"; if (a < b) {}</script></head>
      <body><noscript>enable javascript</noscript><!-- a comment <p>hidden</p> -->
      <h1>Northwind   Family Clinic</h1><p>Price:&nbsp;2&#x20BF; &lt;escrow&gt; caf&eacute; &#233;</p>
      <ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table>
      <SCRIPT type="text/javascript">alert("upper-case script")</SCRIPT>end</body></html>`);
    assert.equal(page.title, 'Leak & Sale');
    assert.doesNotMatch(page.text, /hidden|color: red|enable javascript|alert|Leak/);
    const lines = page.text.split('\n');
    assert.deepEqual(
      lines.filter((l) => l !== ''),
      ['Northwind Family Clinic', 'Price: 2₿ <escrow> café é', 'one', 'two', 'a\tb', 'end'],
    );
  });

  test('hostile markup degrades to text without hanging', () => {
    assert.equal(readHtmlPage('a < b and c<d').text, 'a < b and c');
    assert.equal(readHtmlPage('<p>unterminated <script>never closed').text, 'unterminated');
  });

  test('reads canonical URL and publication time', () => {
    const page = readHtmlPage(
      '<link rel="canonical" href="http://forum.onion/t/1"><meta property="article:published_time" ' +
        'content="2025-02-03T04:05:06Z"><p>x</p>',
    );
    assert.equal(page.canonicalUrl, 'http://forum.onion/t/1');
    assert.equal(page.publishedAt, '2025-02-03T04:05:06Z');
  });

  test('invalid numeric references become U+FFFD; unknown names stay as written', () => {
    assert.equal(readHtmlPage('<p>&#0;&#xD800;&#x110000;&bogus;</p>').text, '\ufffd\ufffd\ufffd&bogus;');
  });
});

describe('readHtmlPage: metadata', () => {
  test('title, first heading, author, dates, base and links in one pass', () => {
    const page = readHtmlPage(`<html><head><title>Forum &ndash; thread</title><base href="/b/">
      <meta name="author" content="gh0st"><meta property="article:published_time" content="2024-02-01">
      </head><body><h1>Victim <b>list</b></h1><span class="date">12 Mar 2024</span>
      <a href="/x?a=1&amp;b=2">x</a><area href="/map"><a href="/y">y</a><time datetime="2024-03-05">t</time>
      <noscript><a href="/hidden">h</a></noscript></body></html>`);
    assert.equal(page.title, 'Forum – thread');
    assert.equal(page.firstHeading, 'Victim list');
    assert.equal(page.author, 'gh0st');
    assert.equal(page.baseHref, '/b/');
    assert.deepEqual(page.hrefs, ['/x?a=1&b=2', '/y', '/map']);
    assert.deepEqual(page.dateCandidates, ['2024-02-01', '2024-03-05', '12 Mar 2024']);
    assert.equal(page.publishedAt, '2024-02-01');
  });

  test('a classed author element nested in its own kind ends at its own end tag', () => {
    const page = readHtmlPage('<div class="username">r00t <div>admin</div> x</div><div>body text</div>');
    assert.equal(page.author, 'r00t admin x');
    assert.equal(readHtmlPage('<span class="author"></span><span class="poster">second</span>').author, 'second');
  });
});

/**
 * CPU milliseconds (user + system, this process) of the cheapest of `runs` conversions. CPU time, not
 * wall time: on a loaded machine the wall clock also counts time spent waiting for a core.
 */
function cheapest(html: string, runs: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    readHtmlPage(html);
    const spent = process.cpuUsage(before);
    best = Math.min(best, (spent.user + spent.system) / 1000);
  }
  return best;
}

describe('readHtmlPage: hostile pages cost linear time', () => {
  const SMALL = 1_000_000;
  const LARGE = 5_000_000;
  const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const hostile: Record<string, (size: number) => string> = {
    'only <': (size) => fill('<', size),
    'nested unclosed tags': (size) => fill('<div><span><p><b>', size),
    'nested unclosed tags, then end tags of other elements': (size) =>
      fill('<div>', size / 2) + fill('</span>', size / 2),
    'unterminated comment': (size) => `<p>x</p><!--${fill('a<b>', size)}`,
    'unterminated attribute': (size) => `<a href="${fill('x', size)}`,
    'attributes without end': (size) => fill('<a b=c d e="f ', size),
    'unclosed script with end-tag look-alikes': (size) => `<script>${fill('</scrip<', size)}`,
    'unclosed classed elements': (size) => fill('<span class="author"><h1><title>', size),
    'character references': (size) => fill('&amp&#x1F600;&#99999999;&notin', size),
  };
  for (const [name, make] of Object.entries(hostile)) {
    test(name, () => {
      const small = make(SMALL);
      const large = make(LARGE);
      cheapest(small, 1); // warm up the JIT
      const smallMs = cheapest(small, 3);
      const largeMs = cheapest(large, 3);
      // 5 times the input: linear costs about 5 times the CPU, quadratic 25 times. 12 separates them
      // with room for garbage collection (times under 20 ms count as 20, the timer's useful floor).
      const ratio = largeMs / Math.max(smallMs, 20);
      assert.ok(ratio < 12, `5 MB took ${largeMs.toFixed(0)} CPU ms, 1 MB ${smallMs.toFixed(1)} CPU ms`);
    });
  }
});
