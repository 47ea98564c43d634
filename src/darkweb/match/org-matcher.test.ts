import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { bestMentions, buildOrgMatcher, CONFIDENCE } from './org-matcher.js';
import type { OrgMention, OrgPatternInput } from './org-matcher.js';
import { COMMON_WORDS, isCommonWord } from './common-words.js';

const NORTHWIND: OrgPatternInput = {
  name: 'Northwind Family Clinic',
  aliases: ['Northwind', 'NFC'],
  domains: ['northwind-family-clinic.test'],
  sector: 'clinic',
  city: 'Lakewood',
};

function summary(mentions: OrgMention[]): Array<[number, string, string]> {
  return mentions.map((m) => [m.orgIndex, m.via, m.matched]);
}

describe('buildOrgMatcher: names and look-alikes', () => {
  const matcher = buildOrgMatcher([NORTHWIND]);

  test('a full name counts alone, case-insensitively, with offsets into the text and a snippet', () => {
    const text = 'Selling NORTHWIND family clinic DB, 40k rows.';
    const [mention, ...rest] = matcher.match(text);
    assert.equal(rest.length, 0);
    assert.ok(mention);
    assert.equal(mention.via, 'name');
    assert.equal(mention.name, 'Northwind Family Clinic');
    assert.equal(mention.matched, 'NORTHWIND family clinic');
    assert.equal(text.slice(mention.start, mention.end), mention.matched);
    assert.equal(mention.confidence, CONFIDENCE.name);
    assert.equal(mention.snippet, text);
  });

  test('"Northwind Family Clinics Supply" and "Northwinds Family Clinic" are not the clinic', () => {
    assert.deepEqual(matcher.match('Northwind Family Clinics Supply dumped their invoices'), []);
    assert.deepEqual(matcher.match('Northwinds Family Clinic database for sale'), []);
    assert.deepEqual(matcher.match('the Northwind Family Dental group'), []);
  });

  test('an alias that is not ambiguous counts alone, with lower confidence than the name', () => {
    const mentions = matcher.match('Anyone has access to Northwind? Looking for VPN.');
    assert.deepEqual(summary(mentions), [[0, 'alias', 'Northwind']]);
    assert.equal(mentions[0]!.confidence, CONFIDENCE.alias);
  });

  test('the alias inside the full name is not reported twice', () => {
    assert.deepEqual(summary(matcher.match('Northwind Family Clinic hacked')), [
      [0, 'name', 'Northwind Family Clinic'],
    ]);
  });

  test('a name wrapped across lines still matches; the snippet collapses whitespace', () => {
    const mentions = matcher.match('victim:\n\n   Northwind Family\nClinic   (USA)');
    assert.deepEqual(summary(mentions), [[0, 'name', 'Northwind Family\nClinic']]);
    assert.equal(mentions[0]!.snippet, 'victim: Northwind Family Clinic (USA)');
  });

  test('a short acronym alias needs exact case and corroboration', () => {
    assert.deepEqual(matcher.match('NFC payments skimmer for sale'), []);
    assert.deepEqual(matcher.match('nfc clinic'), []);
    const mentions = matcher.match('NFC clinic network, domain admin access');
    assert.deepEqual(summary(mentions), [[0, 'alias', 'NFC']]);
    assert.equal(mentions[0]!.confidence, CONFIDENCE.corroboratedBySectorWord);
    assert.equal(mentions[0]!.corroboratedBy, 'clinic');
  });

  test('offsets are UTF-16 indices even after accents, emoji and CJK', () => {
    const text = 'Ünïcödé 🔥🔥 リーク: northwind family clinic — données';
    const [mention] = matcher.match(text);
    assert.ok(mention);
    assert.equal(text.slice(mention.start, mention.end), 'northwind family clinic');
  });

  test('names with apostrophes match the curly spelling and "&" matches "and"', () => {
    const m = buildOrgMatcher([{ name: "St. Jude's Heart & Vascular", domains: [] }]);
    assert.equal(m.match('St. Jude’s Heart & Vascular leak').length, 1);
    assert.equal(m.match("st. jude's heart and vascular leak").length, 1);
  });
});

