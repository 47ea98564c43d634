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
    const lines = Array.from({ length: 120 }, (_, i) => `user${i}@northwind-family-clinic.test:Spring${2000 + i}!`).join('\n');
    const result = classifyDocument({ source_type: 'paste', text: `combo northwind\n${lines}` }, signals({ entityTypes: new Set(['email', 'credential']), credentialCount: 120 }));
    assert.equal(result.class, 'credential_leak');
    assert.ok(result.reasons.some((r) => r.includes('120 credential pairs')));
  });

  test('a paste of patient rows with DOB, MRN and SSNs is a PHI exposure', () => {
    const text = `Patient: Maria Lopez DOB: 03/14/1962 MRN 00482913 SSN 219-09-9999 Dx: E11.9 type 2 diabetes
Patient: John Carter DOB: 11/02/1975 MRN 00482914 SSN 219-09-9998 Dx: I10 hypertension
Patient: Ann Whitfield DOB: 07/21/1990 MRN 00482915 SSN 219-09-9997 Dx: J45.909 asthma`;
    const result = classifyDocument({ source_type: 'paste', text }, signals({ entityTypes: new Set(['ssn', 'phi_indicator']), phiIndicators: 9 }));
    assert.equal(result.class, 'phi_exposure');
    assert.ok(result.score >= 0.8, `score ${result.score}`);
  });

  test('everyday forum talk is chatter with a high chatter score', () => {
    const result = classifyDocument({ source_type: 'chat', text: 'gm all, anyone tried the new python loader? mine keeps crashing on win11' }, NO_SIGNALS);
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
      { source_type: 'forum', title: 'WTB access US hospitals', text: 'Looking for RDP / VPN access to US hospitals, paying well in BTC. PM.' },
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

  test('two credential pairs in a help thread are not a credential leak', () => {
    const result = classifyDocument(
      { source_type: 'forum', text: 'my login is test@example.test:hunter2 and admin@example.test:admin, why does it fail?' },
      signals({ entityTypes: new Set(['credential']), credentialCount: 2 }),
    );
    assert.equal(result.class, 'chatter');
  });

  test('a news link about a breach of medical records is chatter', () => {
    const result = classifyDocument(
      {
        source_type: 'chat',
        text: 'reuters: hospital chain says patient records of 1.2M people were leaked, statement says investigating with FBI. crazy',
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
