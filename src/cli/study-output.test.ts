/** The study's terminal table and CSV: what a reader sees matches the JSON figures, and the CSV holds every one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../store/csv.js';
import { studyPeriods } from '../study/periods.js';
import { StudyAccumulator } from '../study/study.js';
import type { StudyReport } from '../study/figures.js';
import {
  formatChange,
  formatInterval,
  renderHeadline,
  renderStudy,
  STUDY_CSV_COLUMNS,
  writeStudyCsv,
} from './study-output.js';

function report(): StudyReport {
  const accumulator = new StudyAccumulator(studyPeriods('2019-09', '2020-04', 'month'));
  // Telehealth T: 2 -> 4 DNS findings on one domain (+100%); the rest R1, R2: 4 -> 2 on two domains each.
  const add = (id: string, telehealth: boolean, period: string, domains: number, dns: number) =>
    accumulator.add({
      organizationId: id,
      telehealth,
      period,
      domainCount: domains,
      factors: { dns_health: dns },
      findingTypes: { 'dns.spf.missing': dns },
    });
  add('T', true, '2019-09', 1, 2);
  add('T', true, '2020-04', 1, 4);
  add('R1', false, '2019-09', 2, 4);
  add('R1', false, '2020-04', 2, 2);
  add('R2', false, '2019-09', 2, 4);
  add('R2', false, '2020-04', 2, 2);
  const r = accumulator.finish({ resamples: 200 });
  r.darkweb = {
    mentions: [{ month: '2020-03', class: 'ransomware_listing', cohort: 'all', mentions: 3, organizations: 2 }],
    undated_rule: 'x',
  };
  return r;
}

test('the headline table shows each factor and cohort with its change, interval and direction', () => {
  const r = report();
  const text = renderHeadline(r);
  // Telehealth: per domain 2 -> 4, +100%; every resample of one organization gives +100%.
  assert.match(text, /dns_health\s+telehealth\s+1\s+2\.000\s+4\.000\s+\+100\.0%\s+\[\+100\.0, \+100\.0\]\s+declined/);
  // The rest: per domain 2 -> 1, -50%, identical organizations, so the interval is the point.
  assert.match(text, /dns_health\s+non_telehealth\s+2\s+2\.000\s+1\.000\s+-50\.0%\s+\[-50\.0, -50\.0\]\s+improved/);
  assert.match(text, /3 organizations with data in both/);
  const full = renderStudy(r);
  assert.match(full, /By finding type:/);
  assert.match(full, /month by month/);
  assert.match(full, /2020-03\s+ransomware_listing\s+all\s+3\s+2/);
  assert.equal(formatChange(null), '-');
  assert.equal(
    formatInterval({
      first: 0,
      last: 1,
      change_pct: null,
      ci_low: null,
      ci_high: null,
      direction: 'insufficient_data',
    }),
    '-',
  );
  assert.equal(
    formatInterval({ first: 1, last: 9, change_pct: 800, ci_low: 12.34, ci_high: null, direction: 'declined' }),
    '[+12.3, +inf]',
  );
});

test('the CSV is RFC 4180 with one figure per row, and holds every change figure of the JSON', () => {
  const r = report();
  let csv = '';
  writeStudyCsv(r, (text) => {
    csv += text;
  });
  const records = parseCsv(csv);
  assert.deepEqual(records[0]!.fields, [...STUDY_CSV_COLUMNS]);
  const rows = records.slice(1).map((rec) => Object.fromEntries(STUDY_CSV_COLUMNS.map((c, i) => [c, rec.fields[i]])));
  for (const row of rows) assert.equal(Object.keys(row).length, STUDY_CSV_COLUMNS.length);
  for (const f of r.factors) {
    const value = (measure: string) =>
      rows.find(
        (x) => x.section === 'factor_change' && x.cohort === f.cohort && x.factor === f.factor && x.measure === measure,
      )?.value;
    assert.equal(value('per_domain_change_pct'), f.change_pct === null ? '' : String(f.change_pct));
    assert.equal(value('per_domain_direction'), f.direction);
    assert.equal(value('per_organization_first'), String(f.per_organization.first));
  }
  // The series: every month of --by month, for each cohort.
  const series = rows.filter(
    (x) => x.section === 'factor_series' && x.factor === 'dns_health' && x.measure === 'findings_per_domain',
  );
  assert.equal(series.length, 8 * 3);
  assert.ok(rows.some((x) => x.section === 'darkweb' && x.class === 'ransomware_listing' && x.value === '3'));
});