describe('buildOrgMatcher: domains and e-mail domains', () => {
  const matcher = buildOrgMatcher([
    NORTHWIND,
    { name: 'Acme Labs', emailDomains: ['acmemail.test'], sector: 'laboratory' },
  ]);

  test('domain, subdomain, URL, defanged and sentence-final forms match', () => {
    for (const text of [
      'see northwind-family-clinic.test',
      'https://portal.northwind-family-clinic.test/login',
      'victim northwind-family-clinic[.]test',
      'victim northwind-family-clinic.test.',
      'NORTHWIND-FAMILY-CLINIC.TEST',
    ]) {
      const mentions = matcher.match(text);
      assert.equal(mentions.length, 1, text);
      assert.equal(mentions[0]!.via, 'domain', text);
      assert.equal(mentions[0]!.confidence, CONFIDENCE.domain);
    }
  });

  test('e-mail addresses (also at a subdomain) are reported as e-mail domains', () => {
    const mentions = matcher.match(
      'jdoe@northwind-family-clinic.test:Winter2024!\nx@mail.northwind-family-clinic.test:pw',
    );
    assert.deepEqual(
      mentions.map((m) => m.via),
      ['email_domain', 'email_domain'],
    );
    assert.equal(mentions[0]!.confidence, CONFIDENCE.email_domain);
  });

  test('look-alike domains are someone else', () => {
    for (const text of [
      'northwind-family-clinic.test.evil.example',
      'evil-northwind-family-clinic.test',
      'northwind-family-clinic.testing',
      'northwind-family-clinic.test-cdn.example',
    ]) {
      assert.deepEqual(
        matcher.match(text).filter((m) => m.via === 'domain' || m.via === 'email_domain'),
        [],
        text,
      );
    }
  });

  test('an e-mail-only domain matches after "@" only', () => {
    assert.deepEqual(matcher.match('visit acmemail.test today'), []);
    assert.deepEqual(summary(matcher.match('lab-admin@acmemail.test:hunter2')), [[1, 'email_domain', 'acmemail.test']]);
  });

  test('invalid domains are skipped and reported, not fatal', () => {
    const m = buildOrgMatcher([
      { name: 'Odd Org Health', domains: ['not a domain', 'ok-domain.test'], aliases: ['   '] },
    ]);
    assert.equal(m.skipped.length, 2);
    assert.equal(m.match('ok-domain.test').length, 1);
  });
});

describe('buildOrgMatcher: ambiguous aliases need corroboration', () => {
  const orgs: OrgPatternInput[] = ['Summit', 'Evergreen', 'Mercy', 'Unity', 'Horizon', 'Pioneer'].map((word, i) => ({
    name: `${word} Zylvaran Medical Group ${i}`,
    aliases: [word],
    domains: [`${word.toLowerCase()}-zylvaran.test`],
    sector: 'hospital',
    city: 'Quillport',
  }));
  const matcher = buildOrgMatcher(orgs, { contextWindow: 100 });

  test('common words alone are dropped', () => {
    const text = 'We reached the summit. Evergreen trees, mercy, unity and a new horizon for every pioneer.';
    assert.deepEqual(matcher.match(text), []);
  });

  test('a sector word nearby corroborates (0.7), the city or domain corroborates more (0.78)', () => {
    const bySector = matcher.match('Mercy hospital network is down, patients diverted');
    assert.deepEqual(summary(bySector), [[2, 'alias', 'Mercy']]);
    assert.equal(bySector[0]!.confidence, CONFIDENCE.corroboratedBySectorWord);

    const byCity = matcher.match('Got shell on Horizon, Quillport');
    assert.deepEqual(summary(byCity), [[4, 'alias', 'Horizon']]);
    assert.equal(byCity[0]!.confidence, CONFIDENCE.corroboratedByOrgContext);
    assert.equal(byCity[0]!.corroboratedBy, 'Quillport');

    const byDomain = bestMentions(matcher.match('Unity files, see unity-zylvaran.test'));
    assert.deepEqual(summary(byDomain), [[3, 'domain', 'unity-zylvaran.test']]);
    const all = matcher.match('Unity files, see unity-zylvaran.test');
    assert.equal(all.find((m) => m.via === 'alias')?.confidence, CONFIDENCE.corroboratedByOrgContext);
  });

  test('context farther than the window does not count', () => {
    const far = `Pioneer ${'lorem ipsum '.repeat(20)} hospital`;
    assert.deepEqual(matcher.match(far), []);
  });

  test('a sector word of another sector does not corroborate', () => {
    assert.deepEqual(matcher.match('Summit pharmacy'), []);
  });

  test('a phrase of common words counts alone only in its capitalized, proper-noun form', () => {
    const m = buildOrgMatcher([{ name: 'Mercy Health System of Ohio', aliases: ['Mercy Health'], sector: 'hospital' }]);
    const proper = m.match('Mercy Health data for sale');
    assert.deepEqual(summary(proper), [[0, 'alias', 'Mercy Health']]);
    assert.equal(proper[0]!.confidence, CONFIDENCE.properNounPhrase);
    assert.deepEqual(m.match('show some mercy health is wealth'), []);
    assert.equal(m.match('mercy health patients exposed').length, 1);
  });

  test('a one-word name that is a common word is treated like an ambiguous alias', () => {
    const m = buildOrgMatcher([{ name: 'Providence', sector: 'hospital' }]);
    assert.deepEqual(m.match('by divine providence'), []);
    assert.equal(m.match('Providence hospital ransomware').length, 1);
  });
});

