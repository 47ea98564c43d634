/**
 * The scanner against the lab, organization by organization: it must report exactly the injected DNS,
 * e-mail and TLS weaknesses of the ground truth and, with the lab's threat feeds imported, exactly the IP
 * reputation listings (precision and recall 1.0), and exactly the good controls.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runScan, type TargetResult } from '../../src/scanner/scan.js';
import { claimCursor, runScanParallel } from '../../src/scanner/parallel-scan.js';
import { startTestLab, labReputation, labScanSettings } from '../helpers/lab.js';
import type { RunningLab } from '../../src/lab/lab-runner.js';
import { LAB_FINDING_IDS } from '../../src/lab/world/weaknesses.js';
import { LAB_TLS_FINDING_IDS } from '../../src/lab/tls/tls-profiles.js';
import { listFindingTypes } from '../../src/catalogue/catalogue.js';
import { NETWORK_LAB_FINDING_IDS } from '../../src/lab/services/plan.js';

const ORGS = 25;

describe(`scanning the lab (${ORGS} organizations)`, () => {
  let lab: RunningLab;
  let results: TargetResult[];
  /** The two-thread scan, run without permutations. */
  let plain: TargetResult[] = [];
  // The lab's feed files imported, as `vitals feeds import` would: the reputation truth is then findable.
  const settings = () => labScanSettings(lab, { reputation: labReputation(lab) });

  before(async () => {
    lab = await startTestLab(ORGS);
    const s = settings();
    // With --permutations: the truth lists hosts only permutations of discovered names reach.
    results = await runScan(
      lab.world.truth.organizations.map((o) => ({ domain: o.domain, organization: o.name })),
      { ...s, permutations: true },
    );
    await s.client.close();
  });
  after(async () => {
    await lab?.stop();
  });

  test('every organization was scanned; only the sites whose HTTPS never completes a handshake are unassessed', () => {
    // The legacy TLS responder answers a ClientHello and nothing more: no page can be fetched there, so the
    // web checks are not assessed on exactly those hosts (src/lab/world/web-sites.ts, webUnassessableHosts).
    const unassessed = new Set<string>();
    for (const r of results) {
      assert.equal(r.status, 'scanned', `${r.target.domain}: ${r.error ?? ''}`);
      for (const n of r.outcome.notAssessed) {
        assert.ok(n.check.startsWith('app.'), `${r.target.domain}: ${n.check} not assessed: ${n.reason}`);
        unassessed.add(`${r.target.organization}|${n.asset.host}`);
      }
    }
    assert.deepEqual([...unassessed].sort(), [...lab.world.webUnassessable].sort());
  });

  test('findings match the ground truth exactly: precision and recall 1.0', () => {
    const planted = [...lab.world.truth.weaknesses, ...lab.world.truth.reputation];
    const expected = new Set(planted.map((w) => `${w.organization} | ${w.type} | ${w.host}`));
    const reported = new Set(
      results.flatMap((r) => r.outcome.findings.map((f) => `${r.target.organization} | ${f.type} | ${f.asset.host}`)),
    );
    const truePositives = [...reported].filter((k) => expected.has(k));
    const falsePositives = [...reported].filter((k) => !expected.has(k));
    const missed = [...expected].filter((k) => !reported.has(k));
    const precision = reported.size === 0 ? 0 : truePositives.length / reported.size;
    const recall = expected.size === 0 ? 0 : truePositives.length / expected.size;
    console.log(
      `lab ${ORGS} orgs: ${expected.size} injected weaknesses, ${reported.size} reported, precision ` +
        `${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
    );
    assert.deepEqual({ falsePositives, missed }, { falsePositives: [], missed: [] });
    assert.equal(precision, 1);
    assert.equal(recall, 1);
  });

  test(
    'every finding type the lab plants (the DNS catalogue, src/lab/world/weaknesses.ts; every TLS finding, ' +
      'src/lab/tls/tls-profiles.ts; network: src/lab/services/plan.ts; every patching finding, from BIND ' +
      'versions, service banners and web sites; every IP reputation category) occurs and is found',
    () => {
      const found = new Set(results.flatMap((r) => r.outcome.findings.map((f) => f.type)));
      const injected = new Set(lab.world.truth.weaknesses.map((w) => w.type));
      const listed = new Set(lab.world.truth.reputation.map((w) => w.type));
      assert.deepEqual([...found].sort(), [...injected, ...listed].sort());
      // Patching findings come with disclosed BIND versions (src/lab/world/variant.ts), service banners
      // (src/lab/services/plan.ts) and web sites' headers and scripts (src/lab/world/web-sites.ts): every id.
      const patching = listFindingTypes({ factor: 'patching_cadence' }).map((f) => f.id);
      const application = listFindingTypes({ factor: 'application_security' }).map((f) => f.id);
      assert.deepEqual(
        [...injected].sort(),
        [...LAB_FINDING_IDS, ...LAB_TLS_FINDING_IDS, ...NETWORK_LAB_FINDING_IDS, ...patching, ...application].sort(),
      );
      assert.deepEqual(
        [...LAB_TLS_FINDING_IDS],
        listFindingTypes({ factor: 'tls' })
          .map((f) => f.id)
          .sort(),
      );
      assert.deepEqual(
        [...listed].sort(),
        listFindingTypes({ factor: 'ip_reputation' })
          .map((f) => f.id)
          .sort(),
      );
    },
  );

  test('TLS findings land on the endpoint the truth names (host, address and port)', () => {
    const port = (standard: number | undefined) =>
      standard === 443 ? lab.tls.ports.https : standard === 8443 ? lab.tls.ports.alt : standard;
    const expected = new Set(
      lab.world.truth.weaknesses
        .filter((w) => w.type.startsWith('tls.'))
        .map((w) => `${w.type} ${w.host} ${w.ip} ${port(w.port)}`),
    );
    const reported = new Set(
      results.flatMap((r) =>
        r.outcome.findings
          .filter((f) => f.type.startsWith('tls.'))
          .map((f) => `${f.type} ${f.asset.host} ${f.asset.ip} ${f.asset.port}`),
      ),
    );
    assert.deepEqual([...reported].sort(), [...expected].sort());
  });

  test('IP reputation evidence names the lab feed and the dates it lists', () => {
    for (const w of lab.world.truth.reputation) {
      const result = results.find((r) => r.target.organization === w.organization)!;
      const finding = result.outcome.findings.find((f) => f.type === w.type && f.asset.host === w.host)!;
      assert.deepEqual(
        finding.evidence['feeds'],
        (w.evidence['feeds'] as string[]).map((f) => f.replace(/\.[a-z]+$/, '')),
      );
      const [first, last] = [String(finding.evidence['first_listed']), String(finding.evidence['last_listed'])];
      assert.ok(first <= last, `${first} after ${last}`);
      // Feodo, URLhaus and Tor's exit-addresses carry the lab's dates; plain lists are dated at import.
      if (['iprep.botnet', 'iprep.malware', 'iprep.tor_exit'].includes(w.type)) assert.match(first, /^2025-/, w.type);
    }
  });

  test('good controls are recorded exactly, and no finding lands on a good control', () => {
    const expected = new Set(lab.world.truth.controls.map((c) => `${c.organization} | ${c.control} | ${c.host}`));
    const reported = new Set(
      results.flatMap((r) =>
        r.outcome.controls.map((c) => `${r.target.organization} | ${c.control} | ${c.asset.host}`),
      ),
    );
    assert.deepEqual(
      {
        unexpected: [...reported].filter((k) => !expected.has(k)),
        missing: [...expected].filter((k) => !reported.has(k)),
      },
      { unexpected: [], missing: [] },
    );
  });

  test(
    'a scan on two threads reports exactly what one thread reports, in target order (permutations ' + 'aside)',
    async () => {
      const s = settings();
      let callbacks = 0;
      const parallel = await runScanParallel(
        lab.world.truth.organizations.map((o) => ({ domain: o.domain, organization: o.name })),
        { ...s, onTargetDone: () => callbacks++ },
        2,
      );
      await s.client.close();
      assert.equal(callbacks, results.length);
      plain = parallel;
      const key = (r: TargetResult) =>
        `${r.target.domain} ${r.status} ${r.outcome.findings
          .map((f) => `${f.type}@${f.asset.host}`)
          .sort()
          .join(',')} ${r.outcome.controls.length}`;
      assert.deepEqual(parallel.map(key), results.map(key));
    },
  );

  test('scans sharing a claim cursor (as scan threads do) scan every target once between them', async () => {
    const targets = lab.world.truth.organizations.slice(0, 6).map((o) => ({ domain: o.domain, organization: o.name }));
    const cursor = claimCursor();
    const [s1, s2] = [settings(), settings()];
    const [first, second] = await Promise.all([
      runScan(targets, { ...s1, concurrency: 2 }, cursor.claim),
      runScan(targets, { ...s2, concurrency: 2 }, cursor.claim),
    ]);
    await Promise.all([s1.client.close(), s2.client.close()]);
    targets.forEach((t, i) => {
      const taken = [first[i], second[i]].filter((r) => r !== undefined);
      assert.equal(taken.length, 1, `${t.domain}: scanned ${taken.length} times`);
      assert.equal(taken[0]!.target.domain, t.domain);
    });
    assert.ok(first.some((r) => r !== undefined) && second.some((r) => r !== undefined), 'both took a share');
  });

  test('discovery finds every host the lab says is discoverable', () => {
    for (const org of lab.world.truth.organizations) {
      const result = results.find((r) => r.target.domain === org.domain)!;
      const hosts = new Set(result.discovery!.assets.map((a) => a.host));
      for (const host of org.hosts) {
        assert.ok(
          hosts.has(host.host),
          `${org.domain}: ${host.host} (discoverable by ${host.discoverableBy.join(', ')}) was not discovered`,
        );
      }
    }
  });

  test('permutations find the hosts only they reach, are recorded as such, and are skipped under a wildcard', () => {
    let permutationOnly = 0;
    for (const org of lab.world.truth.organizations) {
      const withPermutations = results.find((r) => r.target.domain === org.domain)!.discovery!;
      const without = plain.find((r) => r.target.domain === org.domain)!.discovery!;
      const wildcard = lab.world.truth.weaknesses.some((w) => w.organization === org.name && w.type === 'dns.wildcard');
      assert.deepEqual(
        withPermutations.permutations?.skipped,
        wildcard ? 'the zone has a wildcard' : null,
        `${org.domain}: ${JSON.stringify(withPermutations.permutations)}`,
      );
      assert.equal(without.permutations, undefined);
      const plainHosts = new Set(without.assets.map((a) => a.host));
      for (const host of org.hosts) {
        const only = host.discoverableBy.length === 1 && host.discoverableBy[0] === 'permutation';
        if (only) permutationOnly++;
        assert.equal(plainHosts.has(host.host), !only, `${host.host} (${host.discoverableBy.join(', ')})`);
        const asset = withPermutations.assets.find((a) => a.host === host.host)!;
        if (only) assert.deepEqual(asset.discoveredBy, ['permutation'], host.host);
      }
    }
    assert.ok(permutationOnly > 0, 'the lab has hosts only permutations find');
  });
});
