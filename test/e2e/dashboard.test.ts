/**
 * The dashboard in headless Chromium (issue #11 section 4), against a real server and store: log in,
 * browse the portfolio (sparkline, worst factor, mentions, filters), open an organization (charts,
 * findings with evidence and references, mentions), open a dispute from a finding, resolve it as an
 * analyst and see the score rise, explore findings, search the dark web with highlighted snippets (a
 * hostile document stays text), add a watchlist, run the study, read the catalogue. On every page: no
 * CSP violation reported by the browser, every chart image loaded, and axe-core finds no serious or
 * critical accessibility violation. Screenshots of every page go to the test output.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { addUser } from '../../src/auth/service.js';
import { recordScoreSnapshot } from '../../src/ratings/snapshots.js';
import { findChromium } from '../../src/report/pdf.js';
import { seedDocument, startTestApi, type TestApi } from '../../src/server/api.test-support.js';
import { testDialects } from '../../src/store/test-dialects.js';
import { seedOrganization } from '../helpers/seed.js';

const chromium = findChromium();
const SCREENSHOTS = join(tmpdir(), 'vitals-dashboard-screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let api: TestApi;
let browser: Browser | undefined;
const now = new Date();

before(async () => {
  if (chromium === undefined) return;
  const [dialect] = testDialects('dashboard');
  api = await startTestApi(dialect!);
  await addUser(api.store, { username: 'ana', role: 'analyst', password: 'an analyst password' });
  const [finding] = await seedOrganization(
    api.store,
    'Northwind Family Clinic',
    [
      { type: 'dns.spf.missing', host: 'northwind-clinic.example' },
      { type: 'dns.dmarc.missing', host: 'northwind-clinic.example' },
    ],
    '2026-11-01T00:00:00.000Z',
  );
  const orgId = finding!.organizationId;
  // A history the charts and the study can draw: snapshots in each of the last three months.
  for (const back of [3, 2, 1])
    await recordScoreSnapshot(api.store, orgId, {
      at: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 15)).toISOString(),
      reason: 'scan',
    });
  await seedDocument(
    api.store,
    {
      id: 'doc-1',
      title: 'Selling access <script>alert(1)</script>',
      text: 'ransomware crew selling access to a clinic network <img src=x onerror=alert(2)>',
      class: 'access_for_sale',
      postedAt: '2026-11-02T00:00:00.000Z',
    },
    [{ organizationId: orgId, snippet: 'selling access to Northwind <b>Family</b> Clinic', matched: 'Northwind' }],
  );
  const { chromium: launcher } = await import('playwright-core');
  browser = await launcher.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox'] });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await api?.close();
});

async function check(page: Page, name: string, violations: string[]): Promise<void> {
  // Every chart (an SVG image the server draws) has loaded and has a text alternative.
  const images = await page.locator('main img').evaluateAll((all) =>
    all.map((i) => ({
      src: i.getAttribute('src'),
      alt: i.getAttribute('alt'),
      width: (i as unknown as { naturalWidth: number }).naturalWidth,
    })),
  );
  for (const image of images) {
    assert.ok(image.width > 0, `${name}: the chart ${image.src} loaded`);
    assert.ok((image.alt ?? '').length > 10, `${name}: the chart ${image.src} has alt text`);
  }
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) does not apply to it.
  const result = (await page.evaluate(
    `${axeSource}; axe.run(document, { resultTypes: ['violations'] })` +
      '.then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))',
  )) as Array<{ id: string; impact: string; nodes: number }>;
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `${name}: axe-core`);
  assert.deepEqual(violations, [], `${name}: CSP violations`);
}

test('log in, portfolio, organization, dispute and resolve, dark-web search', {
  skip: chromium === undefined ? 'no Chromium (apt-get install chromium)' : false,
}, async () => {
  const page = await browser!.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  page.on('dialog', (dialog) => {
    violations.push(`a dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(`${api.url}/`);
  await page.getByLabel('User name').fill('ana');
  await page.getByLabel('Password').fill('an analyst password');
  await check(page, 'login', violations);
  await page.getByRole('button', { name: 'Log in' }).click();

  await page.getByRole('link', { name: 'Northwind Family Clinic' }).waitFor();
  assert.match((await page.getByRole('status').first().textContent()) ?? '', /1 of 1 organizations/);
  const row = page.getByRole('row', { name: /Northwind Family Clinic/ });
  assert.match((await row.textContent()) ?? '', /dns_health/, 'the worst factor');
  assert.equal(await row.getByRole('img', { name: /^monthly scores/ }).count(), 1, 'a sparkline');
  assert.equal((await row.locator('td').last().textContent())?.trim(), '1', 'one dark-web mention');
  await page.waitForLoadState('networkidle');
  await check(page, 'portfolio', violations);
  await page.getByLabel('With critical or high findings').check();
  assert.match((await page.getByRole('status').first().textContent()) ?? '', /0 of 1 organizations/);
  await page.getByLabel('With critical or high findings').uncheck();
  await page.getByLabel('With dark-web mentions').check();
  assert.match((await page.getByRole('status').first().textContent()) ?? '', /1 of 1 organizations/);

  await page.getByRole('link', { name: 'Northwind Family Clinic' }).click();
  await page.getByRole('heading', { name: 'Factors' }).waitFor();
  const scoreBefore = Number(await page.locator('.big').textContent());
  await page.waitForLoadState('networkidle');
  for (const chart of ['Score history of', 'Lost points of', 'What-if plan of'])
    assert.equal(await page.getByRole('img', { name: new RegExp(`^${chart} Northwind`) }).count(), 1, chart);
  await page.getByText('selling access to Northwind <b>Family</b> Clinic').waitFor();
  const spf = page.locator('details.finding', { hasText: 'dns.spf.missing' });
  await spf.locator('summary').click();
  await spf
    .getByText(/HICP|HIPAA/)
    .first()
    .waitFor();
  await check(page, 'organization', violations);
  await spf.getByRole('button', { name: 'Dispute' }).click();
  await page.getByLabel('Note').fill('the SPF record is published on the parent zone');
  await page.getByRole('button', { name: 'Open the dispute' }).click();
  await page.getByText(/disputed \(false_positive\)/).waitFor();

  await page.getByRole('link', { name: 'Findings' }).click();
  await page.getByRole('heading', { name: 'Open disputes (1)' }).waitFor();
  await page.getByText('2 findings').waitFor();
  await check(page, 'findings', violations);
  await page.getByLabel('Type', { exact: true }).fill('dns.dmarc.missing');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByText('1 findings').waitFor();
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByRole('heading', { name: 'Open disputes (0)' }).waitFor();
  await page.goto(`${api.url}/#/org/Northwind%20Family%20Clinic`);
  await page.getByRole('heading', { name: 'Factors' }).waitFor();
  const scoreAfter = Number(await page.locator('.big').textContent());
  assert.ok(scoreAfter > scoreBefore, `the accepted dispute raises the score: ${scoreBefore} -> ${scoreAfter}`);

  await page.getByRole('link', { name: 'Dark web' }).click();
  await page.getByRole('searchbox').fill('ransomware');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('mark', { hasText: 'ransomware' }).waitFor();
  assert.equal(await page.locator('main script, main img').count(), 0, 'document text stays text');
  await check(page, 'search', violations);

  await page.getByRole('link', { name: 'Watchlists and alerts' }).click();
  await page.getByLabel('Term, organization or expression').fill('ransomware');
  await page.getByRole('button', { name: 'Add the watchlist' }).click();
  await page.getByRole('heading', { name: 'Watchlists (1)' }).waitFor();
  await check(page, 'alerts', violations);

  await page.getByRole('link', { name: 'Study' }).click();
  await page.getByRole('heading', { name: 'Change by factor' }).waitFor();
  const month = (back: number) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
  await page.getByLabel('From (YYYY-MM)').fill(month(3));
  await page.getByLabel('To (YYYY-MM)').fill(month(1));
  await page.getByRole('button', { name: 'Run the study' }).click();
  await page.getByRole('img', { name: /^Change in findings per domain by factor/ }).waitFor();
  await page.waitForLoadState('networkidle');
  await check(page, 'study', violations);

  await page.getByRole('link', { name: 'Catalogue' }).click();
  await page.getByRole('row', { name: /dns\.spf\.missing/ }).waitFor();
  await page.getByLabel('Search', { exact: true }).fill('dmarc');
  await check(page, 'catalogue', violations);

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  await page.close();
});
