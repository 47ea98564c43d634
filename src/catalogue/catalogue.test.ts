import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FACTORS, SEVERITIES } from '../core/types.js';
import {
  CATALOGUE_ID_PATTERN,
  getCatalogue,
  getControlType,
  getFindingType,
  listFindingTypes,
  parseCatalogue,
  renderCatalogue,
} from './catalogue.js';
import { renderIdsModule } from './ids-module.js';
import { CONTROL_IDS, FINDING_IDS } from './ids.js';

/** The repository root: the nearest folder up from this file holding package.json (works from src/ and dist/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 10; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'docs'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('repository root not found');
}

/**
 * The DNS finding and control ids pinned by hand: ids are a contract with users and other tools, so a
 * catalogue edit that drops or renames one fails here (a new id is added to this list on purpose).
 */
const CONTRACT_FINDING_IDS = [
  'dns.spf.missing',
  'dns.spf.multiple_records',
  'dns.spf.syntax_error',
  'dns.spf.permissive_all',
  'dns.spf.softfail_all',
  'dns.spf.too_many_lookups',
  'dns.spf.void_lookups',
  'dns.spf.include_broken',
  'dns.spf.too_many_mx',
  'dns.dmarc.missing',
  'dns.dmarc.policy_none',
  'dns.dmarc.syntax_error',
  'dns.dmarc.partial_pct',
  'dns.dmarc.no_reporting',
  'dns.dkim.not_found',
  'dns.dkim.weak_key',
  'dns.mx.missing',
  'dns.dnssec.unsigned',
  'dns.dnssec.invalid',
  'dns.caa.missing',
  'dns.axfr.open',
  'dns.cname.dangling',
  'dns.wildcard',
  'dns.ns.single',
  'dns.resolver.open',
  'dns.version_disclosed',
];
const CONTRACT_CONTROLS = [
  'dns.spf.hardfail',
  'dns.dmarc.reject',
  'dns.dnssec.valid',
  'dns.caa.present',
  'dns.dkim.strong_key',
];
const DARKWEB_IDS = [
  'darkweb.ransomware_listing',
  'darkweb.phi_exposure',
  'darkweb.access_for_sale',
  'darkweb.data_for_sale',
  'darkweb.credentials_leaked',
  'darkweb.mention',
];

