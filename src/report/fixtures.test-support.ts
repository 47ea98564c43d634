/**
 * Report inputs for tests, in the JSON shapes the commands print (issue #10). The organization names
 * carry markup and quotes on purpose: they come from user files, and a page must show them as text.
 */
import type { Grade } from '../core/score-snapshots.js';
import type { VendorGrade } from '../core/scorecard.js';
import { seededRandom } from '../core/seeded-random.js';
import type { Factor, Severity } from '../core/types.js';
import type { Cohort } from '../study/figures.js';
import { studyPeriods } from '../study/periods.js';
import { StudyAccumulator } from '../study/study.js';
import type { PortfolioView } from './portfolio.js';
import type { ScoreHistoryPoint, ScorecardView } from './scorecard.js';
import type { StudyView } from './study.js';

export const HOSTILE_NAME = `St. Jude's "Clinic" <script>alert(1)</script> & <img src=x onerror=alert(2)>`;

const TELECARE: VendorGrade = {
  organization: 'TeleCare <Inc>',
  telehealth: true,
  score: 64,
  grade: 'D',
  scored_at: '2026-02-20T03:00:00.000Z',
};

export function sampleScorecard(name = HOSTILE_NAME): ScorecardView {
  return {
    organization: name,
    organization_id: '00000000-0000-4000-8000-000000000001',
    as_of: '2026-03-01T12:00:00.000Z',
    method_version: '1.0.0',
    source: 'live',
    snapshot: null,
    score: 71.4,
    grade: 'C',
    assets: 42,
    domains: 3,
    factors: [
      { factor: 'dns_health', score: 58.2, grade: 'F', findings: 7, points_lost: 20.9 },
      { factor: 'tls', score: null, grade: null, findings: 0, points_lost: 0 },
      { factor: 'application_security', score: null, grade: null, findings: 0, points_lost: 0 },
      { factor: 'network_security', score: null, grade: null, findings: 0, points_lost: 0 },
      { factor: 'patching_cadence', score: null, grade: null, findings: 0, points_lost: 0 },
      { factor: 'ip_reputation', score: null, grade: null, findings: 0, points_lost: 0 },
      { factor: 'hacker_chatter', score: 88.5, grade: 'B', findings: 2, points_lost: 5.75 },
      { factor: 'information_leak', score: 95.7, grade: 'A', findings: 1, points_lost: 1.95 },
    ],
    top_issues: [
      {
        type: 'dns.dmarc.missing',
        title: 'No DMARC record',
        factor: 'dns_health',
        severity: 'high',
        findings: 3,
        disputed: 1,
        hosts: ['a.example', 'b.example', 'c.example'],
        points_lost: 11.2,
      },
      {
        type: 'dns.spf.missing',
        title: 'No SPF record',
        factor: 'dns_health',
        severity: 'medium',
        findings: 4,
        disputed: 0,
        hosts: ['a.example', 'b.example', 'c.example', 'd.example', 'e.example'],
        points_lost: 9.7,
      },
      {
        type: 'darkweb.mention.ransomware',
        title: 'Named on a <b>leak</b> site',
        factor: 'hacker_chatter',
        severity: 'high',
        findings: 2,
        disputed: 0,
        hosts: ['a.example'],
        points_lost: 5.75,
      },
      {
        type: 'darkweb.credentials.exposed',
        title: 'Exposed credentials',
        factor: 'information_leak',
        severity: 'medium',
        findings: 1,
        disputed: 0,
        hosts: ['a.example'],
        points_lost: 1.95,
      },
    ],
    plan: [
      step(1, 'dns.dmarc.missing', 'dns_health', 'high', 71.4, 79.9, 'C'),
      step(2, 'dns.spf.missing', 'dns_health', 'medium', 79.9, 88.6, 'B'),
      step(3, 'darkweb.mention.ransomware', 'hacker_chatter', 'high', 88.6, 96.5, 'A'),
      step(4, 'darkweb.credentials.exposed', 'information_leak', 'medium', 96.5, 100, 'A'),
    ],
    findings: [
      finding('f0000001', 'dns.dmarc.missing', 'dns_health', 'high', 'a.example', true, 4.1),
      finding('f0000002', 'dns.dmarc.missing', 'dns_health', 'high', 'b.example', false, 3.9),
      finding('f0000003', 'dns.dmarc.missing', 'dns_health', 'high', 'c.example', false, 3.2),
      finding('f0000004', 'dns.spf.missing', 'dns_health', 'medium', 'a.example', false, 3.1),
      finding('f0000005', 'dns.spf.missing', 'dns_health', 'medium', 'b.example', false, 2.6),
      finding('f0000006', 'dns.spf.missing', 'dns_health', 'medium', 'c.example', false, 2.2),
      finding('f0000007', 'dns.spf.missing', 'dns_health', 'medium', 'd.example', false, 1.8),
      finding('f0000008', 'darkweb.mention.ransomware', 'hacker_chatter', 'high', 'a.example', false, 3.5),
      finding('f0000009', 'darkweb.mention.ransomware', 'hacker_chatter', 'high', 'a.example', false, 2.25),
      finding('f0000010', 'darkweb.credentials.exposed', 'information_leak', 'medium', 'a.example', false, 1.95),
    ],
    disputes: [
      {
        dispute_id: 'd0000001',
        finding_id: 'f0000001',
        type: 'dns.dmarc.missing',
        asset: 'a.example',
        status: 'open',
        reason: 'compensating_control',
        note: 'Mail goes through the <gateway> & is "signed"',
        expires_at: null,
        points_lost: 4.1,
      },
      {
        dispute_id: 'd0000002',
        finding_id: 'f0000099',
        type: 'dns.caa.missing',
        asset: 'old.example',
        status: 'accepted',
        reason: 'not_ours',
        note: 'sold in 2024',
        expires_at: '2026-06-30T00:00:00.000Z',
        points_lost: null,
      },
    ],
    excluded_hosts: ['parked.example'],
    vendors: {
      summary: {
        level: 'elevated',
        vendors: 2,
        rated: 1,
        unrated: 1,
        grades: { A: 0, B: 0, C: 0, D: 1, F: 0 },
        mean_score: 64,
        weakest: TELECARE,
        text: '2 vendors: 1 rated, mean score 64.0; the weakest is TeleCare <Inc> (D)',
      },
      list: [TELECARE, { organization: 'Billing Co', telehealth: false, score: null, grade: null, scored_at: null }],
    },
  };
}

