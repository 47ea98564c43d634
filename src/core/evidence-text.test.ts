import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_EVIDENCE_JSON_BYTES,
  MAX_EVIDENCE_LIST_ITEMS,
  MAX_EVIDENCE_STRING_CHARS,
  capEvidence,
  truncateText,
} from './evidence-text.js';

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

test('evidence within the caps is kept as it is, without a truncated flag', () => {
  const evidence = { record: 'v=spf1 -all', lookups: 3, chain: ['a.example', 'b.example'], nested: { ok: true } };
  assert.deepEqual(capEvidence(evidence), evidence);
});

test('a long string is cut at the cap, the cut says how large the original was', () => {
  const text = 'é'.repeat(MAX_EVIDENCE_STRING_CHARS + 1);
  assert.equal(truncateText(text, 10), `${'é'.repeat(10)}…(truncated, ${2 * text.length} bytes)`);
  const capped = capEvidence({ version: text });
  assert.equal(capped.truncated, true);
  assert.equal(capped.version, truncateText(text, MAX_EVIDENCE_STRING_CHARS));
});

test('a long list keeps its first items and says how many were left out', () => {
  const capped = capEvidence({ answers: Array.from({ length: 150 }, (_, i) => i) });
  const answers = capped.answers as unknown[];
  assert.equal(answers.length, MAX_EVIDENCE_LIST_ITEMS + 1);
  assert.equal(answers.at(-1), `…(${150 - MAX_EVIDENCE_LIST_ITEMS} more)`);
  assert.equal(capped.truncated, true);
});

test('bytes are hex, not a JSON array of numbers', () => {
  assert.deepEqual(capEvidence({ key: Buffer.from([0xde, 0xad]) }), { key: 'dead' });
});

test('evidence still over the total cap after the per-string cuts is cut harder until it fits', () => {
  const evidence = { answers: Array.from({ length: 100 }, () => ({ data: 'x'.repeat(2000) })) };
  const capped = capEvidence(evidence);
  assert.ok(jsonBytes(evidence) > 100 * 2000);
  assert.ok(jsonBytes(capped) <= MAX_EVIDENCE_JSON_BYTES, `${jsonBytes(capped)} bytes`);
  assert.equal(capped.truncated, true);
  const wide = capEvidence(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`key${i}`, 'y'.repeat(100)])));
  assert.ok(jsonBytes(wide) <= MAX_EVIDENCE_JSON_BYTES, `${jsonBytes(wide)} bytes`);
});
