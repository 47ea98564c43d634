/**
 * The probe and check contract end to end: a test registry with a fake probe family, a fake probe and
 * fake checks runs through the real scanner and the real store (SQLite). What the fake probe observes is
 * set by the test between scans; the lab only answers the DNS questions every scan asks first.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProbeFamily, ProbeTarget, Registry } from '../../src/core/contract.js';
import { defineProbe, probeRef } from '../../src/core/contract.js';
import { emptyOutcome } from '../../src/core/types.js';
import { defineCheck } from '../../src/checks/define-check.js';
import { dnsFamily } from '../../src/probes/dns/dns-family.js';
import { assertValidRegistry } from '../../src/scanner/registry-validation.js';
import { runScanSession, type PortfolioTarget } from '../../src/scanner/scan-session.js';
import { openStore, type Store } from '../../src/store/database.js';
import type { RunningLab } from '../../src/lab/lab-runner.js';
import { labScanSettings, startTestLab } from '../helpers/lab.js';

type FakeState = 'weak' | 'fixed' | 'unreachable' | 'rogue' | 'caa-unknown';
/** What the fake probe will observe at each domain (the test's world). */
const world = new Map<string, FakeState>();
const probeRuns: string[] = [];

const fakeFamily: ProbeFamily<unknown, { observe(domain: string): FakeState }> = {
  id: 'fake',
  prepare: () => ({ forTarget: () => ({ observe: (domain) => world.get(domain) ?? 'fixed' }) }),
};

const fakeProbe = defineProbe({
  id: 'fake-probe',
  family: 'fake',
  description: 'reads the test world',
  inputs: [],
  run: async (target: ProbeTarget, ctx: { observe(domain: string): FakeState }) => {
    probeRuns.push(target.domain);
    const state = ctx.observe(target.domain);
    if (state === 'unreachable') return { status: 'not_assessed', reason: 'timeout', detail: 'fake server silent' };
    return { status: 'completed', result: { state } };
  },
});

const fakeCaaCheck = defineCheck({
  id: 'fake.caa',
  factor: 'dns_health',
  description: 'weak world: CAA missing; fixed world: CAA present',
  reads: [probeRef<typeof fakeProbe>('fake-probe')],
  findings: ['dns.caa.missing'],
  controls: ['dns.caa.present'],
  judge: (target, [observation]) => {
    const out = emptyOutcome<'dns.caa.missing', 'dns.caa.present'>();
    const asset = { host: target.domain };
    if (observation.state === 'caa-unknown')
      out.notAssessed.push({ check: 'fake.caa', asset, reason: 'no CAA answer' });
    else if (observation.state === 'fixed' || observation.state === 'rogue')
      out.controls.push({ control: 'dns.caa.present', asset, evidence: {} });
    else out.findings.push({ type: 'dns.caa.missing', asset, evidence: { seen: observation.state } });
    return out;
  },
});

const fakeWildcardCheck = defineCheck({
  id: 'fake.wildcard',
  factor: 'dns_health',
  description: 'weak world: wildcard; a rogue world makes it emit an id it did not declare',
  reads: [probeRef<typeof fakeProbe>('fake-probe')],
  findings: ['dns.wildcard'],
  controls: [],
  judge: (target, [observation]) => {
    const out = emptyOutcome<'dns.wildcard', never>();
    const asset = { host: target.domain };
    if (observation.state === 'weak') out.findings.push({ type: 'dns.wildcard', asset, evidence: {} });
    // A bug the compiler cannot see (an id computed at run time): the scanner must refuse it.
    if (observation.state === 'rogue')
      out.findings.push({ type: `dns.${'mx.missing'}` as 'dns.wildcard', asset, evidence: {} });
    return out;
  },
});

const registry: Registry = assertValidRegistry({
  families: [dnsFamily, fakeFamily],
  probes: [fakeProbe],
  checks: [fakeCaaCheck, fakeWildcardCheck],
});

