import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RegexPrefilter, requiredLiterals } from './regex-prefilter.js';
import type { LiteralQuery } from './regex-prefilter.js';
import { DISCUSSION_RULES, KEYWORD_RULES, OFFER_STRUCTURE } from '../classify/rules.js';
import { generateCorpus } from '../../lab/darkweb/corpus/index.js';
import { buildLabWorld } from '../../lab/world/index.js';

const RULE_PATTERNS: RegExp[] = [
  ...[...KEYWORD_RULES, ...DISCUSSION_RULES].map((r) => r.pattern),
  OFFER_STRUCTURE.seller.pattern,
  ...Object.values(OFFER_STRUCTURE.objects).map((o) => o.pattern),
  ...OFFER_STRUCTURE.terms.map((t) => t.pattern),
];

/** Patterns with the syntax corners the reduction must get right. */
const TRICKY: RegExp[] = [
  /icd-?10/i,
  /\bfor(?<!\bis\s+for)\s+sale\b/gi,
  /(?<=x)abc(?=d)/,
  /x{2}y/,
  /a{1,3}b/,
  /\cJx/,
  /цена|гарант/i,
  /µg/i,
  /σ+x/i,
  /(ab|cd)\1/,
  /\x41\u0042c/i,
  /[\]\-a]z/,
  /a{b/,
  /(?:ab){0,2}cd/,
  /(?<name>ab)c\k<name>/,
  /contrase[nñ]a/i,
  /^\s*(?:data|rows?)\s*[:=]/im,
  /\$\s?\d/,
];

/** Every literal a query mentions. */
function literalsOf(query: LiteralQuery | undefined): string[] {
  if (query === undefined) return [];
  if (typeof query === 'string') return [query];
  return ('all' in query ? query.all : query.any).flatMap(literalsOf);
}

test('requiredLiterals: alternatives, optional parts, lookarounds and case are read as a regex reads them', () => {
  assert.deepEqual(requiredLiterals(/icd-?10/i), { any: ['icd10', 'icd-10'] });
  assert.deepEqual(requiredLiterals(/\bfor(?<!\bis\s+for)\s+sale\b/gi), { all: ['for', 'sale'] });
  assert.equal(requiredLiterals(/(?<=x)abc(?=d)/), 'abc');
  assert.equal(requiredLiterals(/x{2}y/), 'xxy');
  assert.equal(requiredLiterals(/\x41\u0042C/), 'abc', 'escapes decoded, ASCII folded');
  assert.deepEqual(requiredLiterals(/µ/i), { any: ['µ', 'Μ', 'μ'] }, 'the micro sign equals Greek mu under /i');
  assert.deepEqual(requiredLiterals(/ñ/), 'ñ', 'without /i a non-ASCII letter is only itself');
  // Nothing can be required of a pattern that may match anywhere or match the empty string.
  assert.equal(requiredLiterals(/\d+/), undefined);
  assert.equal(requiredLiterals(/a|\d/), undefined);
  assert.equal(requiredLiterals(/(?:abc)?/), undefined);
  assert.equal(requiredLiterals(/(ab)\1/), 'ab');
  // Syntax it does not read, and flags whose case folding differs, give nothing (the pattern always runs).
  assert.equal(requiredLiterals(/abc/iu), undefined);
  assert.equal(requiredLiterals(/a\c/), undefined);
});

test('RegexPrefilter: a rule whose literals are absent is skipped, others and unknown patterns run', () => {
  const fullz = /\bfullz\b/gi;
  const digits = /\d{3}/g;
  const prefilter = new RegexPrefilter([fullz, digits]);
  const plain = prefilter.mayMatch('selling nothing here');
  assert.equal(plain(fullz), false);
  assert.equal(plain(digits), true, 'no literal set: always runs');
  assert.equal(plain(/other/), true, 'a pattern it was not built with: always runs');
  assert.equal(prefilter.mayMatch('FULLZ for sale')(fullz), true, 'ASCII case folded');
  const russian = /цена/i;
  assert.equal(new RegexPrefilter([russian]).mayMatch('ЦЕНА: 2 BTC')(russian), true);
  assert.equal(new RegexPrefilter([russian]).mayMatch('price: 2 BTC')(russian), false);
});

/** Texts made of the patterns' own literals (recased, cut), words, digits and separators. */
function textArbitrary(patterns: readonly RegExp[]): fc.Arbitrary<string> {
  const pieces = [...new Set(patterns.flatMap((p) => literalsOf(requiredLiterals(p))))];
  const piece = fc.oneof(
    fc.constantFrom(...pieces),
    fc.constantFrom(...pieces).map((p) => p.toUpperCase()),
    fc.constantFrom(...pieces).map((p) => p.slice(1)),
    fc.constantFrom('selling', 'for sale', 'price', 'I', 'we are', 'data', 'access', 'rows', 'x', 'd', 'h', 'm'),
    fc.integer({ min: 0, max: 99_999 }).map(String),
    fc.constantFrom(' ', '  ', '\n', '\t', ': ', '$', '[', ']', '-', '/', '.', ', ', "'s ", ' – '),
  );
  return fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
}

test('RegexPrefilter never skips a pattern that matches: generated texts', () => {
  const patterns = [...RULE_PATTERNS, ...TRICKY];
  const prefilter = new RegexPrefilter(patterns);
  let matched = 0;
  fc.assert(
    fc.property(textArbitrary(patterns), (text) => {
      const mayMatch = prefilter.mayMatch(text);
      for (const pattern of patterns) {
        const probe = new RegExp(pattern.source, pattern.flags.replace('g', ''));
        if (!probe.test(text)) continue;
        matched += 1;
        if (!mayMatch(pattern)) throw new Error(`${pattern} matches ${JSON.stringify(text)} but was skipped`);
      }
    }),
    { numRuns: 3000, seed: 9 },
  );
  assert.ok(matched > 1000, `the generated texts matched the patterns ${matched} times: too few to test anything`);
});

test('RegexPrefilter never skips a rule that matches, and skips most that do not: the lab corpus', () => {
  const world = buildLabWorld({ seed: 3, orgs: 12 });
  const organizations = world.truth.organizations.map((o) => ({ ...o, aliases: [...o.aliases] }));
  const prefilter = new RegexPrefilter(RULE_PATTERNS);
  let skipped = 0;
  let misses = 0;
  for (const { document } of generateCorpus({ seed: 5, documents: 600, organizations })) {
    const text = `${document.title ?? ''}\n${document.text ?? document.html ?? ''}`;
    const mayMatch = prefilter.mayMatch(text);
    for (const pattern of RULE_PATTERNS) {
      const matches = new RegExp(pattern.source, pattern.flags.replace('g', '')).test(text);
      if (matches && !mayMatch(pattern)) assert.fail(`${pattern} matches document ${document.id} but was skipped`);
      if (!matches) misses += 1;
      if (!mayMatch(pattern)) skipped += 1;
    }
  }
  assert.ok(skipped > misses / 2, `skipped ${skipped} of ${misses} rule runs that find nothing`);
});
