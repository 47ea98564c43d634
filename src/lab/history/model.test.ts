/** The history model: seeded, consistent with the lab's weakness rules, and shaped like the seed study's story. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLabWorld } from '../world/world.js';
import { normalizeWeaknesses, type LabFindingId } from '../world/weaknesses.js';
import { documentCounts, planMonth, scanDate, type HistoryOrganization } from './model.js';
import { monthsBetween } from '../../study/periods.js';

function startingState(orgs: number): HistoryOrganization[] {
  const world = buildLabWorld({ seed: 5, orgs });
  return world.truth.organizations.map((o) => ({
    domain: o.domain,
    telehealth: o.telehealth,
    rolledOut: false,
    weaknesses: normalizeWeaknesses(
      world.truth.weaknesses.filter((w) => w.organization === o.name && w.type.startsWith('dns.')).map((w) => w.type),
    ),
  }));
}

/** Runs the model over the months after the first, returning each month's state. */
function evolve(orgs: HistoryOrganization[], seed: number): Map<string, HistoryOrganization[]> {
  const states = new Map<string, HistoryOrganization[]>();
  let current = orgs;
  for (const month of monthsBetween('2019-09', '2020-04').slice(1)) {
    const plan = planMonth(seed, month, current);
    current = plan.changes.map((c, i) => ({ ...current[i]!, weaknesses: c.after, rolledOut: c.rolledOut }));
    states.set(month, current);
  }
  return states;
}

test('the same seed gives the same history; another seed another one', () => {
  const orgs = startingState(60);
  assert.deepEqual(planMonth(3, '2020-03', orgs), planMonth(3, '2020-03', orgs));
  assert.notDeepEqual(planMonth(3, '2020-03', orgs).changes, planMonth(4, '2020-03', orgs).changes);
  assert.equal(scanDate('2020-02'), '2020-02-15T12:00:00.000Z');
});

test('every proposed set is one the lab accepts, and name-server weaknesses never move', () => {
  const orgs = startingState(120);
  const fixed = new Set<LabFindingId>(['dns.axfr.open', 'dns.resolver.open', 'dns.version_disclosed', 'dns.ns.single']);
  let current = orgs;
  for (const month of monthsBetween('2019-10', '2020-04')) {
    const plan = planMonth(9, month, current);
    for (const change of plan.changes) {
      assert.deepEqual(normalizeWeaknesses(change.after), change.after, `${change.domain} in ${month}: a valid set`);
      for (const type of fixed)
        assert.equal(change.after.includes(type), change.before.includes(type), `${type} stays on ${change.domain}`);
    }
    current = plan.changes.map((c, i) => ({ ...current[i]!, weaknesses: c.after, rolledOut: c.rolledOut }));
  }
});

test('the pandemic story: telehealth rolls out and worsens, the rest fixes its DNS', () => {
  // 400 organizations, averaged over three seeds, so the direction is the model's and not chance.
  const orgs = startingState(400);
  const mean = (list: readonly HistoryOrganization[], telehealth: boolean): number => {
    const group = list.filter((o) => o.telehealth === telehealth);
    return group.reduce((n, o) => n + o.weaknesses.length, 0) / group.length;
  };
  for (const seed of [1, 2, 3]) {
    const states = evolve(orgs, seed);
    const february = states.get('2020-02')!;
    const april = states.get('2020-04')!;
    assert.ok(mean(april, true) > mean(february, true), `seed ${seed}: telehealth has more weaknesses in April`);
    assert.ok(mean(april, false) < mean(february, false), `seed ${seed}: the rest has fewer`);
    const rolledOut =
      april.filter((o) => o.telehealth && o.rolledOut).length / april.filter((o) => o.telehealth).length;
    assert.ok(rolledOut > 0.6, `seed ${seed}: most telehealth organizations rolled out by April (${rolledOut})`);
  }
});

test('dark-web documents: per organization, surging with the pandemic, partly about telehealth', () => {
  const orgs = [{ telehealth: true }, { telehealth: false }, { telehealth: false }, { telehealth: false }];
  assert.deepEqual(documentCounts('2020-02', orgs), { general: 8, telehealth: 0 });
  // 4 x 2 = 8, x 2.5 = 20 in a pandemic month; 40% of them (8) about telehealth organizations.
  assert.deepEqual(documentCounts('2020-03', orgs), { general: 12, telehealth: 8 });
  assert.deepEqual(documentCounts('2020-03', [{ telehealth: false }]), { general: 5, telehealth: 0 });
});
