import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchQuery } from '../../darkweb/search/parser.js';
import { planSearch, type PlanContext } from './sql-plan.js';
import { fts5FacetToken, toFts5WithFacets } from './text-query.js';
import { DOCUMENT_CLASSES, SOURCE_TYPES } from '../../darkweb/types.js';

const fts5: PlanContext = { engine: 'fts5', organizationIds: () => ['org-1'] };
const tsquery: PlanContext = { engine: 'tsquery', organizationIds: () => ['org-1'] };
const plan = (query: string, context = fts5) => planSearch(parseSearchQuery(query), context);

describe('search plans on FTS5', () => {
  test('words that could match a facet token are kept to the title and text columns', () => {
    assert.deepEqual(plan('ransomware pati*'), { textQuery: '("ransomware" AND "pati"*)', predicates: [] });
    for (const query of ['sou*', 'cl*', 'classchatter', '"the sourceforum"', 'sourceforums*', 'clåss']) {
      assert.equal(
        plan(query).textQuery,
        `{title text} : ` +
          `(${query.endsWith('*') ? `"${query.slice(0, -1)}"*` : query.startsWith('"') ? query : `"${query}"`})`,
        query,
      );
    }
    assert.equal(plan('records sour*').textQuery, '("records" AND {title text} : ("sour"*))');
    assert.equal(plan('sourced').textQuery, '{title text} : ("sourced")');
    assert.equal(plan('resource classic*').textQuery, '("resource" AND {title text} : ("classic"*))');
    assert.equal(plan('(records OR sour*) -x').textQuery, '{title text} : (("records" OR "sour"*)) NOT ("x")');
    assert.equal(plan('resource').textQuery, '"resource"');
  });

  test('source_type: and class: beside a word run inside the MATCH as facet tokens, not as SQL', () => {
    const { textQuery, predicates } = plan('ransomware source_type:leak_site -class:data_for_sale');
    assert.equal(textQuery, '("ransomware" AND {facets} : "sourceleaksite") NOT ({facets} : "classdataforsale")');
    assert.equal(predicates.length, 0);
    // Mixed with words under OR too.
    assert.equal(plan('(kalo OR class:chatter) epic').textQuery, '("epic" AND ("kalo" OR {facets} : "classchatter"))');
  });

  test('other filters stay SQL predicates checked on the candidates', () => {
    const { textQuery, predicates } = plan(
      'ransomware org:Lakeside posted_at:>=2026-01-01 email:a@b.example source_type:forum',
    );
    assert.equal(textQuery, '("ransomware" AND {facets} : "sourceforum")');
    assert.equal(predicates.length, 3);
  });

  test('without a positive word nothing is ranked: filters stay predicates, ordered by date', () => {
    const { textQuery, predicates } = plan('NOT ransomware source_type:forum class:chatter');
    assert.equal(textQuery, null);
    assert.equal(predicates.length, 3);
  });

  test('PostgreSQL plans are unchanged: filters are predicates', () => {
    const { textQuery, predicates } = plan('ransomware source_type:forum', tsquery);
    assert.equal(textQuery, "'ransomware'");
    assert.equal(predicates.length, 1);
  });

  test('every source type and class is one distinct facet token', () => {
    const tokens = [
      ...SOURCE_TYPES.map((v) => fts5FacetToken('source_type', v)),
      ...DOCUMENT_CLASSES.map((v) => fts5FacetToken('class', v)),
    ];
    assert.equal(new Set(tokens).size, tokens.length);
    for (const token of tokens) assert.match(token, /^[a-z]+$/, 'letters only: one unicode61 token');
    assert.equal(toFts5WithFacets(parseSearchQuery('org:x')), null);
  });
});