let lab: RunningLab & { home: string };
let store: Store;
let target: PortfolioTarget;

before(async () => {
  lab = await startTestLab(1);
  store = await openStore({ home: lab.home });
  const org = lab.world.truth.organizations[0]!;
  const { organization } = await store.organizations.upsert({
    name: org.name,
    sector: org.sector,
    domains: [org.domain],
    telehealth: org.telehealth,
  });
  target = { domain: org.domain, organization: org.name, organizationId: organization.id };
});

after(async () => {
  await store?.close();
  await lab?.stop();
});

async function scan(state: FakeState, selection: { only?: string[]; skip?: string[] } = {}) {
  world.set(target.domain, state);
  const settings = labScanSettings(lab, { wordlist: null, registry, ...selection });
  try {
    return await runScanSession(store, [target], { ...settings, workers: 4 }, { test: 'contract' });
  } finally {
    await settings.client.close();
  }
}

async function openTypes(): Promise<string[]> {
  const open = await store.findings.listFindings({ organizationId: target.organizationId, status: 'open' });
  return open.map((f) => f.type).sort();
}

describe('a registered fake probe and fake checks', () => {
  test('run, emit findings and controls, and persist them', async () => {
    const session = await scan('weak');
    assert.deepEqual(probeRuns, [target.domain], 'the fake probe ran once for the target');
    assert.equal(session.results[0]?.status, 'scanned');
    assert.deepEqual(session.findings.map((f) => f.type).sort(), ['dns.caa.missing', 'dns.wildcard']);
    assert.deepEqual(session.findings.find((f) => f.type === 'dns.caa.missing')?.evidence, { seen: 'weak' });
    assert.deepEqual(await openTypes(), ['dns.caa.missing', 'dns.wildcard']);
  });

  test('a probe that could not observe makes its checks not assessed, and resolves nothing', async () => {
    const session = await scan('unreachable');
    assert.deepEqual(
      session.results[0]?.outcome.notAssessed.map((n) => [n.check, n.asset.host, n.reason]),
      [
        ['fake.caa', target.domain, 'timeout: fake server silent'],
        ['fake.wildcard', target.domain, 'timeout: fake server silent'],
      ],
    );
    const stored = await store.observations.list({ scanId: session.scanId, kind: 'not_assessed' });
    assert.equal(stored.length, 2);
    assert.deepEqual(await openTypes(), ['dns.caa.missing', 'dns.wildcard']);
  });

  test('a check not assessed on a host keeps its own findings there; the other check resolves', async () => {
    await scan('weak');
    await scan('caa-unknown');
    assert.deepEqual(await openTypes(), ['dns.caa.missing']);
    await scan('weak');
  });

  test('a skipped check resolves nothing; the check that ran resolves its own fixed finding', async () => {
    const session = await scan('fixed', { skip: ['fake.wildcard'] });
    assert.deepEqual(await openTypes(), ['dns.wildcard']);
    const controls = await store.observations.list({ scanId: session.scanId, kind: 'control' });
    assert.deepEqual(
      controls.map((c) => c.probe),
      ['dns.caa.present'],
    );
    const resolved = await store.findings.listFindings({ organizationId: target.organizationId, status: 'resolved' });
    assert.deepEqual(
      resolved.map((f) => f.type),
      ['dns.caa.missing'],
    );
  });

  test('--only the other check resolves its finding', async () => {
    await scan('fixed', { only: ['fake.wildcard'] });
    assert.deepEqual(await openTypes(), []);
  });

  test('a check that emits an id it did not declare fails the target and records nothing', async () => {
    const session = await scan('rogue');
    assert.equal(session.results[0]?.status, 'failed');
    assert.match(session.results[0]?.error ?? '', /check "fake\.wildcard" emitted finding "dns\.mx\.missing"/);
    assert.deepEqual(await openTypes(), []);
  });
});
