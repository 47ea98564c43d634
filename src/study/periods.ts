/**
 * The study's periods are calendar months (UTC), written `YYYY-MM`. A study compares its first month
 * with its last; `--by month` also reports every month in between. Pure: no clock, no I/O.
 */
import { InvalidInputError } from '../core/names.js';

/** How the periods between `from` and `to` are reported. */
export const PERIOD_MODES = ['span', 'month'] as const;
/** `span`: only the first and the last month; `month`: every month from the first to the last. */
export type PeriodMode = (typeof PERIOD_MODES)[number];

/** One period of a study: a calendar month, as the half-open UTC interval [start, end). */
export interface StudyPeriod {
  /** `YYYY-MM`. */
  period: string;
  /** ISO 8601 UTC, inclusive. */
  start: string;
  /** ISO 8601 UTC, exclusive: the next month's start. */
  end: string;
}

/** The periods of a study. */
export interface StudyPeriods {
  from: string;
  to: string;
  mode: PeriodMode;
  /** In time order; the first is `from` and the last is `to`. */
  periods: StudyPeriod[];
}

/** A study longer than this is almost certainly a typo in a year (2019-09 to 2091-09). */
export const MAX_STUDY_MONTHS = 240;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Months since year 0 of a `YYYY-MM` label; throws InvalidInputError naming `what` when malformed. */
export function monthIndex(label: string, what = 'month'): number {
  const match = MONTH.exec(label);
  if (match === null) throw new InvalidInputError(`${what} "${label}" is not a month: expected YYYY-MM (e.g. 2019-09)`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

/** The `YYYY-MM` label of a month index. */
export function monthLabel(index: number): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The month (`YYYY-MM`, UTC) an ISO 8601 UTC timestamp falls in. */
export function monthOfTimestamp(iso: string): string {
  const month = iso.slice(0, 7);
  monthIndex(month, 'timestamp');
  return month;
}

/** Start of a month as ISO 8601 UTC. */
export function monthStart(label: string): string {
  const index = monthIndex(label);
  const year = Math.floor(index / 12);
  return new Date(Date.UTC(year, index - year * 12, 1)).toISOString();
}

/** A month as a study period. */
export function periodOf(label: string): StudyPeriod {
  return { period: label, start: monthStart(label), end: monthStart(monthLabel(monthIndex(label) + 1)) };
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const first = monthIndex(from, '--from');
  const last = monthIndex(to, '--to');
  if (last <= first) throw new InvalidInputError(`--to ${to} must be a later month than --from ${from}`);
  if (last - first + 1 > MAX_STUDY_MONTHS)
    throw new InvalidInputError(`a study spans at most ${MAX_STUDY_MONTHS} months; ${from} to ${to} is longer`);
  return Array.from({ length: last - first + 1 }, (_, i) => monthLabel(first + i));
}

/** The periods of a study from `from` to `to` (validated). */
export function studyPeriods(from: string, to: string, mode: PeriodMode = 'span'): StudyPeriods {
  const months = monthsBetween(from, to);
  const labels = mode === 'month' ? months : [months[0]!, months[months.length - 1]!];
  return { from, to, mode, periods: labels.map(periodOf) };
}
