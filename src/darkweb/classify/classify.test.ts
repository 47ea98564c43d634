import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { classifyDocument } from './classify.js';
import type { ClassificationSignals } from './classify.js';

const NO_SIGNALS: ClassificationSignals = { entityTypes: new Set(), credentialCount: 0, phiIndicators: 0 };

function signals(partial: Partial<ClassificationSignals>): ClassificationSignals {
  return { ...NO_SIGNALS, ...partial };
}

describe('classifyDocument: each class on a realistic document', () => {
  test('a leak-site victim post with a countdown is a ransomware listing', () => {
    const result = classifyDocument(
      {
        source_type: 'leak_site',
        title: 'northwind-family-clinic.test',
        text: `Northwind Family Clinic
Website: northwind-family-clinic.test
Revenue: $38M  Employees: 210
We have downloaded 412 GB of data: patient records, HR, finance, scans of IDs.
The company refused to pay. All data will be published in 6 days 14 hours.
6 days left`,
      },
      NO_SIGNALS,
    );
    assert.equal(result.class, 'ransomware_listing');
    assert.ok(result.score >= 0.9, `score ${result.score}`);
    assert.ok(result.reasons.some((r) => r.includes('will be published')));
  });

  test('a market post selling a patient database is data for sale', () => {
    const result = classifyDocument(
      {
        source_type: 'forum',
        title: '[SELLING] US clinic DB 40k records',
        text: `Selling fresh database from a US outpatient clinic network.
40,000 records: full name, DOB, SSN, address, insurance member id, diagnosis codes.
Price: $4,500. Escrow accepted. Payment BTC or XMR only. Sample on request, PM me or tox.`,
      },
      signals({ entityTypes: new Set(['btc']) }),
    );
    assert.equal(result.class, 'data_for_sale');
    assert.ok(result.score >= 0.8, `score ${result.score}`);
  });

  test('an initial-access broker post is access for sale', () => {
    const result = classifyDocument(
      {
        source_type: 'forum',
        title: 'Access to US healthcare org, $200M revenue',
        text: `Selling initial access to US hospital group.
Revenue: $200M. Hosts: 1,400. AV: Defender.
Access type: Citrix + RDP, domain admin rights.
Price 6k, blitz 9k, escrow only.`,
      },
      NO_SIGNALS,
    );
    assert.equal(result.class, 'access_for_sale');
    assert.ok(result.reasons.some((r) => r.startsWith('domain admin')));
  });

  test('a paste of many e-mail:password pairs is a credential leak', () => {
    const lines = Array.from(
      { length: 120 },
      (_, i) => `user${i}@northwind-family-clinic.test:Spring${2000 + i}!`,
    ).join('\n');
    const result = classifyDocument(
      { source_type: 'paste', text: `combo northwind\n${lines}` },
      signals({ entityTypes: new Set(['email', 'credential']), credentialCount: 120 }),
    );
    assert.equal(result.class, 'credential_leak');
    assert.ok(result.reasons.some((r) => r.includes('120 credential pairs')));
  });

  test('a paste of patient rows with DOB, MRN and SSNs is a PHI exposure', () => {
    const text = `Patient: Maria Lopez DOB: 03/14/1962 MRN 00482913 SSN 219-09-9999 Dx: E11.9 type 2 diabetes
Patient: John Carter DOB: 11/02/1975 MRN 00482914 SSN 219-09-9998 Dx: I10 hypertension
Patient: Ann Whitfield DOB: 07/21/1990 MRN 00482915 SSN 219-09-9997 Dx: J45.909 asthma`;
    const result = classifyDocument(
      { source_type: 'paste', text },
      signals({ entityTypes: new Set(['ssn', 'phi_indicator']), phiIndicators: 9 }),
    );
    assert.equal(result.class, 'phi_exposure');
    assert.ok(result.score >= 0.8, `score ${result.score}`);
  });

  test('everyday forum talk is chatter with a high chatter score', () => {
    const result = classifyDocument(
      { source_type: 'chat', text: 'gm all, anyone tried the new python loader? mine keeps crashing on win11' },
      NO_SIGNALS,
    );
    assert.equal(result.class, 'chatter');
    assert.ok(result.score >= 0.8, `score ${result.score}`);
  });
});

