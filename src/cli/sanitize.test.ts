import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeTerminalLine, sanitizeTerminalText } from './sanitize.js';

test('ANSI escapes, C0 and C1 controls and bidi overrides become visible text', () => {
  const hostile = 'evil\x1b[2J\x1b]0;pwned\x07\x9b31m\u202etxt.exe\x00\x7f';
  const safe = sanitizeTerminalLine(hostile);
  assert.equal(safe, 'evil\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\u202etxt.exe\\x00\\x7f');
  // Nothing a terminal interprets is left.
  assert.doesNotMatch(safe, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
});

test('multi-line text keeps newline and tab; a line escapes them', () => {
  assert.equal(sanitizeTerminalText('a\tb\nc\r\x1b[1m'), 'a\tb\nc\\x0d\\x1b[1m');
  assert.equal(sanitizeTerminalLine('a\tb\nc'), 'a\\x09b\\x0ac');
});

test('ordinary text, including non-Latin scripts and emoji, is unchanged', () => {
  const text = 'Clínica Saúde – 東京病院 🏥 "quoted" \\ backslash';
  assert.equal(sanitizeTerminalText(text), text);
  assert.equal(sanitizeTerminalLine(text), text);
});
