import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchQuery } from '../../darkweb/search/parser.js';
import { toFts5, toTsquery } from './text-query.js';

describe('full-text query strings', () => {
  test('FTS5: every term quoted, quotes doubled, operators from the tree only', () => {
    assert.equal(toFts5(parseSearchQuery('ransomware clinic')), '("ransomware" AND "clinic")');
    assert.equal(toFts5(parseSearchQuery('pati* OR "patient data"')), '("pati"* OR "patient data")');
    assert.equal(toFts5(parseSearchQuery('leak -clinic -"x y"')), '(("leak") NOT ("clinic" OR "x y"))');
    assert.equal(toFts5(parseSearchQuery(`"a\\" OR \\"b"`)), '"a"" OR ""b"');
    assert.equal(
      toFts5(parseSearchQuery(`x'; DROP TABLE darkweb_documents; -x`)),
      `(("x';" AND "DROP" AND "TABLE" AND "darkweb_documents;") NOT ("x"))`,
    );
    assert.equal(toFts5(parseSearchQuery('NEAR(a b)')), '("NEAR" AND ("a" AND "b"))');
    assert.equal(toFts5(parseSearchQuery('"say \\"hi\\""')), '"say ""hi"""');
  });

  test('FTS5 cannot express a lone NOT or a filter: left to SQL', () => {
    assert.equal(toFts5(parseSearchQuery('NOT clinic')), null);
    assert.equal(toFts5(parseSearchQuery('a OR -b')), null);
    assert.equal(toFts5(parseSearchQuery('a source_type:forum')), null);
  });

  test('tsquery: lexemes quoted with quotes doubled and backslashes escaped, prefixes :*', () => {
    assert.equal(toTsquery(parseSearchQuery(`o'brien pati* -"x y"`)), `('o''brien' & 'pati':* & !('x y'))`);
    assert.equal(toTsquery(parseSearchQuery('a\\b OR c')), `('a\\\\b' | 'c')`);
    assert.equal(toTsquery(parseSearchQuery('a email:x@y.org')), null);
  });
});
