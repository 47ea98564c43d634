import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isNavigationLine, stripNavigationLines } from './navigation.js';

describe('isNavigationLine', () => {
  test('a forum menu extracted from <nav> is navigation', () => {
    assert.equal(isNavigationLine('Rampart Board · Home · Rules · Escrow'), true);
    assert.equal(isNavigationLine('Home | Forums | Market | Escrow | FAQ | Login'), true);
  });

  test("an offer's own terms line with two section-like words is not navigation", () => {
    assert.equal(isNavigationLine('Payment: BTC | Escrow | Guarantor'), false);
  });

  test('a pipe-separated access title is not navigation', () => {
    assert.equal(isNavigationLine('[ACCESS] US healthcare | Citrix | 1,400 hosts | $6k'), false);
  });

  test('a line with a long item (prose) is not navigation', () => {
    assert.equal(
      isNavigationLine('Home · Rules · Escrow · selling 40k patient records from a clinic, price in PM'),
      false,
    );
  });
});

describe('stripNavigationLines', () => {
  test('drops only the menu line and keeps the post in order', () => {
    const text = 'Rampart Board · Home · Rules · Escrow\n\nfirst line\nsecond line';
    assert.equal(stripNavigationLines(text), '\nfirst line\nsecond line');
  });

  test('text without separators comes back unchanged', () => {
    const text = 'Selling 40k records. Escrow accepted.';
    assert.equal(stripNavigationLines(text), text);
  });
});
