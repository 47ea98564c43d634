/**
 * The scan output's list of checks (docs/scan-output.md, `checks`), from a real scan against a DNS server
 * on loopback that answers everything but CAA: every check that ran is listed with what it covered, and
 * the one whose look-up failed says on how many hosts it could not assess.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { createDnsClient } from '../net/dns/dns-client.js';
import {
  randomLoopbackNet,
  recordTable,
  resolveInTable,
  respond,
  startScriptedServer,
  type ScriptedServer,
} from '../probes/dns/dns-infra.test-helpers.js';
import { REGISTRY } from './registry.js';
import { checksToJson } from './report.js';
import { runScan, type TargetResult } from './scan.js';

const APEX = 'clinic.test';
const { x, y } = randomLoopbackNet();
const SERVER = `127.${x}.${y}.53`;
const TABLE = recordTable([
  { type: 'SOA', name: APEX, ttl: 60, data: { mname: `ns1.${APEX}`, rname: `hostmaster.${APEX}`, serial: 1 } },
  { type: 'NS', name: APEX, ttl: 60, data: `ns1.${APEX}` },
  { type: 'A', name: `ns1.${APEX}`, ttl: 60, data: SERVER },
  { type: 'A', name: APEX, ttl: 60, data: `127.${x}.${y}.80` },
  { type: 'A', name: `www.${APEX}`, ttl: 60, data: `127.${x}.${y}.80` },
] satisfies Answer[]);

let server: ScriptedServer;
let results: TargetResult[];

before(async () => {
  server = await startScriptedServer(SERVER, 0, (q) => {
    const question = q.questions?.[0];
    if (!question) return null;
    if (question.type === 'AXFR') return respond(q, { rcode: 'REFUSED' });
    if (question.type === 'CAA') return respond(q, { rcode: 'SERVFAIL', ra: true });
    if (question.name === '.' || question.class !== 'IN') return respond(q, { rcode: 'REFUSED' });
    return respond(q, { ...resolveInTable(TABLE, question.name, question.type)!, ra: true });
  });
  const client = createDnsClient();
  results = await runScan([{ domain: APEX, organization: 'Clinic' }], {
    client,
    resolver: { address: SERVER, port: server.port },
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
