/**
 * Classes from document structure and entities (issue #9 section 2), through the whole analysis: dump
 * layouts, patient-record tables in every layout, rows with several patient identifiers, offers written
 * as fields, and the class going to the organization an offer names, not to those named in passing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Organization } from '../../core/organization.js';
import { createDocumentAnalyzer } from '../analyze.js';
import type { AnalysisInput } from '../analyze.js';
import { TEST_CREDENTIAL_KEY } from '../ingest/test-support.js';

function org(id: string, name: string, domain: string): Organization {
  return {
    id,
    name,
    sector: 'hospital',
    domains: [domain],
    telehealth: false,
    aliases: [],
    tags: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

const analyzer = createDocumentAnalyzer(
  [
    org('a', 'Northwind Regional Hospital', 'northwind-hospital.test'),
    org('b', 'Fabrikam Medical Center', 'fabrikam.test'),
  ],
  TEST_CREDENTIAL_KEY,
);

function classOf(doc: AnalysisInput): string {
  return analyzer.analyze(doc).class;
}

function mentionClasses(doc: AnalysisInput): Record<string, string> {
  return Object.fromEntries(analyzer.analyze(doc).mentions.map((m) => [m.organizationName, m.class]));
}

const PATIENTS = [
  ['MRN', 'Name', 'DOB', 'ICD10', 'Insurance'],
  ['00481516', 'Jane Roe', '03/14/1962', 'E11.9', 'Aetna'],
  ['00481517', 'John Poe', '07/04/1975', 'I10', 'Cigna'],
];

describe('patient-record tables are phi_exposure in every layout', () => {
  const layouts: Record<string, string> = {
    csv: PATIENTS.map((r) => r.join(',')).join('\n'),
    tsv: PATIENTS.map((r) => r.join('\t')).join('\n'),
    pipe: PATIENTS.map((r) => r.join(' | ')).join('\n'),
    markdown: [
      `| ${PATIENTS[0]!.join(' | ')} |`,
      `|${PATIENTS[0]!.map(() => '---').join('|')}|`,
      ...PATIENTS.slice(1).map((r) => `| ${r.join(' | ')} |`),
    ].join('\n'),
    'fixed-width': PATIENTS.map((r) => r.map((c) => c.padEnd(12)).join('')).join('\n'),
    'json lines': PATIENTS.slice(1)
      .map((r) => JSON.stringify({ mrn: r[0], name: r[1], dob: r[2], dx_code: r[3], insurance: r[4] }))
      .join('\n'),
    'SQL INSERT': `INSERT INTO pts (${PATIENTS[0]!.join(', ')}) VALUES\n${PATIENTS.slice(1)
      .map((r) => `(${r.map((c) => `'${c}'`).join(', ')})`)
      .join(',\n')};`,
    'key: value records': PATIENTS.slice(1)
      .map((r) => r.map((c, i) => `${PATIENTS[0]![i]}: ${c}`).join('\n'))
      .join('\n\n'),
  };
  for (const [layout, table] of Object.entries(layouts)) {
    test(layout, () => {
      const doc = { source_type: 'paste' as const, text: `free sample from northwind-hospital.test\n${table}\n` };
      const analysis = analyzer.analyze(doc);
      assert.equal(analysis.class, 'phi_exposure', analysis.reasons.join('; '));
      const codes = analysis.entities.filter((e) => e.type === 'icd10').map((e) => e.value);
      assert.deepEqual(codes, ['E11.9', 'I10'], `ICD-10 codes of the diagnosis column (${layout})`);
    });
  }

  test('rows win over an offer', () => {
    const text =
      'Selling Northwind Regional Hospital patient DB, 80k rows. Price: 3 BTC, escrow ok.\nSample:\n' +
      PATIENTS.map((r) => r.join(',')).join('\n');
    assert.equal(classOf({ source_type: 'forum', text }), 'phi_exposure');
  });

  test('rows that carry several patient identifiers, without a header', () => {
    const text =
      'leaked from northwind-hospital.test lol\n' +
      'Jane Roe 03/14/1962 SSN 512-43-7788 MBI 1EG4-TE5-MK73\n' +
      'John Poe 07/04/1975 SSN 512-43-7789 MBI 1EG4-TE5-MK74\n';
    assert.equal(classOf({ source_type: 'paste', text }), 'phi_exposure');
  });

  test('an offer that only lists the fields it sells stays data_for_sale', () => {
    const text =
      'Selling Northwind Regional Hospital patient database, 80k records.\n' +
      'Fields: name, DOB, SSN, MRN, diagnosis, insurance.\nPrice: 3 BTC. Escrow accepted.';
    assert.equal(classOf({ source_type: 'forum', text }), 'data_for_sale');
  });

  test('clinical messages are patient records: HL7 v2 PID segments, FHIR Patient resources, CDA patients', () => {
    const hl7 =
      'MSH|^~\\&|ADT1|NWH|HUB|NWH|202502010101||ADT^A01|1|P|2.5\n' +
      'PID|1||5510^^^NWH^MR||ROE^JANE||19620314|F\nPID|1||5511^^^NWH^MR||POE^JOHN||19750704|M\n';
    const fhir = JSON.stringify(
      { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Patient', birthDate: '1962-03-14' } }] },
      null,
      1,
    );
    const cda = '<ClinicalDocument><recordTarget><patientRole><id extension="5510"/></patientRole></recordTarget>';
    for (const text of [hl7, fhir, cda])
      assert.equal(classOf({ source_type: 'paste', text: `from northwind-hospital.test\n${text}` }), 'phi_exposure');
  });

  test('an offer whose key: value lines list what it sells (no data in them) stays data_for_sale', () => {
    const text =
      'Selling Northwind Regional Hospital patient database, 80k records.\n' +
      'MRN: yes\nDOB: included\nICD10: yes\nInsurance: included\nPrice: 3 BTC\nEscrow: accepted\n';
    assert.equal(classOf({ source_type: 'forum', text }), 'data_for_sale');
  });

  test('a customer table without clinical fields is not patient records', () => {
    const text = 'name,email,city\nJane Roe,jane@example.test,Boston\nJohn Poe,john@example.test,Austin\n';
    assert.notEqual(classOf({ source_type: 'paste', text }), 'phi_exposure');
  });
});

describe('credential dumps in every layout are credential_leak', () => {
  const lines = (make: (i: number) => string): string => Array.from({ length: 10 }, (_, i) => make(i)).join('\n');
  const layouts: Record<string, string> = {
    tab: lines((i) => `user${i}@northwind-hospital.test\tSpring${i}!pw`),
    comma: lines((i) => `user${i}@northwind-hospital.test,Spring${i}!pw`),
    ulp: lines((i) => `https://portal.northwind-hospital.test/login:user${i}@northwind-hospital.test:Spring${i}!pw`),
    stealer: lines((i) => `URL: https://portal.northwind-hospital.test\nUsername: user${i}\nPassword: Spring${i}!pw\n`),
    hashes: lines((i) => `user${i}@northwind-hospital.test:${'5f4dcc3b5aa765d61d8327deb882cf9'}${i}`),
  };
  for (const [layout, text] of Object.entries(layouts)) {
    test(layout, () => {
      const analysis = analyzer.analyze({ source_type: 'paste', text: `# combo\n${text}` });
      assert.equal(analysis.class, 'credential_leak', analysis.reasons.join('; '));
      assert.ok(!analysis.text.includes('Spring1!pw'));
    });
  }
});

describe('offers recognized by their fields, in any order', () => {
  test('an access listing written as fields, without "selling"', () => {
    const text = [
      'Target: Northwind Regional Hospital (northwind-hospital.test)',
      'Revenue: $120M',
      'Access: RDP + Citrix',
      'Rights: domain admin',
      'Hosts: 350',
      'AV: Defender',
      'Start: 2k, step 250, blitz 6k',
    ].join('\n');
    assert.equal(classOf({ source_type: 'forum', title: '[ACCESS] US hospital', text }), 'access_for_sale');
  });

  test('the same fields in another order and wording', () => {
    const text = [
      'blitz - 6k',
      'edr: crowdstrike',
      'type of access: vpn (fortinet), local admin',
      'hosts in domain: ~400',
      'contact: tox only',
      'company: northwind-hospital.test',
    ].join('\n');
    assert.equal(classOf({ source_type: 'chat', text }), 'access_for_sale');
  });
});

describe('chat logs', () => {
  test('timestamps that open chat lines are not leak-site countdowns; a countdown after a victim still is', () => {
    const chat = [
      '[09:01:10] <kr4> fresh webmail logins',
      '[09:01:40] <kr4> a.berg@northwind-hospital.test:Qw3rty-19',
      '[09:02:05] <kr4> l.moss@northwind-hospital.test:Vinter-2024x',
      '[09:03:00] <nib> thx',
    ].join('\n');
    assert.equal(classOf({ source_type: 'chat', text: chat }), 'credential_leak');
    const list = 'Victims:\nNorthwind Regional Hospital [03:11:42:10]\nFabrikam Medical Center [PUBLISHED]\n';
    assert.equal(classOf({ source_type: 'forum', text: list }), 'ransomware_listing');
  });
});

describe('offers in other wordings', () => {
  test('an asking price at the start of a line is the price field', () => {
    const text = [
      'Company website: https://northwind-hospital.test/',
      'Industry: Healthcare',
      'What you get: RDWeb as local admin',
      'Hosts: 310',
      'Asking $2500 firm, middleman ok',
    ].join('\n');
    assert.equal(classOf({ source_type: 'chat', text }), 'access_for_sale');
  });

  test('two access facts describe the access even when no word names it', () => {
    const text = 'Domain: northwind-hospital.test\nPrivs: user\nWorkstations: 900\nCountry: US\nPrice: 700$';
    assert.equal(classOf({ source_type: 'forum', text }), 'access_for_sale');
  });

  test('a leak post profile (industry, revenue) is not an access object', () => {
    const text =
      'Company: Northwind Regional Hospital\nWebsite: northwind-hospital.test\nIndustry: Healthcare\n' +
      'Revenue: 80 mil $\nData: 40 GB\nPUBLISHED 2026-03-01';
    assert.notEqual(classOf({ source_type: 'market', text }), 'access_for_sale');
  });

  test('a Russian-language data offer with a guarantor ("через гаранта") is an offer', () => {
    const text = 'Продаю базу Northwind Regional Hospital: 40 тыс. записей, формат CSV. Сделка через гаранта.';
    assert.equal(classOf({ source_type: 'forum', text }), 'data_for_sale');
  });

  test('a Russian-language seller ("продам доступ") offers access', () => {
    const text =
      'Продам доступ: northwind-hospital.test\nТип: RDP\nПрава: пользователь\nСтарт $900, шаг $100\nГарант форума.';
    assert.equal(classOf({ source_type: 'forum', text }), 'access_for_sale');
  });
});

describe('offers as lots and auctions', () => {
  test('auction terms make an offer without "selling"', () => {
    const text = 'got local admin via citrix on northwind-hospital.test, ~900 pcs. Start $2k / Step $200 / Blitz $7k';
    assert.equal(classOf({ source_type: 'forum', text }), 'access_for_sale');
  });

  test('numbered lots, each with its object and price, name their targets', () => {
    const text =
      '1) northwind-hospital.test - RDWeb, domain admin, $700\n2) fabrikam.test - Fortinet VPN, user, $400\nEscrow ok.';
    assert.deepEqual(mentionClasses({ source_type: 'forum', title: '2 accesses', text }), {
      'Northwind Regional Hospital': 'access_for_sale',
      'Fabrikam Medical Center': 'access_for_sale',
    });
  });

  test('a field label qualified by a word or two still counts ("Hosts in domain:")', () => {
    const text = 'Company: northwind-hospital.test\nHosts in domain: 700\nAccess via: RDP\nGuarantor: yes';
    assert.equal(classOf({ source_type: 'forum', text }), 'access_for_sale');
  });
});

describe('the class goes to the organization whose rows are shown', () => {
  test('the caption above patient rows names their owner; the others in a digest are chatter', () => {
    const text = [
      'Weekly roundup.',
      '- Fabrikam Medical Center says it restored its systems.',
      '',
      'Rows from the Northwind Regional Hospital dump, as posted:',
      'MRN|Name|DOB|Dx',
      '5510|Jane Roe|03/14/1962|E11.9',
      '5511|John Poe|07/04/1975|I10',
    ].join('\n');
    assert.deepEqual(mentionClasses({ source_type: 'forum', text }), {
      'Fabrikam Medical Center': 'chatter',
      'Northwind Regional Hospital': 'phi_exposure',
    });
  });
});

describe('the class goes to the organization the offer names', () => {
  test('an organization on the offer line is the target; one in a buy request is chatter', () => {
    const text =
      'WTB access to Fabrikam Medical Center, paying well\n' +
      'reply: selling RDP to Northwind Regional Hospital with DA, $900, escrow';
    assert.deepEqual(mentionClasses({ source_type: 'forum', text }), {
      'Fabrikam Medical Center': 'chatter',
      'Northwind Regional Hospital': 'access_for_sale',
    });
  });

  test('another organization named in passing is chatter', () => {
    const text =
      'Selling VPN access to Northwind Regional Hospital, domain admin, 300 hosts. Price: 4k, escrow.\n' +
      'FYI, Fabrikam Medical Center was hit last month by the same crew.';
    assert.deepEqual(mentionClasses({ source_type: 'forum', text }), {
      'Northwind Regional Hospital': 'access_for_sale',
      'Fabrikam Medical Center': 'chatter',
    });
  });

  test('the target named in the title; another named in the body is chatter', () => {
    const text = 'Full RDP, DA rights. They use the Fabrikam Medical Center lab for tests. Price: 3k, escrow.';
    const classes = mentionClasses({ source_type: 'forum', title: '[ACCESS] Northwind Regional Hospital', text });
    assert.equal(classes['Northwind Regional Hospital'], 'access_for_sale');
    assert.equal(classes['Fabrikam Medical Center'], 'chatter');
  });

  test('the reasons say why', () => {
    const text =
      'Selling VPN access to Northwind Regional Hospital, domain admin. Price: 4k, escrow.\n' +
      'Fabrikam Medical Center was hit last month.';
    const mentions = analyzer.analyze({ source_type: 'forum', text }).mentions;
    const passing = mentions.find((m) => m.organizationName === 'Fabrikam Medical Center')!;
    assert.match(passing.reasons[0]!, /^chatter: named in passing \("was hit"\), while the post is access_for_sale/);
    const target = mentions.find((m) => m.organizationName === 'Northwind Regional Hospital')!;
    assert.match(target.reasons[0]!, /^access_for_sale: /);
    assert.ok(
      target.reasons.some((r) => r.startsWith('offer:')),
      target.reasons.join('; '),
    );
  });

  test('a victim list with statuses is a ransomware listing whatever source the page came from', () => {
    const text = [
      'Some Marina Club somemarina.example [PUBLISHED]',
      'Northwind Regional Hospital northwind-hospital.test [03:11:42:10]',
      'Acme Tools acme-tools.example [SOLD]',
      'Fabrikam Medical Center fabrikam.test [PUBLISHED]',
    ].join('\n');
    assert.deepEqual(mentionClasses({ source_type: 'forum', title: 'blog', text }), {
      'Northwind Regional Hospital': 'ransomware_listing',
      'Fabrikam Medical Center': 'ransomware_listing',
    });
  });

  test('a leak-site index lists every victim', () => {
    const text =
      'Victims:\nNorthwind Regional Hospital - 120 GB - published\nFabrikam Medical Center - 80 GB - 3 days left';
    assert.deepEqual(mentionClasses({ source_type: 'leak_site', title: 'Blog', text }), {
      'Northwind Regional Hospital': 'ransomware_listing',
      'Fabrikam Medical Center': 'ransomware_listing',
    });
  });
});