describe('buildOrgMatcher: aliases shared by several organizations', () => {
  const orgs: OrgPatternInput[] = [
    { name: 'Riverbend Cardiology Associates', aliases: ['Riverbend'], sector: 'clinic', city: 'Ashford' },
    { name: 'Riverbend Community Hospital', aliases: ['Riverbend'], sector: 'hospital', city: 'Millbrook' },
    { name: 'Riverbend Outpatient Surgery', aliases: ['Riverbend'], sector: 'clinic', city: 'Dunmore' },
  ];
  const matcher = buildOrgMatcher(orgs);

  test('alone, a shared alias names nobody', () => {
    assert.deepEqual(matcher.match('riverbend dump, 2GB'), []);
  });

  test('the city picks the organization', () => {
    assert.deepEqual(summary(matcher.match('Riverbend (Millbrook) dump, 2GB')), [[1, 'alias', 'Riverbend']]);
  });

  test('a sector word decides only when one sharer has that sector', () => {
    assert.deepEqual(summary(matcher.match('Riverbend hospital dump')), [[1, 'alias', 'Riverbend']]);
    // Two sharers are clinics: "clinic" cannot tell them apart.
    assert.deepEqual(matcher.match('Riverbend clinic dump'), []);
  });

  test('a longer name of one organization wins over a contained alias of another', () => {
    assert.deepEqual(summary(matcher.match('Riverbend Community Hospital, Ashford clinic')), [
      [1, 'name', 'Riverbend Community Hospital'],
    ]);
  });
});

describe('bestMentions', () => {
  test('keeps one mention per organization, the most confident, in order of position', () => {
    const matcher = buildOrgMatcher([NORTHWIND, { name: 'Contoso Health', domains: ['contoso.test'] }]);
    const text =
      'Northwind here. Contoso Health too. Later: Northwind Family Clinic, jdoe@northwind-family-clinic.test';
    const all = matcher.match(text);
    assert.equal(all.filter((m) => m.orgIndex === 0).length, 3);
    const best = bestMentions(all);
    assert.deepEqual(
      best.map((m) => [m.orgIndex, m.via]),
      [
        [1, 'name'],
        [0, 'email_domain'],
      ],
    );
  });
});

describe('common words', () => {
  test('the list is substantial and holds the words organizations name themselves after', () => {
    assert.ok(COMMON_WORDS.size >= 2000, `only ${COMMON_WORDS.size}`);
    for (const word of ['Summit', 'Evergreen', 'Mercy', 'Unity', 'Horizon', 'Pioneer', 'pioneers', "Mercy's", 'the']) {
      assert.ok(isCommonWord(word), word);
    }
    for (const word of ['Northwind', 'Zylvaran', 'Contoso']) assert.ok(!isCommonWord(word), word);
  });
});
