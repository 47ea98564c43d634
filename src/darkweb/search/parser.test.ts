import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatQuery } from '../../core/search-query.js';
import { QuerySyntaxError } from './errors.js';
import { MAX_QUERY_DEPTH, parseSearchQuery } from './parser.js';

/** Valid queries and the tree the parser must build, in formatQuery's canonical form. */
const VALID: Array<[query: string, tree: string]> = [
  ['ransomware', 'ransomware'],
  ['ransomware clinic', '(AND ransomware clinic)'],
  ['ransomware AND clinic', '(AND ransomware clinic)'],
  ['ransomware OR clinic', '(OR ransomware clinic)'],
  ['a b OR c d', '(OR (AND a b) (AND c d))'],
  ['a AND b OR c', '(OR (AND a b) c)'],
  ['a AND (b OR c)', '(AND a (OR b c))'],
  ['((a))', 'a'],
  ['NOT clinic', '(NOT clinic)'],
  ['ransomware -clinic', '(AND ransomware (NOT clinic))'],
  ['ransomware NOT clinic', '(AND ransomware (NOT clinic))'],
  ['-"patient data" leak', '(AND (NOT "patient data") leak)'],
  ['-(a OR b) c', '(AND (NOT (OR a b)) c)'],
  ['NOT NOT a', '(NOT (NOT a))'],
  ['"northwind family clinic"', '"northwind family clinic"'],
  ['"say \\"hi\\""', '"say \\"hi\\""'],
  ['pati*', 'pati*'],
  ['covid-19 e-mail', '(AND covid-19 e-mail)'],
  ['user@example.org', 'user@example.org'],
  // Lower-case operators are words: "and" is searchable text.
  ['salt and pepper', '(AND salt and pepper)'],
  ['source_type:forum', 'source_type:"forum"'],
  ['SOURCE_TYPE:Leak_Site', 'source_type:"leak_site"'],
  ['class:data_for_sale', 'class:"data_for_sale"'],
  ['org:"Northwind Family Clinic"', 'org:"Northwind Family Clinic"'],
  ['org:Northwind*', 'org:"Northwind"*'],
  ['email:Alice@Northwind.example', 'email:"alice@northwind.example"'],
  ['email:alice*', 'email:"alice"*'],
  ['ip:10.0.0.1', 'ip:"10.0.0.1"'],
  ['ipv6:2001:db8::1', 'ipv6:"2001:db8::1"'],
  ['btc:(bc1qa OR 1BoatSLRHtKNngkdXEeobR76b53LETtpyT)', '(OR btc:"bc1qa" btc:"1boatslrhtknngkdxeeobr76b53lettpyt")'],
  ['cve:CVE-2024-3400 rdp', '(AND cve:"cve-2024-3400" rdp)'],
  ['npi:1234567893', 'npi:"1234567893"'],
  ['posted_at:[2026-01-01 TO 2026-03-31]', 'posted_at:[2026-01-01 TO 2026-03-31]'],
  ['posted_at:{2026-01-01 TO 2026-03-31}', 'posted_at:[>2026-01-01 TO <2026-03-31]'],
  ['posted_at:[2026-01-01 TO *]', 'posted_at:[2026-01-01 TO *]'],
  ['posted_at:>=2026-01-01', 'posted_at:[2026-01-01 TO *]'],
  ['posted_at:>2026-01-01', 'posted_at:[>2026-01-01 TO *]'],
  ['posted_at:<2026-02-01', 'posted_at:[* TO <2026-02-01]'],
  ['posted_at:<=2026-02-01', 'posted_at:[* TO 2026-02-01]'],
  ['posted_at:2026-02-01', 'posted_at:[2026-02-01 TO 2026-02-01]'],
  ['posted_at:>=2026-01-01T10:00:00+02:00', 'posted_at:[2026-01-01T08:00:00.000Z TO *]'],
  [
    '(ransomware OR "leak site") AND org:"Northwind Family Clinic" -class:chatter posted_at:>=2026-01-01',
    '(AND (OR ransomware "leak site") org:"Northwind Family Clinic" (NOT class:"chatter") posted_at:[2026-01-01 TO *])',
  ],
];