describe('classifyDocument: tricky negatives', () => {
  test('a forum post discussing a ransomware attack in the news is chatter, not a listing', () => {
    const result = classifyDocument(
      {
        source_type: 'forum',
        title: 'Northwind Family Clinic hit by LockBit?',
        text: `Saw on BleepingComputer that Northwind Family Clinic was hit by LockBit last week.
According to the article their data will be published if they don't pay, and the clinic had an outage for days.
Anyone know if the files are already leaked?`,
      },
      NO_SIGNALS,
    );
    assert.equal(result.class, 'chatter', result.reasons.join('; '));
    // The reasons show what was discounted: the listing words and the news language.
    assert.ok(result.reasons.some((r) => r.startsWith('will be published')));
    assert.ok(result.reasons.some((r) => r.startsWith('news site')));
  });

  test('the same words on a leak site are a listing: source type matters', () => {
    const result = classifyDocument(
      { source_type: 'leak_site', text: 'Northwind Family Clinic. Their data will be published. 3 days left.' },
      NO_SIGNALS,
    );
    assert.equal(result.class, 'ransomware_listing');
  });

  test('a buyer asking for access is not an access sale', () => {
    const result = classifyDocument(
      {
        source_type: 'forum',
        title: 'WTB access US hospitals',
        text: 'Looking for RDP / VPN access to US hospitals, paying well in BTC. PM.',
      },
      NO_SIGNALS,
    );
    assert.notEqual(result.class, 'access_for_sale', result.reasons.join('; '));
    assert.notEqual(result.class, 'data_for_sale', result.reasons.join('; '));
  });

  test('an offer that lists PHI fields without PHI in the text stays data for sale', () => {
    const result = classifyDocument(
      { source_type: 'market', text: 'Selling patients DB: name, DOB, MRN, diagnosis. 12k rows. Price $900, escrow.' },
      NO_SIGNALS,
    );
    assert.equal(result.class, 'data_for_sale');
  });

  // Issue #9: a pair posted in the clear is a leak of that account, whatever the post says around it.
  test('two credential pairs in a help thread are a credential leak (the passwords are out)', () => {
    const result = classifyDocument(
      {
        source_type: 'forum',
        text: 'my login is test@example.test:hunter2 and admin@example.test:admin, why does it fail?',
      },
      signals({ entityTypes: new Set(['credential']), credentialCount: 2 }),
    );
    assert.equal(result.class, 'credential_leak');
  });

  test('a news link about a breach of medical records is chatter', () => {
    const result = classifyDocument(
      {
        source_type: 'chat',
        text:
          'reuters: hospital chain says patient records of 1.2M people were leaked, statement says ' +
          'investigating with FBI. crazy',
      },
      NO_SIGNALS,
    );
    assert.equal(result.class, 'chatter', result.reasons.join('; '));
  });

  test('a huge document is classified from its head without scanning everything', () => {
    const text = `Selling hospital DB, price $3k, escrow, BTC.\n${'filler line with nothing in it\n'.repeat(400_000)}`;
    const started = performance.now();
    const result = classifyDocument({ source_type: 'market', text }, NO_SIGNALS);
    assert.equal(result.class, 'data_for_sale');
    assert.ok(performance.now() - started < 2000);
  });
});

/** The class and the reasons, for assertion messages that show why. */
function classify(
  source_type: 'forum' | 'market' | 'chat',
  text: string,
  title?: string,
): { class: string; reasons: string[]; why: string } {
  const result = classifyDocument(
    title === undefined ? { source_type, text } : { source_type, title, text },
    NO_SIGNALS,
  );
  return { class: result.class, reasons: result.reasons, why: result.reasons.join('; ') };
}

