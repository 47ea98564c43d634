import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { bestMentions, buildOrgMatcher, CONFIDENCE } from './org-matcher.js';
import type { OrgMention, OrgPatternInput } from './org-matcher.js';

const NORTHWIND: OrgPatternInput = {
  name: 'Northwind Family Clinic',
  aliases: ['Northwind', 'NFC'],
  domains: ['northwind-family-clinic.test'],
  sector: 'clinic',
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

  test('a name inside a longer name of another organization is not a mention', () => {
    assert.deepEqual(matcher.match('Northwind Family Clinic of Ontario was breached'), []);
    assert.deepEqual(matcher.match('Northwind Family Clinic Dental Group for Veterans: new dump'), []);
    assert.deepEqual(matcher.match('Northwind Family Clinic and Sports Rehab of Maine'), []);
    assert.equal(matcher.match('Northwind Family Clinic of course got hit').length, 1);
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
    assert.equal(mentions[0]!.confidence, CONFIDENCE.corroboratedBySectorNoun);
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

describe('buildOrgMatcher: ambiguous aliases need tight corroboration', () => {
  const orgs: OrgPatternInput[] = ['Summit', 'Evergreen', 'Mercy', 'Unity', 'Horizon', 'Pioneer'].map((word, i) => ({
    name: `${word} Zylvaran Medical Group ${i}`,
    aliases: [word],
    domains: [`${word.toLowerCase()}-zylvaran.test`],
    sector: 'hospital',
  }));
  const matcher = buildOrgMatcher(orgs);

  test('English words alone are dropped', () => {
    const text = 'We reached the summit. Evergreen trees, mercy, unity and a new horizon for every pioneer.';
    assert.deepEqual(matcher.match(text), []);
  });

  test('a sector noun attached in the same noun phrase corroborates (0.75)', () => {
    for (const text of ['Mercy hospital network is down', "Mercy's hospital is down", 'Mercy (hospital, OH) is down']) {
      const mentions = matcher.match(text);
      assert.deepEqual(summary(mentions), [[2, 'alias', 'Mercy']], text);
      assert.equal(mentions[0]!.confidence, CONFIDENCE.corroboratedBySectorNoun);
    }
  });

  test("the organization's name or domain anywhere in the document corroborates (0.78)", () => {
    const far = `Unity files ${'lorem ipsum '.repeat(60)} see unity-zylvaran.test`;
    const all = matcher.match(far);
    assert.equal(all.find((m) => m.via === 'alias')?.confidence, CONFIDENCE.corroboratedByOrgContext);
    assert.deepEqual(summary(bestMentions(all)), [[3, 'domain', 'unity-zylvaran.test']]);
  });

  test('a healthcare word elsewhere in the text does not corroborate', () => {
    assert.deepEqual(matcher.match('Pioneer got owned again, patients diverted to the hospital across town'), []);
    assert.deepEqual(matcher.match('Horizon: hospital hospital patients EHR'), []);
  });

  test('a noun of another sector does not corroborate, nor a sector noun starting another company name', () => {
    assert.deepEqual(matcher.match('Summit pharmacy'), []);
    assert.deepEqual(matcher.match('Summit Hospital Supply Co invoices'), []);
  });

  test('a phrase of English words needs corroboration too, whatever its capitals', () => {
    const m = buildOrgMatcher([{ name: 'Mercy Health System of Ohio', aliases: ['Mercy Health'], sector: 'hospital' }]);
    assert.deepEqual(m.match('Mercy Health data for sale'), []);
    assert.deepEqual(m.match('show some mercy health is wealth'), []);
    assert.equal(m.match('mercy health patients exposed').length, 1);
  });

  test('a one-word name that is an English word is treated like an ambiguous alias', () => {
    const m = buildOrgMatcher([{ name: 'Providence', sector: 'hospital' }]);
    assert.deepEqual(m.match('by divine providence'), []);
    assert.equal(m.match('Providence hospital ransomware').length, 1);
  });

  test('stored judgements decide: an override makes an English word count alone', () => {
    const m = buildOrgMatcher([
      {
        name: 'Summit Zylvaran Hospital',
        aliases: ['Summit'],
        sector: 'hospital',
        aliasJudgements: [{ alias: 'Summit', ambiguous: false, reason: 'override' }],
      },
    ]);
    assert.equal(m.match('Summit dump for sale').length, 1);
  });

  test('corpus evidence: each alias hit says whether the document names the organization unambiguously', () => {
    const { aliasHits } = matcher.matchWithEvidence('the summit, and Mercy at mercy-zylvaran.test');
    assert.deepEqual(
      aliasHits.map((h) => [h.alias, h.standalone]),
      [
        ['Summit', true],
        ['Mercy', false],
      ],
    );
  });
});

describe('buildOrgMatcher: aliases shared by several organizations', () => {
  const orgs: OrgPatternInput[] = [
    { name: 'Riverbend Cardiology Associates', aliases: ['Riverbend'], sector: 'clinic' },
    { name: 'Riverbend Community Hospital', aliases: ['Riverbend'], sector: 'hospital' },
    { name: 'Riverbend Outpatient Surgery', aliases: ['Riverbend'], sector: 'clinic' },
  ];
  const matcher = buildOrgMatcher(orgs);

  test('alone, a shared alias names nobody', () => {
    assert.deepEqual(matcher.match('riverbend dump, 2GB'), []);
  });

  test('the full name elsewhere in the document picks the organization', () => {
    const mentions = matcher.match('Riverbend dump, 2GB. Confirmed: Riverbend Community Hospital.');
    assert.deepEqual(
      mentions.map((m) => m.orgIndex),
      [1, 1],
    );
  });

  test('a sector noun decides only when one sharer has that sector', () => {
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

describe('buildOrgMatcher: names inside other names, host names and other spellings', () => {
  const matcher = buildOrgMatcher([
    {
      name: 'Fernbrook Imaging',
      aliases: ['Fernbrook', 'ScanPoint'],
      domains: ['fernbrook-imaging.test'],
      sector: 'laboratory',
    },
  ]);
  const orgsIn = (text: string): string[] => matcher.match(text).map((m) => m.matched);

  test('capitalized words ending in an institution or place noun make another name', () => {
    assert.deepEqual(orgsIn('Fernbrook Memorial Hospital kept paper charts'), []);
    assert.deepEqual(orgsIn('meet me at the Fernbrook Motel'), []);
    assert.deepEqual(orgsIn('the reshipper on Fernbrook Avenue got raided'), []);
    assert.deepEqual(orgsIn('Fernbrook Imaging Dental Center is a different shop'), []);
  });

  test('one noun of its own sector after it, or an ordinary word, is still the organization', () => {
    assert.deepEqual(orgsIn('Fernbrook Labs RDP for sale'), ['Fernbrook']);
    assert.deepEqual(orgsIn('Selling Fernbrook Imaging Domain Admin'), ['Fernbrook Imaging']);
  });

  test('one sense per document: an alias used inside another name means that thing where it stands alone', () => {
    assert.deepEqual(orgsIn('Fernbrook?\nThe Fernbrook Motel has cheap rooms; Fernbrook is quiet.'), []);
    // The organization named unambiguously keeps its own mentions.
    assert.deepEqual(orgsIn('Fernbrook Imaging staff stay at the Fernbrook Motel; Fernbrook pays.'), [
      'Fernbrook Imaging',
      'Fernbrook',
    ]);
  });

  test('a name inside another host name is part of that domain', () => {
    assert.deepEqual(orgsIn('new phishing domain: fernbrook-portal.example (not theirs)'), []);
    assert.deepEqual(orgsIn('lookalike scanpoint.other.test registered'), []);
    assert.deepEqual(orgsIn('logins for fernbrook-imaging.test staff'), ['fernbrook-imaging.test']);
    assert.deepEqual(orgsIn('Fernbrook-lab couriers'), ['Fernbrook']);
  });

  test('a coined name with inner capitals counts alone only in its own spelling', () => {
    assert.deepEqual(orgsIn('ScanPoint portal creds inside'), ['ScanPoint']);
    assert.deepEqual(orgsIn('my scanpoint app crashed again'), []);
    assert.deepEqual(orgsIn('Scanpoint is a board game too'), []);
    assert.deepEqual(orgsIn('scanpoint lab results leaked'), ['scanpoint']);
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
