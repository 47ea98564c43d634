/** `vitals spf check` against a DNS server on loopback: the result, explanation and trace a user reads. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../darkweb/ingest/test-support.js';
import {
  parseZoneData,
  startZoneDataServer,
  type ZoneDataServer,
} from '../../email-auth/spf-evaluator/zone-data-server.test-support.js';

let server: ZoneDataServer;
let resolver: string;
const home = mkdtempSync(join(tmpdir(), 'vitals-spf-'));

before(async () => {
  server = await startZoneDataServer(
    '127.72.9.1',
    parseZoneData({
      'clinic.test': [{ TXT: 'v=spf1 include:_spf.mailhost.test -all exp=why.clinic.test' }],
      '_spf.mailhost.test': [{ TXT: 'v=spf1 ip4:192.0.2.0/24 ~all' }],
      'why.clinic.test': [{ TXT: '%{i} may not send mail for %{d}' }],
    }),
  );
  resolver = `${server.address}:${server.port}`;
});
after(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

test('an authorized address passes through the include, with the include in the trace', async () => {
  const r = await runCli(
    ['spf', 'check', 'clinic.test', '--ip', '192.0.2.10', '--resolver', resolver, '--format', 'json'],
    home,
  );
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.result, 'pass');
  assert.equal(out.lookups, 1);
  const include = out.trace.find((s: { term: string }) => s.term === 'include:_spf.mailhost.test');
  assert.equal(include.outcome, 'match');
  assert.ok(out.trace.some((s: { queries: string[] }) => s.queries.includes('TXT _spf.mailhost.test')));
});

test('an outside address fails with the expanded exp= explanation; the table shows it', async () => {
  const json = await runCli(
    ['spf', 'check', 'clinic.test', '--ip', '198.51.100.7', '--resolver', resolver, '--format', 'json'],
    home,
  );
  const out = JSON.parse(json.stdout);
  assert.equal(out.result, 'fail');
  assert.equal(out.explanation, '198.51.100.7 may not send mail for clinic.test');
  const table = await runCli(['spf', 'check', 'clinic.test', '--ip', '198.51.100.7', '--resolver', resolver], home);
  assert.match(table.stdout, /^result: +fail$/m);
  assert.match(table.stdout, /explanation: 198\.51\.100\.7 may not send mail for clinic\.test/);
});

test('bad input is one clear line and exit 2', async () => {
  const r = await runCli(['spf', 'check', 'clinic.test', '--ip', '300.1.1.1', '--resolver', resolver], home);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--ip must be an IPv4 or IPv6 address/);
});
