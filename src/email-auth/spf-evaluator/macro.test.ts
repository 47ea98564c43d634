/** Macro expansion against the worked examples of RFC 7208 section 7.4, plus the error cases of 7.1. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandMacros, type MacroContext } from './macro.js';

const ctx = (ip: string): MacroContext => ({
  sender: 'strong-bad@email.example.com',
  domain: 'email.example.com',
  ip,
  helo: 'mx.example.org',
  receiver: 'mx.example.net',
  now: 1_700_000_000,
  validatedName: async () => 'unknown',
});

const RFC_EXAMPLES: Array<[string, string]> = [
  ['%{s}', 'strong-bad@email.example.com'],
  ['%{o}', 'email.example.com'],
  ['%{d}', 'email.example.com'],
  ['%{d4}', 'email.example.com'],
  ['%{d3}', 'email.example.com'],
  ['%{d2}', 'example.com'],
  ['%{d1}', 'com'],
  ['%{dr}', 'com.example.email'],
  ['%{d2r}', 'example.email'],
  ['%{l}', 'strong-bad'],
  ['%{l-}', 'strong.bad'],
  ['%{lr}', 'strong-bad'],
  ['%{lr-}', 'bad.strong'],
  ['%{l1r-}', 'strong'],
  ['%{ir}.%{v}._spf.%{d2}', '3.2.0.192.in-addr._spf.example.com'],
  ['%{lr-}.lp._spf.%{d2}', 'bad.strong.lp._spf.example.com'],
  ['%{lr-}.lp.%{ir}.%{v}._spf.%{d2}', 'bad.strong.lp.3.2.0.192.in-addr._spf.example.com'],
  ['%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}', '3.2.0.192.in-addr.strong.lp._spf.example.com'],
  ['%{d2}.trusted-domains.example.net', 'example.com.trusted-domains.example.net'],
];

for (const [macro, expected] of RFC_EXAMPLES) {
  test(`RFC 7208 7.4: ${macro} expands to ${expected}`, async () => {
    assert.deepEqual(await expandMacros(macro, ctx('192.0.2.3'), 'domain'), { ok: true, value: expected });
  });
}

test('RFC 7208 7.4: IPv6 %{ir} gives the reversed nibbles under ip6', async () => {
  const r = await expandMacros('%{ir}.%{v}._spf.%{d2}', ctx('2001:db8::cb01'), 'domain');
  assert.ok(r.ok);
  assert.equal(
    r.value.toLowerCase(),
    '1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com',
  );
});

test('escapes, URL encoding and explanation-only letters', async () => {
  assert.deepEqual(await expandMacros('a%%b%_c%-d', ctx('192.0.2.3'), 'exp'), { ok: true, value: 'a%b c%20d' });
  assert.deepEqual(await expandMacros('%{L}', { ...ctx('192.0.2.3'), sender: 'a b@x.test' }, 'exp'), {
    ok: true,
    value: 'a%20b',
  });
  assert.deepEqual(await expandMacros('%{c} at %{t}', ctx('192.0.2.3'), 'exp'), {
    ok: true,
    value: '192.0.2.3 at 1700000000',
  });
  for (const bad of ['%{c}.example.com', '%{r}.example.com', '%{t}.example.com']) {
    const r = await expandMacros(bad, ctx('192.0.2.3'), 'domain');
    assert.equal(r.ok, false, bad);
  }
});

test('malformed macros are errors, never guesses', async () => {
  for (const bad of ['%x', '%{', '%{q}', '%{d0}', '%{d2|}', 'a b']) {
    const r = await expandMacros(bad, ctx('192.0.2.3'), 'domain');
    assert.equal(r.ok, false, bad);
  }
});

test('an expanded name longer than 253 characters loses left-most labels', async () => {
  const long = `${'a'.repeat(60)}.`.repeat(5);
  const r = await expandMacros(`${long}%{d}`, ctx('192.0.2.3'), 'domain');
  assert.ok(r.ok);
  assert.ok(r.value.length <= 253);
  assert.ok(r.value.endsWith('.email.example.com'));
});
