import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../core/names.js';
import { monthOfTimestamp, monthsBetween, studyPeriods } from './periods.js';

test('a study runs from its first month to its last, across a year end', () => {
  assert.deepEqual(monthsBetween('2019-11', '2020-02'), ['2019-11', '2019-12', '2020-01', '2020-02']);
  assert.deepEqual(
    studyPeriods('2019-09', '2020-04').periods.map((p) => p.period),
    ['2019-09', '2020-04'],
  );
  assert.equal(studyPeriods('2019-09', '2020-04', 'month').periods.length, 8);
  assert.deepEqual(studyPeriods('2019-12', '2020-01').periods[0], {
    period: '2019-12',
    start: '2019-12-01T00:00:00.000Z',
    end: '2020-01-01T00:00:00.000Z',
  });
  assert.equal(monthOfTimestamp('2020-04-30T23:59:59.999Z'), '2020-04');
});

test('bad months are refused with a message naming the option', () => {
  assert.throws(
    () => monthsBetween('2019-13', '2020-04'),
    (e: Error) => e instanceof InvalidInputError && /--from "2019-13"/.test(e.message),
  );
  assert.throws(() => monthsBetween('2019-09', '2020-4'), /--to "2020-4" is not a month/);
  assert.throws(() => monthsBetween('2020-04', '2019-09'), /must be a later month/);
  assert.throws(() => monthsBetween('2020-04', '2020-04'), /must be a later month/);
  assert.throws(() => monthsBetween('1999-01', '2099-01'), /at most 240 months/);
});
