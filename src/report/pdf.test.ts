import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sampleHistory, sampleScorecard } from './fixtures.test-support.js';
import { PdfError, findChromium, htmlToPdf } from './pdf.js';
import { decodePng, inkShares } from './png.test-support.js';
import { renderScorecardHtml } from './scorecard.js';

const work = mkdtempSync(join(tmpdir(), 'vitals-pdf-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

const chromium = findChromium();
const noBrowser = chromium === undefined ? 'Chromium is not installed (Debian: apt-get install chromium)' : false;

/** Prints `page`, turns the PDF's first page into a PNG with pdftoppm, and decodes it. */
async function firstPageImage(page: string, name: string) {
  const pdf = await htmlToPdf(page);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  try {
    execFileSync('pdftoppm', ['-png', '-f', '1', '-l', '1', '-r', '50', '-singlefile', file, join(work, name)]);
  } catch (error) {
    throw new Error(`pdftoppm failed (Debian: apt-get install poppler-utils): ${(error as Error).message}`);
  }
  const png = readFileSync(join(work, `${name}.png`));
  return { pdf, png, image: decodePng(png) };
}

describe('PDF through Chromium', () => {
  it('without a browser: a clear error that names the missing browser and how to get it', async () => {
    const empty = mkdtempSync(join(work, 'path-'));
    await assert.rejects(htmlToPdf('<!DOCTYPE html><p>x</p>', { env: { PATH: empty } }), (error: unknown) => {
      assert.ok(error instanceof PdfError);
      assert.match(error.message, /needs Chromium, and none is installed/);
      assert.match(error.message, /apt-get install chromium/);
      assert.match(error.message, /VITALS_CHROMIUM/);
      return true;
    });
    await assert.rejects(
      htmlToPdf('<!DOCTYPE html><p>x</p>', { env: { PATH: empty, VITALS_CHROMIUM: join(empty, 'chrome') } }),
      /VITALS_CHROMIUM=.*chrome: no executable browser there/,
    );
  });

  it('prints the scorecard: its first page is a real rendering with the charts', {
    skip: noBrowser,
    timeout: 300_000,
  }, async () => {
    const page = renderScorecardHtml(sampleScorecard(), { history: sampleHistory() });
    const { pdf, png, image } = await firstPageImage(page, 'scorecard');
    assert.ok(pdf.length > 20_000, `a PDF with content (${pdf.length} bytes)`);
    assert.ok(png.length > 10_000, `a PNG with content (${png.length} bytes)`);
    // A4 portrait at 50 dpi: 413 x 585 pixels.
    assert.ok(Math.abs(image.width / image.height - 210 / 297) < 0.01, `A4 (${image.width}x${image.height})`);
    assert.ok(Math.abs(image.width - 413) <= 2, `50 dpi A4 width (${image.width})`);
    const { ink, colour } = inkShares(image);
    assert.ok(ink > 0.05, `text and charts cover the page (${(ink * 100).toFixed(1)}% not white)`);
    // The grade badge, the factor bars and the waterfall are coloured; text alone is grey.
    assert.ok(colour > 0.01, `coloured charts are drawn (${(colour * 100).toFixed(2)}% coloured)`);
  });

  it('fetches nothing: a page that asks a server for an image and a style sheet never reaches it', {
    skip: noBrowser,
    timeout: 300_000,
  }, async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      response.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      const page = `<!DOCTYPE html><html><head><link rel="stylesheet" href="${base}/s.css"></head>
<body><p>text</p><img src="${base}/i.png"><iframe src="${base}/f"></iframe></body></html>`;
      const pdf = await htmlToPdf(page);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal(requests, 0);
    } finally {
      server.close();
    }
  });

  it('the same check sees a blank page as blank', { skip: noBrowser, timeout: 300_000 }, async () => {
    const { image } = await firstPageImage('<!DOCTYPE html><html><body></body></html>', 'blank');
    const { ink, colour } = inkShares(image);
    assert.ok(ink < 0.001 && colour === 0, `blank (${ink}, ${colour})`);
  });
});
