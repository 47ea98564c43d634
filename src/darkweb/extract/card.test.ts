import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cardBrand, extractCards, isValidCardNumber } from './card.js';

describe('payment cards', () => {
  // Luhn-valid numbers in each network's IIN range and length (check digits computed for this table).
  const valid: [string, string][] = [
    ['4539148803433', 'visa'], // 13
    ['4539148803436467', 'visa'], // 16
    ['4539148803436461233', 'visa'], // 19
    ['5517392018475612', 'mastercard'], // 55
    ['2221004817362107', 'mastercard'], // 2221 (low edge)
    ['2720991837465017', 'mastercard'], // 2720 (high edge)
    ['348192647310586', 'amex'],
    ['372918465027186', 'amex'],
    ['6011837402918477', 'discover'],
    ['60118374029184712', 'discover'], // 17 digits
    ['6510293847561025', 'discover'],
    ['6510293847561029382', 'discover'], // 19 digits
    ['6448201938475614', 'discover'],
    ['3528110293847566', 'jcb'],
    ['3589102938475610', 'jcb'],
  ];
  for (const [number, brand] of valid) {
    test(`valid ${brand} ${number}`, () => {
      assert.ok(isValidCardNumber(number));
      assert.equal(cardBrand(number), brand);
      const text = `dump: ${number} end`;
      assert.deepEqual(
        extractCards(text).map((e) => [e.value, e.start, e.end]),
        [[number, 6, 6 + number.length]],
      );
    });
  }

  test('grouped forms: 4-4-4-4 with spaces or dashes, Amex 4-6-5, 19 digits 4-4-4-4-3', () => {
    const text = 'a 4539 1488 0343 6467 b 4539-1488-0343-6467 c 3481 926473 10586 d 4539 1488 0343 6461 233 e';
    assert.deepEqual(
      extractCards(text).map((e) => [e.value, e.raw]),
      [
        ['4539148803436467', '4539 1488 0343 6467'],
        ['4539148803436467', '4539-1488-0343-6467'],
        ['348192647310586', '3481 926473 10586'],
        ['4539148803436461233', '4539 1488 0343 6461 233'],
      ],
    );
  });

  const invalid: [string, string][] = [
    ['4539148803436468', 'Luhn fails (last digit changed)'],
    ['4539148803436476', 'Luhn fails (two digits swapped)'],
    ['5617392018475611', 'Luhn-valid but 56 is not Mastercard'],
    ['2721991837465016', 'Luhn-valid but 2721 is past the 2-series range'],
    ['3729184650271808', 'Luhn-valid but Amex is 15 digits, not 16'],
    ['300000000000007', 'Luhn-valid Diners-like 30, not a listed network'],
    ['4539 1488-0343 6467', 'mixed separators'],
    ['45391488034364671234', '20 digits'],
  ];
  for (const [number, why] of invalid) {
    test(`rejects ${number}: ${why}`, () => {
      assert.deepEqual(extractCards(`dump: ${number} end`), []);
    });
  }
  test('JCB 17 digits is valid (JCB issues 16-19)', () => assert.ok(isValidCardNumber('35281102938475662')));

  test('confidence: context words raise it, published test PANs lower it', () => {
    assert.equal(extractCards('4539148803436467')[0]?.confidence, 0.8);
    assert.equal(extractCards('cc 4539148803436467|04/27|cvv 123')[0]?.confidence, 0.95);
    assert.equal(extractCards('4111 1111 1111 1111')[0]?.confidence, 0.2);
  });

  test('ordinary numbers are not cards', () => {
    assert.deepEqual(extractCards('order 2024-0001-0002 ref 1234567890123 tel +1 555 0100'), []);
  });
});