function step(
  n: number,
  type: string,
  factor: Factor,
  severity: Severity,
  before: number,
  after: number,
  grade: Grade,
): ScorecardView['plan'][number] {
  return {
    step: n,
    type,
    title: `Fix ${type}`,
    factor,
    severity,
    findings: 2,
    hosts: ['a.example', 'b.example'],
    score_before: before,
    score_after: after,
    gain: Math.round((after - before) * 10) / 10,
    grade_after: grade,
    remediation: `Remediate ${type} <carefully> & "now"`,
  };
}

function finding(
  id: string,
  type: string,
  factor: Factor,
  severity: Severity,
  asset: string,
  disputed: boolean,
  points: number,
): ScorecardView['findings'][number] {
  return { id, type, factor, severity, asset, disputed, points_lost: points };
}

export function sampleHistory(): ScoreHistoryPoint[] {
  const months = ['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02'];
  const scores = [82.5, 80.1, 76.4, 77.0, 73.2, 71.4];
  return months.map((m, i) => ({
    taken_at: `${m}-15T03:00:00.000Z`,
    score: scores[i]!,
    grade: scores[i]! >= 80 ? 'B' : 'C',
    reason: 'scan',
  }));
}

/**
 * A study report made by the real study arithmetic over a small seeded portfolio: telehealth
 * organizations gain findings between the two months (more with `--by month` in between), DNS findings
 * fall everywhere, one organization is scanned only in the first month, one only in the last.
 */
