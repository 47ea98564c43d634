import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { recordDataText } from './record-text.js';

const answer = (type: string, data: unknown): Answer => ({ name: 'x.example', type, data }) as Answer;

test('TXT character-strings are quoted presentation text with escapes, as dig prints them', () => {
  const txt = answer('TXT', [Buffer.from('v=spf1 -all'), Buffer.from([0x22, 0x5c, 0x01, 0xff, 0x41])]);
  assert.equal(recordDataText(txt), '"v=spf1 -all" "\\"\\\\\\001\\255A"');
});

test('other record types: strings as they are, objects as JSON with bytes in hex', () => {
  assert.equal(recordDataText(answer('A', '192.0.2.1')), '192.0.2.1');
  assert.equal(
    recordDataText(answer('DS', { keyTag: 1, algorithm: 13, digestType: 2, digest: Buffer.from([1, 2]) })),
    '{"keyTag":1,"algorithm":13,"digestType":2,"digest":"0102"}',
  );
  assert.equal(recordDataText(answer('TXT', undefined)), null);
});

test('a huge TXT record is cut, and the cut is noted', () => {
  const text = recordDataText(
    answer(
      'TXT',
      Array.from({ length: 40 }, () => Buffer.alloc(255, 0x61)),
    ),
  );
  assert.ok(text !== null && text.length < 2100);
  assert.match(text, /…\(truncated, \d+ bytes\)$/);
});