describe('finding catalogue', () => {
  const catalogue = getCatalogue();

  test('ids are unique across findings and controls, and well formed', () => {
    const ids = [...catalogue.findings, ...catalogue.controls].map((e) => e.id);
    assert.equal(
      new Set(ids).size,
      ids.length,
      `duplicate ids: ${ids.filter((id, i) => ids.indexOf(id) !== i).join(', ')}`,
    );
    for (const id of ids) assert.match(id, CATALOGUE_ID_PATTERN);
  });

  test('every factor and severity is one of the fixed lists', () => {
    for (const f of catalogue.findings) {
      assert.ok((FACTORS as readonly string[]).includes(f.factor), `${f.id}: factor ${f.factor}`);
      assert.ok((SEVERITIES as readonly string[]).includes(f.severity), `${f.id}: severity ${f.severity}`);
      assert.ok(f.references.length > 0, `${f.id} has no references`);
    }
  });

  test('dns.* findings are exactly the contract table ids, and the controls are present', () => {
    const dnsIds = catalogue.findings.map((f) => f.id).filter((id) => id.startsWith('dns.'));
    assert.deepEqual([...dnsIds].sort(), [...CONTRACT_FINDING_IDS].sort());
    for (const id of CONTRACT_CONTROLS) assert.equal(getControlType(id).id, id);
  });

  test('the six dark-web ids are there with their severities and factors', () => {
    const expected: Record<string, string> = {
      'darkweb.ransomware_listing': 'critical',
      'darkweb.phi_exposure': 'critical',
      'darkweb.access_for_sale': 'high',
      'darkweb.data_for_sale': 'high',
      'darkweb.credentials_leaked': 'high',
      'darkweb.mention': 'low',
    };
    for (const id of DARKWEB_IDS) {
      const f = getFindingType(id);
      assert.equal(f.severity, expected[id]);
      assert.ok(f.factor === 'hacker_chatter' || f.factor === 'information_leak', `${id}: ${f.factor}`);
    }
  });

  test('severity anchors agree with SecurityScorecard-style ratings', () => {
    const severity = (id: string): string => getFindingType(id).severity;
    assert.equal(severity('dns.resolver.open'), 'high');
    assert.equal(severity('dns.axfr.open'), 'high');
    assert.equal(severity('dns.dnssec.invalid'), 'high');
    assert.equal(severity('dns.spf.missing'), 'medium');
    assert.equal(severity('dns.dmarc.missing'), 'medium');
    assert.equal(severity('dns.spf.softfail_all'), 'low');
    assert.equal(severity('dns.caa.missing'), 'low');
    assert.equal(severity('dns.version_disclosed'), 'low');
  });

  test('getFindingType names the unknown id', () => {
    assert.throws(() => getFindingType('dns.nope'), /unknown finding type "dns\.nope"/);
    assert.throws(() => getControlType('dns.nope'), /unknown control "dns\.nope"/);
  });

  test('listFindingTypes filters by factor', () => {
    const leaks = listFindingTypes({ factor: 'information_leak' }).map((f) => f.id);
    assert.deepEqual(leaks.sort(), ['darkweb.credentials_leaked', 'darkweb.data_for_sale', 'darkweb.phi_exposure']);
    assert.equal(listFindingTypes().length, catalogue.findings.length);
    assert.equal(listFindingTypes({ factor: 'ip_reputation' }).length, 6);
    assert.ok(listFindingTypes({ factor: 'patching_cadence' }).every((f) => f.factor === 'patching_cadence'));
  });

  test('parseCatalogue rejects duplicates, bad ids, bad factors and severities', () => {
    const good = getCatalogue().findings[0]!;
    const reject = (data: unknown, pattern: RegExp): void => assert.throws(() => parseCatalogue(data), pattern);
    reject({ findings: [good, good], controls: [] }, /duplicate id "dns\.spf\.missing"/);
    reject({ findings: [{ ...good, id: 'DNS.Bad' }], controls: [] }, /findings\.0\.id/);
    reject({ findings: [{ ...good, id: 'nodots' }], controls: [] }, /findings\.0\.id/);
    reject({ findings: [{ ...good, factor: 'dns' }], controls: [] }, /findings\.0\.factor/);
    reject({ findings: [{ ...good, severity: 'severe' }], controls: [] }, /findings\.0\.severity/);
    reject({ findings: [{ ...good, references: [{ kind: 'blog', ref: 'x' }] }], controls: [] }, /references/);
    assert.equal(parseCatalogue({ findings: [good], controls: [] }).findings.length, 1);
  });

  test('renderCatalogue json round-trips and table lists every id', () => {
    assert.deepEqual(parseCatalogue(JSON.parse(renderCatalogue('json'))), catalogue);
    const table = renderCatalogue('table');
    for (const e of [...catalogue.findings, ...catalogue.controls]) assert.ok(table.includes(e.id), e.id);
  });

  test('markdown has the banner and a section per finding with severity, remediation and references', () => {
    const md = renderCatalogue('md');
    assert.match(md.split('\n')[0]!, /^<!-- Generated .* run `npm run docs`\. -->$/);
    for (const f of catalogue.findings) {
      const start = md.indexOf(`\n### ${f.id}\n`);
      assert.ok(start >= 0, `no section for ${f.id}`);
      const next = md.slice(start + 1).search(/\n##+ /);
      const section = next === -1 ? md.slice(start) : md.slice(start, start + 1 + next);
      assert.ok(section.includes(`severity: ${f.severity}`), `${f.id}: severity`);
      assert.ok(section.includes('**Remediation.**'), `${f.id}: remediation`);
      assert.ok(section.includes('**References.**'), `${f.id}: references`);
    }
    assert.ok(md.includes('## Hacker chatter (`hacker_chatter`)'));
  });

  test('docs/findings.md is up to date', () => {
    const path = join(repoRoot(), 'docs', 'findings.md');
    const onDisk = existsSync(path) ? readFileSync(path, 'utf8') : '';
    // Trailing whitespace is ignored: `console.log` in the CLI may add a final newline.
    assert.ok(
      onDisk.trimEnd() === renderCatalogue('md').trimEnd(),
      'docs/findings.md is stale: it no longer matches src/catalogue/catalogue.json. Regenerate it with `npm ' +
        'run docs`.',
    );
  });

  test('src/catalogue/ids.ts (the id types checks are compiled against) is up to date', () => {
    const onDisk = readFileSync(join(repoRoot(), 'src', 'catalogue', 'ids.ts'), 'utf8');
    assert.ok(
      onDisk === renderIdsModule(catalogue),
      'src/catalogue/ids.ts is stale: it no longer matches src/catalogue/catalogue.json. Regenerate it with ' +
        '`npm run docs`.',
    );
    assert.deepEqual(
      [...FINDING_IDS],
      catalogue.findings.map((f) => f.id),
    );
    assert.deepEqual(
      [...CONTROL_IDS],
      catalogue.controls.map((c) => c.id),
    );
  });
});