/** Malformed queries, the 0-based position the error must point at, and words of its reason. */
const INVALID: Array<[query: string, position: number, reason: RegExp]> = [
  ['', 0, /empty query/],
  ['   ', 0, /empty query/],
  ['(ransomware AND clinic', 22, /expected '\)'/],
  ['ransomware)', 10, /unexpected '\)'/],
  ['(a OR (b)', 9, /expected '\)'/],
  ['()', 1, /empty parentheses/],
  ['"patient data', 0, /unterminated quote/],
  ['leak "patient data', 5, /unterminated quote/],
  ['ransomware AND', 14, /expected a term after 'AND'/],
  ['ransomware OR', 13, /expected a term after 'OR'/],
  ['ransomware AND OR clinic', 15, /expected a term after 'AND'/],
  ['AND clinic', 0, /unexpected 'AND'/],
  ['OR clinic', 0, /unexpected 'OR'/],
  ['NOT', 3, /expected a term after 'NOT'/],
  ['clinic -', 8, /expected a term after '-'/],
  ['a (b AND) c', 8, /expected a term after 'AND'/],
  ['foo:bar', 0, /unknown field 'foo'/],
  ['ransomware hospital:x', 11, /unknown field 'hospital'/],
  ['email: x', 6, /expected a value after 'email:'/],
  ['email:', 6, /expected a value after 'email:'/],
  ['source_type:forums', 12, /unknown source type 'forums'/],
  ['class:sale', 6, /unknown class 'sale'/],
  ['posted_at:2026-13-01', 10, /bad date '2026-13-01'/],
  ['posted_at:2026-02-30', 10, /bad date/],
  ['posted_at:>=yesterday', 12, /bad date 'yesterday'/],
  ['posted_at:[2026-01-01 TO 2026-99-01]', 25, /bad date '2026-99-01'/],
  ['posted_at:[2026-01-01 2026-02-01]', 10, /expected a range/],
  ['posted_at:[2026-01-01 TO 2026-02-01', 35, /expected '\]'/],
  ['posted_at:[2026-03-01 TO 2026-01-01]', 10, /ends before it starts/],
  ['posted_at:"2026-01-01"', 10, /posted_at takes a date/],
  ['*ent', 0, /leading wildcard/],
  ['patient *ent', 8, /leading wildcard/],
  ['email:*@northwind.example', 6, /leading wildcard/],
  ['pa*ent', 2, /wildcard may only end a term/],
  ['&&', 0, /no letters or digits/],
  ['""', 0, /phrase has no letters or digits/],
  ['email:(a AND b)', 9, /joined by OR/],
  ['email:(a OR b', 13, /expected '\)'/],
];

describe('search query parser', () => {
  for (const [query, tree] of VALID) {
    test(`parses ${JSON.stringify(query)}`, () => {
      assert.equal(formatQuery(parseSearchQuery(query)), tree);
    });
  }

  for (const [query, position, reason] of INVALID) {
    test(`rejects ${JSON.stringify(query)} at position ${position}`, () => {
      assert.throws(
        () => parseSearchQuery(query),
        (error: unknown) => {
          assert.ok(error instanceof QuerySyntaxError, `expected QuerySyntaxError, got ${String(error)}`);
          assert.equal(error.position, position, error.message);
          assert.match(error.reason, reason);
          return true;
        },
      );
    });
  }

  test('keeps positions of terms and filters in the tree', () => {
    assert.deepEqual(parseSearchQuery('leak email:a@b.org'), {
      kind: 'and',
      children: [
        { kind: 'term', text: 'leak', prefix: false, position: 0 },
        { kind: 'entity', field: 'email', types: ['email'], value: 'a@b.org', prefix: false, position: 11 },
      ],
    });
    assert.deepEqual(parseSearchQuery('ip:127.0.0.1'), {
      kind: 'entity',
      field: 'ip',
      types: ['ipv4', 'ipv6'],
      value: '127.0.0.1',
      prefix: false,
      position: 3,
    });
  });

  test('error message shows the query with a caret under the position', () => {
    try {
      parseSearchQuery('(ransomware AND clinic');
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof QuerySyntaxError);
      assert.equal(error.message, "expected ')' at position 22\n  (ransomware AND clinic\n                        ^");
    }
  });

  test('refuses nesting beyond the depth limit instead of recursing without bound', () => {
    const deep = `${'('.repeat(MAX_QUERY_DEPTH + 1)}a${')'.repeat(MAX_QUERY_DEPTH + 1)}`;
    assert.throws(
      () => parseSearchQuery(deep),
      (e: unknown) => e instanceof QuerySyntaxError && e.position === MAX_QUERY_DEPTH && /nested deeper/.test(e.reason),
    );
    assert.equal(formatQuery(parseSearchQuery(`${'('.repeat(MAX_QUERY_DEPTH)}a${')'.repeat(MAX_QUERY_DEPTH)}`)), 'a');
    assert.throws(() => parseSearchQuery(`${'-'.repeat(100)}a`), QuerySyntaxError);
    assert.throws(() => parseSearchQuery('a '.repeat(300)), /more than 256 terms/);
    assert.throws(() => parseSearchQuery('a'.repeat(5000)), /longer than/);
  });
});
