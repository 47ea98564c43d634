/**
 * `vitals scan --only` / `--skip` as a user meets them: an unknown name is refused with the valid ones,
 * a selected check runs alone, and a check that did not run resolves nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningLab } from '../../src/lab/lab-runner.js';
import { runVitals } from '../helpers/cli.js';
import { startTestLab } from '../helpers/lab.js';

let lab: RunningLab & { home: string };

before(async () => {
  lab = await startTestLab(25);
});

after(async () => {
  await lab?.stop();
});

interface ScanDoc {
  assets: unknown[];
  findings: Array<{ type: string; asset: { host: string } }>;
  checks: Array<{ id: string; finding_types: string[]; targets: number; assets: number; not_assessed: number }>;
}

function labArgs(): string[] {
  return ['--resolver', `${lab.resolverAddress}:${lab.port}`, '--ns-port', String(lab.port), '--allow-private'];
}

/** An organization of the lab with an SPF weakness and a CAA weakness (fixed lab seed). */
function organizationWith(prefixes: string[]) {
  const org = lab.world.truth.organizations.find((o) => {
    const types = lab.world.truth.weaknesses.filter((w) => w.organization === o.name).map((w) => w.type);
    return prefixes.every((p) => types.some((t) => t.startsWith(p)));
  });
  assert.ok(org, `the lab has an organization with ${prefixes.join(' and ')} weaknesses`);
  return org;
}

describe('vitals scan --only / --skip', () => {
  test('an unknown name is refused (exit 2) with the valid names, before anything is stored', async () => {
    const r = await runVitals(['scan', 'clinic.test', '--only', 'dns.spf,dns.spff', ...labArgs()], lab.home);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /unknown name "dns\.spff"/);
    assert.match(
      r.stderr,
      new RegExp(
        'valid factors: dns_health, tls, network_security, ip_reputation, patching_cadence, ' +
          'application_security; probes: discovery, email-auth, dns-infra, dnssec, tls-endpoints, ports, ' +
          'services, ip-reputation, web, software; checks: dns\\.spf',
      ),
    );
    const orgs = await runVitals(['orgs', 'list', '--format', 'json'], lab.home);
    assert.deepEqual(JSON.parse(orgs.stdout), []);
  });

  test('--only runs the named checks alone; a later scan of other checks resolves none of their findings', async () => {
    const org = organizationWith(['dns.spf.', 'dns.caa.']);
    const truth = lab.world.truth.weaknesses.filter((w) => w.organization === org.name);
    const expected = (prefix: string) =>
      truth
        .filter((w) => w.type.startsWith(prefix))
        .map((w) => `${w.type}|${w.host}`)
        .sort();

    // Given: a scan of SPF and DMARC only
    const only = await runVitals(
      ['scan', org.domain, '--only', 'dns.spf', '--only', 'dns.dmarc', '--format', 'json', ...labArgs()],
      lab.home,
    );
    assert.equal(only.code, 0, only.stderr);
    const doc = JSON.parse(only.stdout) as ScanDoc;
    // Then: exactly the lab's SPF and DMARC weaknesses, and no discovery (no assets)
    assert.deepEqual(
      doc.findings.map((f) => `${f.type}|${f.asset.host}`).sort(),
      [...expected('dns.spf.'), ...expected('dns.dmarc.')].sort(),
    );
    assert.deepEqual(doc.assets, []);
    // The output lists the checks that ran, and only those: here on the apex alone.
    assert.deepEqual(
      doc.checks.map((c) => [c.id, c.targets, c.assets, c.not_assessed]),
      [
        ['dns.spf', 1, 1, 0],
        ['dns.dmarc', 1, 1, 0],
      ],
    );
    assert.ok(doc.checks[1]!.finding_types.includes('dns.dmarc.policy_none'));

    // When: the whole dns_health factor runs except SPF and DMARC
    const rest = await runVitals(
      ['scan', org.domain, '--skip', 'dns.spf,dns.dmarc', '--no-wordlist', '--format', 'json', ...labArgs()],
      lab.home,
    );
    assert.equal(rest.code, 0, rest.stderr);
    const restDoc = JSON.parse(rest.stdout) as ScanDoc;
    assert.ok(!restDoc.findings.some((f) => f.type.startsWith('dns.spf.') || f.type.startsWith('dns.dmarc.')));
    assert.ok(restDoc.findings.some((f) => f.type === 'dns.caa.missing'));
    assert.deepEqual(
      restDoc.checks.map((c) => c.id),
      [
        'dns.dkim',
        'dns.mx',
        'dns.caa',
        'dns.wildcard',
        'dns.ns',
        'dns.ns.exposure',
        'dns.cname',
        'dns.dnssec',
        'tls.protocols',
        'tls.ciphers',
        'tls.certificate',
        'net.rdp',
        'net.smb',
        'net.telnet',
        'net.ftp',
        'net.vnc',
        'net.db',
        'net.dicom',
        'net.hl7',
        'net.smtp',
        'net.ssh',
        'net.sip',
        'iprep.feeds',
        'patch.software',
        'app.transport',
        'app.headers',
        'app.cookies',
        'app.content',
        'app.exposure',
      ],
    );
    for (const c of restDoc.checks) assert.ok(c.assets >= restDoc.assets.length, `${c.id}: ${c.assets} assets`);
    // Then: the SPF findings of the first scan are still open (a skipped check resolves nothing)
    const findings = await runVitals(['findings', '--format', 'json'], lab.home);
    const open = (JSON.parse(findings.stdout) as Array<{ type: string; status: string }>)
      .filter((f) => f.type.startsWith('dns.spf.'))
      .map((f) => f.status);
    assert.ok(open.length > 0);
    assert.deepEqual(
      open,
      open.map(() => 'open'),
    );
  });
});
