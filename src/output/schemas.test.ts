import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import {
  EntityOutput,
  FindingOutput,
  LabTruthOutput,
  MentionOutput,
  ScanReportOutput,
  WebhookAlertOutput,
} from './schemas.js';

const DOCS = new URL('../../../docs/', import.meta.url);

/** The schema each documented JSON example holds to, by file and the heading it sits under. */
const EXAMPLES: Record<string, z.ZodType | null> = {
  // Not an output: a catalogue entry in the worked example of adding a check.
  'DESIGN.md › Adding a check (worked example)': null,
  'scan-output.md › `--format json`': ScanReportOutput,
  'darkweb.md › Mentions': MentionOutput.array(),
  'darkweb.md › Entities': EntityOutput.array(),
  'darkweb.md › Watchlists and alerts': WebhookAlertOutput,
  'lab.md › Ground truth': LabTruthOutput,
  // The evidence object of an iprep.* finding, as the finding's `evidence` field carries it.
  'ip-reputation.md › Findings': FindingOutput.shape.evidence,
};

/** Every fenced `json` block of docs/*.md with the `##` heading above it. */
function jsonExamples(): Array<{ where: string; text: string }> {
  const found: Array<{ where: string; text: string }> = [];
  for (const file of readdirSync(DOCS).filter((f) => f.endsWith('.md'))) {
    let heading = '';
    let block: string[] | null = null;
    for (const line of readFileSync(new URL(file, DOCS), 'utf8').split('\n')) {
      if (block !== null) {
        if (line.trim().startsWith('```')) {
          found.push({ where: `${file} › ${heading}`, text: block.join('\n') });
          block = null;
        } else block.push(line);
      } else if (line.startsWith('## ')) heading = line.slice(3).trim();
      else if (line.trim() === '```json') block = [];
    }
  }
  return found;
}

test('every JSON example in docs/*.md parses and holds to the schema of the output it documents', () => {
  const examples = jsonExamples();
  assert.deepEqual(examples.map((e) => e.where).sort(), Object.keys(EXAMPLES).sort(), 'each example has a schema');
  for (const { where, text } of examples) {
    const schema = EXAMPLES[where];
    if (schema === null) continue;
    const result = schema!.safeParse(JSON.parse(text));
    assert.ok(result.success, `${where}: ${result.error?.message}`);
  }
});

test('a drift from the contract is an error: a renamed or missing field, an unknown one, a wrong type', () => {
  const finding = {
    id: '0b9d5a0e-5c1f-4f3e-9a57-2f1d8c6b7e21',
    type: 'dns.spf.missing',
    title: 'No SPF record',
    factor: 'dns_health',
    severity: 'medium',
    organization: 'Northwind Family Clinic',
    asset: { host: 'northwind-family-clinic.test' },
    evidence: { txt: [] },
    first_seen: '2026-11-20T09:00:00.000Z',
    last_seen: '2026-11-28T14:00:01.100Z',
    status: 'open',
    resolved_at: null,
  };
  assert.equal(FindingOutput.safeParse(finding).success, true);
  const { first_seen, ...renamed } = finding;
  assert.equal(FindingOutput.safeParse({ ...renamed, firstSeen: first_seen }).success, false);
  assert.equal(FindingOutput.safeParse({ ...finding, extra: 1 }).success, false);
  assert.equal(FindingOutput.safeParse({ ...finding, severity: 'severe' }).success, false);
  assert.equal(FindingOutput.safeParse({ ...finding, resolved_at: undefined }).success, false);
  assert.equal(FindingOutput.safeParse({ ...finding, last_seen: 'yesterday' }).success, false);
  assert.equal(FindingOutput.safeParse({ ...finding, asset: { host: 'x', port: 0 } }).success, false);
});
