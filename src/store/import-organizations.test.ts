import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv, CsvSyntaxError } from './csv.js';
import { openStore } from './database.js';
import type { Store } from './database.js';
import { parseDomainName } from '../core/names.js';
import { ImportError, importOrganizations, parseOrganizationsFile } from './import-organizations.js';

let folder: string;
let store: Store;
before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'vitals-import-'));
  store = await openStore({ home: join(folder, 'home') });
});
after(async () => {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

function problemsOf(work: () => unknown): ImportError['problems'] {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof ImportError, String(error));
    return error.problems;
  }
  assert.fail('expected an ImportError');
}

const GOOD_CSV =
  '\uFEFFname,domains,sector,telehealth,aliases,tags\r\n' +
  '"Mercy Hospital, Springfield",mercy.example;MyChart.Mercy.example.,hospital,yes,"Mercy; ""The ' +
  'Mercy""",east;tier1\r\n' +
  'Quick Clinic,quickclinic.example,Clinic,0,,\r\n' +
  '"Tele\nCare",telecare.example,telehealth,TRUE,"TC",\r\n';

describe('organizations import', () => {
  test('a good CSV file with quoted fields, CRLF and a BOM', () => {
    const parsed = parseOrganizationsFile(file('good.csv', GOOD_CSV));
    assert.equal(parsed.format, 'csv');
    assert.deepEqual(parsed.organizations, [
      {
        name: 'Mercy Hospital, Springfield',
        domains: ['mercy.example', 'mychart.mercy.example'],
        sector: 'hospital',
        telehealth: true,
        aliases: ['Mercy', '"The Mercy"'],
        tags: ['east', 'tier1'],
      },
      {
        name: 'Quick Clinic',
        domains: ['quickclinic.example'],
        sector: 'clinic',
        telehealth: false,
        aliases: [],
        tags: [],
      },
      // A line break inside a quoted name is whitespace in a name.
      {
        name: 'Tele Care',
        domains: ['telecare.example'],
        sector: 'telehealth',
        telehealth: true,
        aliases: ['TC'],
        tags: [],
      },
    ]);
  });

  test('a good JSON file: array or {organizations}, lists as arrays or ;-strings', () => {
    const rows = [
      { name: 'Lab One', domains: ['labone.example'], sector: 'laboratory', telehealth: false },
      {
        name: 'Pharma Two',
        domains: 'rx.example; rx-two.example',
        sector: 'pharmacy',
        telehealth: 'no',
        aliases: ['P2'],
        tags: 'retail',
      },
    ];
    const fromArray = parseOrganizationsFile(file('good.json', JSON.stringify(rows)));
    const fromObject = parseOrganizationsFile(file('good2.json', JSON.stringify({ organizations: rows })));
    assert.deepEqual(fromArray.organizations, fromObject.organizations);
    assert.deepEqual(fromArray.organizations[1], {
      name: 'Pharma Two',
      domains: ['rx.example', 'rx-two.example'],
      sector: 'pharmacy',
      telehealth: false,
      aliases: ['P2'],
      tags: ['retail'],
    });
  });

  test('importing the same file twice changes nothing; an edited file updates', async () => {
    const path = file('portfolio.csv', GOOD_CSV);
    assert.deepEqual(await importOrganizations(store, parseOrganizationsFile(path)), {
      created: 3,
      updated: 0,
      unchanged: 0,
    });
    const before = await store.organizations.list();
    assert.deepEqual(await importOrganizations(store, parseOrganizationsFile(path)), {
      created: 0,
      updated: 0,
      unchanged: 3,
    });
    assert.deepEqual(await store.organizations.list(), before);

    const edited = GOOD_CSV.replace(
      'Quick Clinic,quickclinic.example,Clinic,0',
      'quick clinic,quickclinic.example,clinic,1',
    );
    assert.deepEqual(await importOrganizations(store, parseOrganizationsFile(file('portfolio2.csv', edited))), {
      created: 0,
      updated: 1,
      unchanged: 2,
    });
    const clinic = await store.organizations.getByName('Quick Clinic');
    assert.equal(clinic?.telehealth, true);
    assert.equal(clinic?.name, 'quick clinic');
  });

  test('bad CSV rows are all reported with their line numbers and nothing is imported', async () => {
    const bad =
      'name,domains,sector,telehealth,aliases\n' +
      '"Multi\nLine Health",multi.example,hospital,no,\n' + // lines 2-3: fine
      'Bad Sector,bad.example,spa,no,\n' + // line 4
      'Bad Domain,not_a_domain.example;localhost,clinic,no,\n' + // line 5
      'Bad Flag,flag.example,clinic,maybe,\n' + // line 6
      '\n' +
      'Short Row,short.example,clinic\n' + // line 8
      'MULTI  line health,other.example,clinic,no,\n' + // line 9: duplicate of line 2 (case and spacing)
      ',nameless.example,clinic,no,\n' + // line 10
      'No Domains,,clinic,no,\n'; // line 11
    const before = await store.organizations.list();
    const problems = problemsOf(() => parseOrganizationsFile(file('bad.csv', bad)));
    assert.deepEqual(
      problems.map((p) => p.line),
      [4, 5, 6, 8, 9, 10, 11],
    );
    const message = (line: number) => problems.find((p) => p.line === line)?.message ?? '';
    assert.match(message(4), /sector: must be one of hospital, clinic/);
    assert.match(message(5), /domains #1: .*not_a_domain/);
    assert.match(message(5), /domains #2: .*localhost.*two labels/);
    assert.match(message(6), /telehealth: "maybe"/);
    assert.match(message(8), /3 fields, the header has 5/);
    assert.match(message(9), /duplicate name .*first at line 2/);
    assert.match(message(10), /name: is empty/);
    assert.match(message(11), /domains: needs at least one domain/);
    await assert.rejects(
      async () => importOrganizations(store, parseOrganizationsFile(join(folder, 'bad.csv'))),
      ImportError,
    );
    assert.deepEqual(await store.organizations.list(), before);
    assert.equal(await store.organizations.getByName('Multi Line Health'), undefined);
  });

  test('CSV structure errors: header, unterminated quote, stray quote', () => {
    assert.deepEqual(
      problemsOf(() => parseOrganizationsFile(file('h.csv', 'name,domain,sector,telehealth\nA,a.example,clinic,no\n'))),
      [
        {
          line: 1,
          message:
            'unknown column "domain" (known: name, domains, sector, telehealth, aliases, tags, vendors, ' +
            'ambiguous_aliases, unambiguous_aliases, networks); ' +
            'missing column "domains"',
        },
      ],
    );
    const open = problemsOf(() =>
      parseOrganizationsFile(
        file('q.csv', 'name,domains,sector,telehealth\nA,a.example,clinic,no\n"B,b.example,clinic,no\n'),
      ),
    );
    assert.deepEqual(
      open.map((p) => p.line),
      [3],
    );
    assert.match(open[0]?.message ?? '', /never closed/);
    const stray = problemsOf(() =>
      parseOrganizationsFile(file('s.csv', 'name,domains,sector,telehealth\nSt "Mary",a.example,clinic,no\n')),
    );
    assert.deepEqual(
      stray.map((p) => p.line),
      [2],
    );
    assert.deepEqual(problemsOf(() => parseOrganizationsFile(file('empty.csv', ''))).length, 1);
    assert.deepEqual(problemsOf(() => parseOrganizationsFile(file('orgs.txt', 'x'))).length, 1);
    assert.deepEqual(problemsOf(() => parseOrganizationsFile(join(folder, 'missing.csv'))).length, 1);
  });

  test('bad JSON rows are reported with their array index', () => {
    const rows = [
      { name: 'Fine', domains: ['fine.example'], sector: 'payer', telehealth: true },
      { name: 'Typo', domain: ['typo.example'], sector: 'payer', telehealth: true },
      { name: 'Fine', domains: ['fine2.example'], sector: 'vendor', telehealth: false },
      'not an object',
    ];
    const problems = problemsOf(() => parseOrganizationsFile(file('bad.json', JSON.stringify(rows))));
    assert.deepEqual(
      problems.map((p) => p.index),
      [1, 2, 3],
    );
    assert.match(problems[0]?.message ?? '', /domain/);
    assert.match(problems[1]?.message ?? '', /duplicate name "Fine" \(first at index 0\)/);
    assert.equal(problemsOf(() => parseOrganizationsFile(file('broken.json', '[{"name": '))).length, 1);
    assert.equal(problemsOf(() => parseOrganizationsFile(file('object.json', '{"orgs": []}'))).length, 1);
  });
});

describe('domain names', () => {
  test('normalised: lower case, root dot removed, IDN to A-label', () => {
    assert.deepEqual(parseDomainName(' Example.ORG. '), { ok: true, domain: 'example.org' });
    assert.deepEqual(parseDomainName('München.de'), { ok: true, domain: 'xn--mnchen-3ya.de' });
    assert.deepEqual(parseDomainName('3com.example'), { ok: true, domain: '3com.example' });
  });

  test('rejected: one label, bad characters, hyphen edges, long labels and names, numeric TLD', () => {
    const long = `${`${'a'.repeat(63)}.`.repeat(4)}org`; // 4*64 + 3 = 259 characters
    for (const bad of [
      'localhost',
      'a_b.example',
      '-a.example',
      'a-.example',
      'a..example',
      `${'a'.repeat(64)}.example`,
      long,
      '192.0.2.1',
      'a b.example',
      '*.example.org',
      '',
    ]) {
      const result = parseDomainName(bad);
      assert.equal(result.ok, false, bad);
    }
    assert.equal(parseDomainName(`${'a'.repeat(63)}.example`).ok, true);
  });
});

describe('CSV reader (RFC 4180)', () => {
  test('quotes, doubled quotes, empty fields, line numbers across quoted line breaks', () => {
    assert.deepEqual(parseCsv('a,"b ""q"", c",\r\n"x\r\ny",,""\n\nlast'), [
      { line: 1, fields: ['a', 'b "q", c', ''] },
      { line: 2, fields: ['x\r\ny', '', ''] },
      { line: 5, fields: ['last'] },
    ]);
    assert.throws(() => parseCsv('"a"b'), CsvSyntaxError);
  });
});
