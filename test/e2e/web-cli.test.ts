/**
 * `vitals web URL` against the lab: the JSON holds to its schema (WebReportOutput), the findings are the
 * ground truth's for that host, and the Observatory-method grade is there; SARIF too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningLab } from '../../src/lab/lab-runner.js';
import { SarifLogOutput, WebReportOutput } from '../../src/output/schemas.js';
import { startTestLab } from '../helpers/lab.js';
import { runVitals } from '../helpers/cli.js';

let lab: RunningLab & { home: string };
before(async () => {
  lab = await startTestLab(3);
});
after(async () => {
  await lab?.stop();
});

/** A host of the lab's weak HTTPS site, and the truth's findings there. */
function weakSite(): { host: string; expected: string[] } {
  const site = lab.world.webSites.find((s) => s.template === 'weak-https')!;
  const org = lab.world.truth.organizations.find((o) => o.name === site.organization)!;
  const host = org.hosts.find((h) => h.addresses.includes(site.address))!.host;
  const expected = lab.world.truth.weaknesses
    .filter((w) => w.organization === org.name && w.host === host && w.type.startsWith('app.'))
    .map((w) => w.type)
    .sort();
  return { host, expected };
}

test('--format json: the schema, the truth of the host (its HTTPS port only), a grade', async () => {
  const { host, expected } = weakSite();
  const args = ['--resolver', `${lab.resolverAddress}:${lab.port}`, '--allow-private'];
  const run = await runVitals(['web', `https://${host}:${lab.webPorts.https}/`, ...args, '--format', 'json'], lab.home);
  assert.equal(run.code, 0, run.stderr);
  const report = WebReportOutput.parse(JSON.parse(run.stdout));
  assert.deepEqual(
    report.endpoints.map((e) => [e.scheme, e.state]),
    [['https', 'answered']],
  );
  // Only the HTTPS port was fetched: HTTP enforcement is the one finding it cannot see.
  assert.deepEqual(
    [...new Set(report.findings.map((f) => f.type))].sort(),
    expected.filter((t) => t !== 'app.https.not_enforced'),
  );
  assert.equal(report.header_grade?.grade, 'F');
  const sarif = await runVitals(
    ['web', `https://${host}:${lab.webPorts.https}/`, ...args, '--format', 'sarif'],
    lab.home,
  );
  assert.equal(sarif.code, 0, sarif.stderr);
  assert.equal(SarifLogOutput.safeParse(JSON.parse(sarif.stdout)).success, true);
});

test('a name that does not resolve is a clear error, exit 2', async () => {
  const run = await runVitals(
    ['web', 'no-such-host.example-lab.test', '--resolver', `${lab.resolverAddress}:${lab.port}`, '--allow-private'],
    lab.home,
  );
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /no-such-host\.example-lab\.test has no address/);
});