describe('classifyDocument: talk about selling is not an offer', () => {
  test('market talk ("records sell for more than cards") is chatter', () => {
    const result = classify(
      'forum',
      'medical records sell for more than cards now, but buyers are fewer\n> source?',
      'question',
    );
    assert.equal(result.class, 'chatter', result.why);
  });

  test('selling a gaming account is an offer, but not of data: chatter even with price, escrow and contact', () => {
    const result = classify('chat', 'selling a clean gaming account, level 80, all skins. $40, escrow ok, dm me');
    assert.equal(result.class, 'chatter', result.why);
    // The sale words scored; what is missing is an object of the data kind.
    assert.ok(
      result.reasons.some((r) => r.startsWith('not an offer') && r.includes('data object')),
      result.why,
    );
  });

  test('the gaming account among other off-topic lines is chatter', () => {
    const result = classify(
      'chat',
      'selling a clean gaming account, level 80, all skins\nwhat VPS providers still take monero without ' +
        'KYC?\nprice of coffee in this city is a crime',
    );
    assert.equal(result.class, 'chatter', result.why);
  });

  test('a tip that a target runs a vulnerable VPN is chatter, not an access sale', () => {
    const result = classify(
      'forum',
      'heard https://vpn.northwind-family-clinic.test/ still runs an old Citrix box, CVE-2023-3519 works ' +
        'there, RDP open too\n> source?',
      'Re: healthcare targets',
    );
    assert.equal(result.class, 'chatter', result.why);
  });

  test('a news report that a database is up for sale, with its price and size, is chatter', () => {
    const result = classify(
      'forum',
      'news: Northwind Family Clinic patient database is up for sale on a forum, 40k records, price $5k ' +
        'according to the post',
      'breach news',
    );
    assert.equal(result.class, 'chatter', result.why);
  });

  test('someone else selling ("they are selling …") is reported, not offered', () => {
    const result = classify(
      'forum',
      'they are selling the Northwind DB again, 40k records for $3k, escrow only. scam?',
    );
    assert.equal(result.class, 'chatter', result.why);
  });

  test('a past sale is reported, not offered', () => {
    const result = classify(
      'forum',
      'we sold 40k patient records of a Texas clinic last year for $4k through escrow, buyer was happy',
    );
    assert.equal(result.class, 'chatter', result.why);
  });

  test('a buyer asking who sells databases is chatter', () => {
    const result = classify(
      'forum',
      'anyone selling fresh US hospital databases? paying BTC, escrow only, 100k+ records',
    );
    assert.equal(result.class, 'chatter', result.why);
  });

  test('a complaint about fullz prices is chatter', () => {
    const result = classify(
      'chat',
      'prices went up, fullz are $30 now, vendors are greedy. sample quality is trash too',
    );
    assert.equal(result.class, 'chatter', result.why);
  });

  test(
    'a sale headline with no terms at all (no price, contact, escrow, sample or quantity) is not yet an ' + 'offer',
    () => {
      const result = classify('forum', 'Selling Northwind patient database and records, DOB + SSN + diagnosis. Fresh.');
      assert.equal(result.class, 'chatter', result.why);
      assert.ok(
        result.reasons.some((r) => r.startsWith('not an offer') && r.includes('no terms')),
        result.why,
      );
    },
  );
});

describe('classifyDocument: offers in realistic styles', () => {
  test('first-person seller of fullz with a price and a tox contact is data for sale', () => {
    const result = classify(
      'forum',
      'Hi all. We are selling fresh fullz with SSN and DOB, 5k lines, $8 each. Escrow ok. tox: 7A1C9F03',
      'Fullz US | HQ',
    );
    assert.equal(result.class, 'data_for_sale', result.why);
  });

  test('a [WTS] title with RDP, hosts and a USDT price is access for sale', () => {
    const result = classify(
      'forum',
      'RDP with local admin, 120 hosts, Defender only. 2k USDT, jabber me.',
      '[WTS] RDP to US dental chain',
    );
    assert.equal(result.class, 'access_for_sale', result.why);
  });

  test('a chat line "nick: selling access …" is access for sale', () => {
    const result = classify(
      'chat',
      '[12:03] coldviper: selling access to a US hospital, Fortinet VPN, DA, 3k btc only, pm\n[12:04] grimowl: proof?',
    );
    assert.equal(result.class, 'access_for_sale', result.why);
  });

  test('"Selling:" followed by a list of what is sold is data for sale', () => {
    const result = classify(
      'forum',
      'Selling:\n- 12k patient records from an Ohio clinic (name, DOB, insurance id)\nSample in PM. 0.05 BTC.',
    );
    assert.equal(result.class, 'data_for_sale', result.why);
  });

  test('a market listing that never says "selling" is data for sale: the market page is the offer', () => {
    const result = classify(
      'market',
      'Fields: name, DOB, SSN, insurance member id. Price: 0.4 BTC. Escrow accepted.',
      'US clinic DB 40k',
    );
    assert.equal(result.class, 'data_for_sale', result.why);
  });

  test('"Offering VPN access" with a price and a session ID is access for sale', () => {
    const result = classify(
      'forum',
      'Offering VPN access to a Midwest health insurer, 900 hosts, domain admin, $12k, session ID in profile',
    );
    assert.equal(result.class, 'access_for_sale', result.why);
  });
});

describe('classifyDocument: a page menu is not part of the post', () => {
  const nav = 'Rampart Board · Home · Rules · Escrow';

  test('"Escrow" in the navigation bar does not count toward a sale', () => {
    const result = classify(
      'forum',
      `${nav}\n\nweekend plans: hiking, no screens\nselling a clean gaming account, level 80, all skins`,
      'random',
    );
    assert.equal(result.class, 'chatter', result.why);
    assert.ok(!result.reasons.some((r) => /escrow/i.test(r)), result.why);
  });

  test('an offer under the same navigation bar is still data for sale, with its own escrow', () => {
    const result = classify(
      'forum',
      `${nav}\n\nSelling 40k patient records from a US clinic. Price: 0.9 BTC. Escrow accepted.`,
      '[SELLING] 40k patient records',
    );
    assert.equal(result.class, 'data_for_sale', result.why);
    assert.ok(
      result.reasons.some((r) => r.includes('escrow: "Escrow"')),
      result.why,
    );
  });
});