export function sampleStudy(by: 'span' | 'month' = 'span', cohort?: Cohort): StudyView {
  const random = seededRandom(11);
  const periods = studyPeriods('2019-09', '2020-04', by);
  const accumulator = new StudyAccumulator(periods);
  const months = periods.periods.map((p) => p.period);
  const draw = (mean: number): number => Math.max(0, Math.round(mean * (0.5 + random())));
  for (let o = 0; o < 40; o++) {
    const telehealth = o % 3 === 0;
    const domains = 1 + (o % 4);
    months.forEach((period, m) => {
      if ((o === 38 && m > 0) || (o === 39 && m < months.length - 1)) return;
      const t = m / Math.max(1, months.length - 1);
      accumulator.add({
        organizationId: `org-${o}`,
        telehealth,
        period,
        domainCount: domains,
        factors: {
          dns_health: draw(domains * (4 - 1.5 * t)),
          network_security: draw(domains * (1 + (telehealth ? 1.2 : 0.1) * t)),
          hacker_chatter: draw(0.8 + (telehealth ? 0.6 : 0) * t),
        },
        findingTypes: {
          'dns.spf.missing': draw(domains * (2 - t)),
          'dns.dmarc.missing': draw(domains * (2 - 0.5 * t)),
        },
      });
    });
  }
  return accumulator.finish({ seed: 3, resamples: 400, ...(cohort === undefined ? {} : { cohort }) });
}

/**
 * A portfolio of 13 organizations in the JSON shape of `vitals portfolio`: one with the hostile name,
 * one scored without data for any factor, one never scored.
 */
export function samplePortfolio(): PortfolioView {
  const scores = [94.2, 91.0, 86.5, 84.1, 79.9, 77.3, 72.8, 68.0, 63.5, 55.1, 41.7, null, null];
  const grade = (s: number | null): 'A' | 'B' | 'C' | 'D' | 'F' | null =>
    s === null ? null : s >= 90 ? 'A' : s >= 80 ? 'B' : s >= 70 ? 'C' : s >= 60 ? 'D' : 'F';
  const percentiles = (p10: number, p25: number, p50: number, p75: number, p90: number, mean: number) => ({
    p10,
    p25,
    p50,
    p75,
    p90,
    mean,
  });
  return {
    as_of: '2026-03-01T12:00:00.000Z',
    method_versions: ['1.0.0'],
    filters: { sector: null, cohort: null, vendors_of: null },
    organizations: 13,
    rated: 11,
    not_rated: 1,
    not_scored: 1,
    grade_distribution: { A: 2, B: 2, C: 3, D: 2, F: 2 },
    score: percentiles(48.4, 65.75, 77.3, 88.5, 91.0, 74.0),
    histogram: [
      { from: 0, to: 10, count: 0 },
      { from: 10, to: 20, count: 0 },
      { from: 20, to: 30, count: 0 },
      { from: 30, to: 40, count: 0 },
      { from: 40, to: 50, count: 1 },
      { from: 50, to: 60, count: 1 },
      { from: 60, to: 70, count: 2 },
      { from: 70, to: 80, count: 3 },
      { from: 80, to: 90, count: 2 },
      { from: 90, to: 100, count: 2 },
    ],
    factors: [
      { factor: 'dns_health', rated: 11, ...percentiles(45.2, 58.0, 71.5, 84.0, 93.1, 70.2), mean_points_lost: 21.5 },
      {
        factor: 'tls',
        rated: 0,
        p10: null,
        p25: null,
        p50: null,
        p75: null,
        p90: null,
        mean: null,
        mean_points_lost: null,
      },
      { factor: 'hacker_chatter', rated: 11, ...percentiles(62.0, 80.5, 92.0, 100, 100, 88.0), mean_points_lost: 3.25 },
      { factor: 'information_leak', rated: 11, ...percentiles(70.1, 88.0, 100, 100, 100, 93.0), mean_points_lost: 1.1 },
    ],
    weakest_factors: [
      { factor: 'dns_health', mean_points_lost: 21.5, p50: 71.5 },
      { factor: 'hacker_chatter', mean_points_lost: 3.25, p50: 92.0 },
    ],
    ranked: scores.map((score, i) => ({
      rank: score === null ? null : i + 1,
      organization: i === 4 ? HOSTILE_NAME : `Organization ${String.fromCharCode(65 + i)}`,
      sector: i % 3 === 0 ? 'telehealth' : 'hospital',
      telehealth: i % 3 === 0,
      score,
      grade: grade(score),
      scored_at: i === 12 ? null : '2026-02-27T03:00:00.000Z',
      weakest_factor: score === null ? null : 'dns_health',
    })),
    vendor_risk: null,
  };
}
