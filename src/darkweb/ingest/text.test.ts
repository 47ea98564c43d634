import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLanguage } from './language.js';
import { contentHash, normalizeText, stableDocumentId } from './normalize.js';
import { hammingDistance, NearDuplicateIndex, simhash, simhashFromHex, simhashToHex } from './simhash.js';

describe('normalization and ids', () => {
  test('line endings, control characters and spacing do not change the content hash', () => {
    const a = normalizeText('Selling  DB\r\n\r\n\r\n\r\nof patients\u0007  ');
    assert.equal(a, 'Selling  DB\n\nof patients');
    assert.equal(contentHash(a), contentHash(normalizeText('Selling DB\nof patients')));
    assert.notEqual(contentHash(a), contentHash(normalizeText('Selling DB of patient')));
    assert.match(stableDocumentId(contentHash(a)), /^doc-[0-9a-f]{32}$/);
  });
});

describe('SimHash', () => {
  const base =
    'Selling full database of Northwind Family Clinic patients, 120k records with names, dates of birth, ' +
    'insurance ids and diagnosis codes. Escrow accepted, price 2 BTC, contact on the usual jabber, serious ' +
    'buyers only, samples available.';
  // A forum post of ~200 words (SimHash is meant for documents, not one-liners): a repost with one
  // word changed must stay within distance 3.
  const post = [
    base,
    'The dump was pulled last week from an exposed reporting server that nobody patched since the migration.',
    'Fields include first and last name, street address, phone, email, primary care physician, visit dates,',
    'billing codes, payer and member number, plus scanned referral letters for about a third of the patients.',
    'I will not sell to more than three buyers and the price goes up after the first sale, so be quick.',
    'Proof of access available on request, partial sample of one thousand rows posted in the thread below.',
    'No time wasters, no middlemen, no negotiating over the public thread, message me for the onion address.',
  ].join(' ');
  test('a small edit stays within distance 3; unrelated text is far', () => {
    const a = simhash(post);
    const b = simhash(post.replace('serious buyers only', 'serious buyers'));
    const c = simhash(
      'The weather in Lisbon was lovely this spring and the trams ran on time every single day of our trip.',
    );
    assert.ok(hammingDistance(a, b) <= 3, `near: ${hammingDistance(a, b)}`);
    assert.ok(hammingDistance(a, c) > 10, `far: ${hammingDistance(a, c)}`);
  });

  test('hex round trip', () => {
    const h = simhash(base);
    assert.deepEqual(simhashFromHex(simhashToHex(h)), h);
    assert.equal(simhashFromHex('xyz'), undefined);
  });

  test('the band index finds fingerprints within distance 3 and nothing further', () => {
    const index = new NearDuplicateIndex();
    const h = { hi: 0x12345678, lo: 0x9abcdef0 };
    index.add(h, 'first');
    // Three bits flipped, one in each of three bands: still found through the fourth band.
    assert.equal(index.findGroup({ hi: (h.hi ^ 0x00010001) >>> 0, lo: (h.lo ^ 0x00010000) >>> 0 }), 'first');
    // Four bits flipped, one per band: no band matches and the distance is over the limit.
    assert.equal(index.findGroup({ hi: (h.hi ^ 0x00010001) >>> 0, lo: (h.lo ^ 0x00010001) >>> 0 }), undefined);
  });
});

describe('detectLanguage', () => {
  const cases: [string, string | undefined][] = [
    ['We are selling the full database of the hospital and it has all of the records you need for this.', 'en'],
    ['Vendemos la base de datos completa del hospital con todos los registros de los pacientes y sus datos.', 'es'],
    ['Nous vendons la base de données complète de la clinique avec tous les dossiers des patients et plus.', 'fr'],
    [
      'Wir verkaufen die komplette Datenbank der Klinik mit allen Patientenakten und es ist nicht teuer für dich.',
      'de',
    ],
    ['Vendemos o banco de dados completo do hospital com todos os registros dos pacientes e não é caro.', 'pt'],
    ['Vendiamo il database completo della clinica con tutti i dati dei pazienti e non è caro per chi compra.', 'it'],
    ['Продаём полную базу данных клиники, все записи пациентов, и это не дорого для вас, если нужно.', 'ru'],
    ['病院の患者データベースを販売します。すべての記録が含まれています。', 'ja'],
    ['出售医院完整数据库，包含所有患者记录。', 'zh'],
    ['병원 전체 데이터베이스를 판매합니다', 'ko'],
    ['1234 5678 !!!', undefined],
    ['RDP access', undefined],
  ];
  for (const [text, expected] of cases) {
    test(`${expected ?? 'undetermined'}: ${text.slice(0, 30)}`, () => assert.equal(detectLanguage(text), expected));
  }
});
