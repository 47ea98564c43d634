/**
 * The scan output's list of checks (docs/scan-output.md, `checks`), from a real scan against a DNS server
 * on loopback that answers everything but CAA: every check that ran is listed with what it covered, and
 * the one whose look-up failed says on how many hosts it could not assess.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDnsClient } from '../net/dns/dns-client.js';
import {
  CLINIC_APEX as APEX,
  respond,
  startClinicResolver,
  type ScriptedServer,
} from '../probes/dns/dns-infra.test-helpers.js';
import { REGISTRY } from './registry.js';
import { checksToJson } from './report.js';
import { runScan, type TargetResult } from './scan.js';

let server: ScriptedServer;
let results: TargetResult[];

before(async () => {
  server = await startClinicResolver((name, type, q) => {
    if (type === 'CAA') return respond(q, { rcode: 'SERVFAIL', ra: true });
    if (name === '.' || name === '') return respond(q, { rcode: 'REFUSED' });
    return undefined;
  });
  const client = createDnsClient();
  results = await runScan([{ domain: APEX, organization: 'Clinic' }], {
    client,
    resolver: { address: server.address, port: server.port },
    nameServerPort: server.port,
    trustAnchors: [],
    allowPrivate: true,
    concurrency: 1,
    timeoutMs: 500,
    retries: 0,
    wordlist: ['www'],
    ctNames: [],
  });
  await client.close();
});

after(async () => {
  await server?.close();
});

test('every check that ran is listed in report order, with its finding types, targets and assets', () => {
  assert.equal(results[0]?.status, 'scanned', results[0]?.error);
  const checks = checksToJson(results);
  assert.deepEqual(
    checks.map((c) => c.id),
    REGISTRY.checks.map((c) => c.id),
  );
  const caa = checks.find((c) => c.id === 'dns.caa')!;
  assert.deepEqual(caa.finding_types, ['dns.caa.missing']);
  // Covered: the apex, www and ns1 (both discovered).
  const spf = checks.find((c) => c.id === 'dns.spf')!;
  assert.deepEqual(
    { targets: spf.targets, assets: spf.assets, not_assessed: spf.not_assessed },
    {
      targets: 1,
      assets: 3,
      not_assessed: 0,
    },
  );
  // CAA could not be looked up: not assessed at the apex, judged nowhere else.
  assert.deepEqual(
    { targets: caa.targets, assets: caa.assets, not_assessed: caa.not_assessed },
    {
      targets: 1,
      assets: 2,
      not_assessed: 1,
    },
  );
});

test('a target that was not scanned adds nothing', () => {
  const refused: TargetResult = { ...results[0]!, status: 'refused' };
  assert.deepEqual(checksToJson([refused]), []);
});
