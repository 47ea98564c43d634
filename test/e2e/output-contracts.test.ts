/**
 * The JSON and JSON Lines every command prints, from a real lab run, hold to their schemas
 * (src/output/schemas.ts): what the docs promise and what a future API will serve. The commands already
 * check their output before printing it (a drift exits 1); this test makes each one print on real data.
 */
// test-lane: serial (starts a lab through the CLI, on the lab's own TLS and service ports)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import {
  AlertOutput,
  AssetExclusionOutput,
  AuditEntryOutput,
  CrawlPageOutput,
  CrawlSummaryOutput,
  DisputeOutput,
  EntityOutput,
  FindingOutput,
  IngestSummaryOutput,
  LabStatusOutput,
  LabTruthOutput,
  MentionOutput,
  OrganizationDetailOutput,
  OrganizationOutput,
  SarifLogOutput,
  ScanReportOutput,
  SearchHitOutput,
  SpfCheckOutput,
  WatchlistOutput,
  WatchRunOutput,
} from '../../src/output/schemas.js';
import { randomHighPort } from '../helpers/lab.js';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';

let home = '';
let status: z.infer<typeof LabStatusOutput>;

before(async () => {
  home = tempHome('vitals-contracts-');
  const up = await runVitals(
    [
      'lab',
      'up',
      '--orgs',
      '4',
      '--documents',
      '400',
      '--dns-port',
      String(randomHighPort()),
      '--web-port',
      String(randomHighPort()),
    ],
    home,
  );
  assert.equal(up.code, 0, up.stderr);
  status = LabStatusOutput.parse(JSON.parse((await runVitals(['lab', 'status', '--format', 'json'], home)).stdout));
  assert.equal(status.running, true);
  const imported = await runVitals(['orgs', 'import', status.files!.organizations!], home);
  assert.equal(imported.code, 0, imported.stderr);
});

after(async () => {
  if (home !== '') await runVitals(['lab', 'down'], home);
  removeTempHomes();
});

/** Runs the command, expects exit 0, and parses its standard output as JSON (or JSON Lines). */
async function json(args: string[], lines = false): Promise<unknown> {
  const r = await runVitals(args, home, 120_000);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  if (!lines) return JSON.parse(r.stdout);
  const parsed = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
  assert.ok(parsed.length > 0, `${args.join(' ')} printed no lines`);
  return parsed;
}

test('scan, findings and organizations', async () => {
  const report = ScanReportOutput.parse(await json(['scan', '--all', '--lab', '--format', 'json', '-q']));
  assert.ok(report.findings.length > 0 && report.assets.length > 0 && report.controls.length > 0);
  const truth = LabTruthOutput.parse(await json(['lab', 'truth', '--format', 'json']));
  assert.equal(report.findings.length, truth.weaknesses.length);

  for (const line of (await json(['findings', '--format', 'jsonl'], true)) as unknown[]) FindingOutput.parse(line);
  FindingOutput.array().parse(await json(['findings', '--status', 'all', '--format', 'json']));
  SarifLogOutput.parse(await json(['findings', '--format', 'sarif']));
  const orgs = OrganizationOutput.array().parse(await json(['orgs', 'list', '--format', 'json']));
  assert.equal(orgs.length, 4);
  for (const line of (await json(['orgs', 'list', '--format', 'jsonl'], true)) as unknown[])
    OrganizationOutput.parse(line);
  const shown = OrganizationDetailOutput.parse(await json(['orgs', 'show', orgs[0]!.name, '--format', 'json']));
  assert.ok(shown.assets.length > 0);

  const disputed = report.findings[0]!;
  const add = await runVitals(['dispute', 'add', disputed.id, '--reason', 'false_positive', '--note', 'n'], home);
  assert.equal(add.code, 0, add.stderr);
  const excluded = await runVitals(['assets', 'exclude', shown.assets[0]!.host, '--reason', 'vendor'], home);
  assert.equal(excluded.code, 0, excluded.stderr);
  assert.equal(DisputeOutput.array().parse(await json(['dispute', 'list', '--format', 'json'])).length, 1);
  assert.equal(AssetExclusionOutput.array().parse(await json(['assets', 'excluded', '--format', 'json'])).length, 1);
  assert.ok(AuditEntryOutput.array().parse(await json(['audit', '--format', 'json'])).length >= 2);

  const spf = SpfCheckOutput.parse(
    await json(['spf', 'check', orgs[0]!.domains[0]!, '--ip', '192.0.2.1', '--lab', '--format', 'json']),
  );
  assert.ok(spf.trace.length > 0);
});

test('dark web: ingest, mentions, search, watchlists, alerts, crawl', async () => {
  const ingest = IngestSummaryOutput.parse(
    await json(['darkweb', 'ingest', status.files!.darkwebCorpus!, '--format', 'json']),
  );
  assert.equal(ingest.documents.read, 400);
  assert.ok(ingest.documents.new > 0);
  const mentions = MentionOutput.array().parse(await json(['darkweb', 'mentions', '--format', 'json']));
  assert.ok(mentions.length > 0);
  for (const line of (await json(['darkweb', 'mentions', '--format', 'jsonl'], true)) as unknown[])
    MentionOutput.parse(line);
  const entities = EntityOutput.array().parse(await json(['darkweb', 'entities', '--format', 'json']));
  assert.ok(entities.some((e) => e.type === 'email'));
  for (const line of (await json(
    ['darkweb', 'entities', '--type', 'credential', '--format', 'jsonl'],
    true,
  )) as unknown[])
    EntityOutput.parse(line);
  const hits = SearchHitOutput.array().parse(await json(['darkweb', 'search', 'patient', '--format', 'json']));
  assert.ok(hits.length > 0);
  for (const line of (await json(['darkweb', 'search', 'patient', '--format', 'jsonl'], true)) as unknown[])
    SearchHitOutput.parse(line);

  const added = await runVitals(['darkweb', 'watch', 'add', '--org', mentions[0]!.org], home);
  assert.equal(added.code, 0, added.stderr);
  const run = WatchRunOutput.parse(await json(['darkweb', 'watch', 'run', '--format', 'json']));
  assert.ok(run.watchlists[0]!.new_alerts > 0);
  WatchlistOutput.array().parse(await json(['darkweb', 'watch', 'list', '--format', 'json']));
  const alerts = AlertOutput.array().parse(await json(['darkweb', 'watch', 'alerts', '--format', 'json']));
  assert.equal(alerts.length, run.watchlists[0]!.new_alerts);

  const { proxy, seeds } = status.darkweb!;
  const crawl = CrawlSummaryOutput.parse(
    await json(['darkweb', 'crawl', seeds[0]!, '--proxy', proxy, '--delay', '0', '--depth', '0', '--format', 'json']),
  );
  assert.ok(crawl.pages.length > 0);
  const pages = (await json(
    ['darkweb', 'crawl', seeds[1]!, '--proxy', proxy, '--delay', '0', '--depth', '0', '--format', 'jsonl'],
    true,
  )) as unknown[];
  for (const page of pages) CrawlPageOutput.parse(page);
});
