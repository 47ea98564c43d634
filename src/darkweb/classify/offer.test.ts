import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { assessOffer } from './offer.js';

describe('assessOffer', () => {
  test('a complete data offer names its seller, object and terms', () => {
    const offer = assessOffer(
      'data_for_sale',
      'Selling 40k patient records from a US clinic.\nPrice: 0.9 BTC. Escrow accepted.',
      'forum',
    );
    assert.equal(offer.complete, true, offer.missing.join('; '));
    assert.ok(offer.found.includes('seller "Selling"'), offer.found.join('; '));
    assert.ok(
      offer.found.some((f) => f.startsWith('price ')),
      offer.found.join('; '),
    );
    assert.ok(
      offer.found.some((f) => f.startsWith('escrow ')),
      offer.found.join('; '),
    );
  });

  test('a third-person subject is not a seller', () => {
    const offer = assessOffer('data_for_sale', 'hackers selling 40k patient records for $3k on some forum', 'forum');
    assert.equal(offer.complete, false);
    assert.ok(
      offer.missing.some((m) => m.startsWith('seller verb')),
      offer.missing.join('; '),
    );
  });

  test('the object must stand next to the seller, not lines away', () => {
    const offer = assessOffer(
      'data_for_sale',
      'selling a clean gaming account, $40\nother topic: patient records leaked at some clinic',
      'chat',
    );
    assert.equal(offer.complete, false);
    assert.ok(offer.missing.includes('data object next to the seller'), offer.missing.join('; '));
  });

  test('an access offer needs an access object: a data sale is not one', () => {
    const text = 'Selling 40k patient records, price $900, escrow.';
    assert.equal(assessOffer('data_for_sale', text, 'forum').complete, true);
    assert.equal(assessOffer('access_for_sale', text, 'forum').complete, false);
  });

  test('on a market the page is the seller; object and terms are still required', () => {
    assert.equal(assessOffer('data_for_sale', 'US clinic DB, 40k rows. Price: $900.', 'market').complete, true);
    assert.equal(assessOffer('data_for_sale', 'clean gaming account, level 80. Price: $40.', 'market').complete, false);
  });

  test('hostile input: many seller cues without objects are examined in bounded time', () => {
    const text = 'selling stuff, '.repeat(20_000);
    const started = performance.now();
    const offer = assessOffer('data_for_sale', text, 'forum');
    assert.equal(offer.complete, false);
    assert.ok(performance.now() - started < 1000);
  });
});
