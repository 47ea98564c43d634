import { MIGRATIONS } from './migrations/migrator.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { openStore, SQLITE_FILE_NAME } from './database.js';
import type { Store } from './database.js';
import { StoreError } from './errors.js';
import { testDialects } from './test-dialects.js';
import type { FindingInput } from '../core/finding.js';
import type { OrganizationInput } from '../core/organization.js';

const dialects = testDialects('store');

const T1 = '2025-01-01T10:00:00.000Z';
const T2 = '2025-01-08T10:00:00.000Z';
const T3 = '2025-01-15T10:00:00.000Z';

function org(name: string, overrides: Partial<OrganizationInput> = {}): OrganizationInput {
  return {
    name,
    sector: 'hospital',
    domains: [`${name.toLowerCase().replace(/\W+/g, '')}.example`],
    telehealth: false,
    ...overrides,
  };
}

for (const dialect of dialects) {
  describe(`store on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
    });
    after(async () => {
      await store?.close();
      await dialect.dispose();
    });

    test('migrations are applied once and reopening is a no-op', async () => {
      assert.deepEqual(await store.appliedMigrations(), Object.keys(MIGRATIONS));
      const again = await dialect.open();
      try {
        assert.deepEqual(await again.appliedMigrations(), Object.keys(MIGRATIONS));
        assert.equal(again.dialect, dialect.name === 'SQLite' ? 'sqlite' : 'postgres');
      } finally {
        await again.close();
      }
    });

    test('organization upsert: created, then unchanged, then updated; lookups by name and alias', async () => {
      const batch = [
        org('Upsert General', { aliases: ['UGH'], tags: ['east'], telehealth: true }),
        org('Upsert Clinic', { sector: 'clinic', domains: ['clinic.example', 'clinic-portal.example'] }),
      ];
      assert.deepEqual(await store.organizations.upsertMany(batch), { created: 2, updated: 0, unchanged: 0 });
      assert.deepEqual(await store.organizations.upsertMany(batch), { created: 0, updated: 0, unchanged: 2 });
      const changed = [batch[0]!, { ...batch[1]!, domains: ['clinic.example'] }];
      assert.deepEqual(await store.organizations.upsertMany(changed), { created: 0, updated: 1, unchanged: 1 });

      const clinic = await store.organizations.getByName('upsert CLINIC');
      assert.ok(clinic);
      assert.deepEqual(clinic.domains, ['clinic.example']);
      assert.equal(clinic.sector, 'clinic');
      const general = await store.organizations.findByNameOrAlias('ugh');
      assert.equal(general?.name, 'Upsert General');
      assert.equal(general?.telehealth, true);
      assert.deepEqual(general?.tags, ['east']);
      assert.equal((await store.organizations.list()).filter((o) => o.name.startsWith('Upsert ')).length, 2);
    });

    test('finding lifecycle: seen again, resolved, uncovered hosts untouched, reopened', async () => {
      const { organization } = await store.organizations.upsert(org('Lifecycle Health'));
      const id = organization.id;
      const finding = (
        type: string,
        host: string,
        observedAt: string,
        evidence: Record<string, unknown> = {},
        port?: number,
      ): FindingInput => ({
        organizationId: id,
        type,
        factor: 'tls',
        severity: 'high',
        asset: port === undefined ? { host } : { host, port },
        evidence,
        observedAt,
      });

      const scan1 = await store.scans.create({ scope: { organizations: [id] }, startedAt: T1 });
      const first = await store.findings.recordScanResults(
        scan1.id,
        [{ organizationId: id, assetHosts: ['a.example', 'b.example', 'c.example'] }],
        [
          finding('tls.cert.expired', 'a.example', T1, { days: 1 }, 443),
          finding('tls.cert.expired', 'a.example', T1, { days: 1 }, 8443),
          finding('tls.protocol.tls10', 'b.example', T1),
          finding('tls.protocol.tls10', 'c.example', T1),
        ],
        { resolvedAt: T1 },
      );
      assert.deepEqual(first, { created: 4, seenAgain: 0, reopened: 0, resolved: 0 });

      // Scan 2 covers a and b only: a:443 seen again (with an uppercase host), a:8443 and b gone, c not covered.
      const scan2 = await store.scans.create({ scope: {}, startedAt: T2 });
      const second = await store.findings.recordScanResults(
        scan2.id,
        [{ organizationId: id, assetHosts: ['A.example.', 'b.example'] }],
        [finding('tls.cert.expired', 'A.EXAMPLE', T2, { days: 8 }, 443)],
        { resolvedAt: T2 },
      );
      assert.deepEqual(second, { created: 0, seenAgain: 1, reopened: 0, resolved: 2 });

      const byKey = async () => {
        const all = await store.findings.listFindings({ organizationId: id });
        return new Map(all.map((f) => [`${f.type}@${f.asset.host}:${f.asset.port ?? ''}`, f]));
      };
      let now = await byKey();
      const seenAgain = now.get('tls.cert.expired@a.example:443');
      assert.equal(seenAgain?.status, 'open');
      assert.equal(seenAgain?.firstSeen, T1);
      assert.equal(seenAgain?.lastSeen, T2);
      assert.deepEqual(seenAgain?.evidence, { days: 8 });
      assert.equal(seenAgain?.lastScanId, scan2.id);
      for (const gone of ['tls.cert.expired@a.example:8443', 'tls.protocol.tls10@b.example:']) {
        assert.equal(now.get(gone)?.status, 'resolved', gone);
        assert.equal(now.get(gone)?.resolvedAt, T2, gone);
        assert.equal(now.get(gone)?.lastSeen, T1, gone);
        assert.equal(now.get(gone)?.lastScanId, scan1.id, gone);
      }
      const uncovered = now.get('tls.protocol.tls10@c.example:');
      assert.equal(uncovered?.status, 'open');
      assert.equal(uncovered?.lastSeen, T1);
      assert.equal(uncovered?.lastScanId, scan1.id);

      // Scan 3: b's finding comes back.
      const scan3 = await store.scans.create({ scope: {}, startedAt: T3 });
      const third = await store.findings.recordScanResults(
        scan3.id,
        [{ organizationId: id, assetHosts: ['b.example'] }],
        [finding('tls.protocol.tls10', 'b.example', T3, { again: true })],
        { resolvedAt: T3 },
      );
      assert.deepEqual(third, { created: 0, seenAgain: 0, reopened: 1, resolved: 0 });
      now = await byKey();
      const reopened = now.get('tls.protocol.tls10@b.example:');
      assert.equal(reopened?.status, 'open');
      assert.equal(reopened?.firstSeen, T1);
      assert.equal(reopened?.lastSeen, T3);
      assert.equal(reopened?.resolvedAt, null);
      assert.equal(reopened?.reopenCount, 1);
      assert.equal(now.size, 4);
    });

    test('a covered host whose check could not run keeps its findings open', async () => {
      const { organization } = await store.organizations.upsert(org('Gap Clinic'));
      const scan1 = await store.scans.create({ scope: {}, startedAt: T1 });
      const base = {
        organizationId: organization.id,
        factor: 'dns_health',
        severity: 'medium',
        evidence: {},
        observedAt: T1,
      } as const;
      await store.findings.recordScanResults(
        scan1.id,
        [],
        [
          { ...base, type: 'dns.spf.missing', asset: { host: 'gap.example' } },
          { ...base, type: 'dns.dmarc.missing', asset: { host: 'gap.example' } },
        ],
      );
      const scan2 = await store.scans.create({ scope: {}, startedAt: T2 });
      const summary = await store.findings.recordScanResults(
        scan2.id,
        [
          {
            organizationId: organization.id,
            assetHosts: ['gap.example'],
            notAssessed: [{ host: 'gap.example', types: ['dns.spf.missing'] }],
          },
        ],
        [],
        { resolvedAt: T2 },
      );
      assert.equal(summary.resolved, 1);
      const status = Object.fromEntries(
        (await store.findings.listFindings({ organizationId: organization.id })).map((f) => [f.type, f.status]),
      );
      assert.deepEqual(status, { 'dns.spf.missing': 'open', 'dns.dmarc.missing': 'resolved' });
    });

    test('listFindings filters by organization, factor, severity and status, most severe first', async () => {
      const a = (await store.organizations.upsert(org('Filter One'))).organization.id;
      const b = (await store.organizations.upsert(org('Filter Two'))).organization.id;
      const scan = await store.scans.create({ scope: {}, startedAt: T1 });
      const row = (
        organizationId: string,
        type: string,
        factor: FindingInput['factor'],
        severity: FindingInput['severity'],
        host: string,
      ): FindingInput => ({
        organizationId,
        type,
        factor,
        severity,
        asset: { host },
        evidence: { host },
        observedAt: T1,
      });
      await store.findings.recordScanResults(
        scan.id,
        [],
        [
          row(a, 'tls.weak', 'tls', 'low', 'one.example'),
          row(a, 'dns.spf.missing', 'dns_health', 'critical', 'one.example'),
          row(a, 'net.rdp', 'network_security', 'high', 'two.example'),
          row(b, 'tls.weak', 'tls', 'high', 'three.example'),
        ],
      );
      const scan2 = await store.scans.create({ scope: {}, startedAt: T2 });
      await store.findings.recordScanResults(scan2.id, [{ organizationId: a, assetHosts: ['two.example'] }], [], {
        resolvedAt: T2,
      });

      const typesOf = (list: { type: string }[]) => list.map((f) => f.type);
      assert.deepEqual(typesOf(await store.findings.listFindings({ organizationId: a })), [
        'dns.spf.missing',
        'net.rdp',
        'tls.weak',
      ]);
      const tls = await store.findings.listFindings({ factor: 'tls' });
      assert.deepEqual(
        tls.filter((f) => f.organizationId === a || f.organizationId === b).map((f) => f.organizationName),
        ['Filter Two', 'Filter One'],
      );
      assert.deepEqual(typesOf(await store.findings.listFindings({ organizationId: a, severity: 'critical' })), [
        'dns.spf.missing',
      ]);
      assert.deepEqual(typesOf(await store.findings.listFindings({ organizationId: a, status: 'resolved' })), [
        'net.rdp',
      ]);
      assert.deepEqual(
        typesOf(
          await store.findings.listFindings({ organizationId: a, status: 'open', factor: 'tls', severity: 'low' }),
        ),
        ['tls.weak'],
      );
      assert.deepEqual(await store.findings.listFindings({ organizationId: b, severity: 'low' }), []);
      assert.deepEqual(await store.findings.countByStatus(a), { open: 2, resolved: 1 });
    });

    test('an error inside a multi-row write leaves nothing half-written', async () => {
      const { organization } = await store.organizations.upsert(org('Rollback Labs'));
      const scan = await store.scans.create({ scope: {}, startedAt: T1 });
      const good: FindingInput = {
        organizationId: organization.id,
        type: 'tls.weak',
        factor: 'tls',
        severity: 'low',
        asset: { host: 'rb.example' },
        evidence: {},
        observedAt: T1,
      };
      // The second row references an organization that does not exist: the foreign key fails after the first insert.
      await assert.rejects(
        store.findings.recordScanResults(scan.id, [], [good, { ...good, organizationId: 'no-such-organization' }]),
      );
      assert.deepEqual(await store.findings.listFindings({ organizationId: organization.id }), []);

      // Same for observations and for a caller's own transaction.
      const control = { control: 'spf.reject', asset: { host: 'rb.example' }, evidence: {} };
      await assert.rejects(
        store.observations.recordMany(scan.id, [
          { organizationId: organization.id, probe: 'dns', observedAt: T1, kind: 'control', payload: control },
          { organizationId: 'no-such-organization', probe: 'dns', observedAt: T1, kind: 'control', payload: control },
        ]),
      );
      assert.deepEqual(await store.observations.list({ scanId: scan.id }), []);

      await assert.rejects(
        store.transaction(async (repos) => {
          await repos.organizations.upsertMany([org('Rollback One'), org('Rollback Two')]);
          await repos.findings.recordScanResults(scan.id, [], [good]);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await store.organizations.getByName('Rollback One'), undefined);
      assert.equal(await store.organizations.getByName('Rollback Two'), undefined);
      assert.deepEqual(await store.findings.listFindings({ organizationId: organization.id }), []);

      // Invalid input is refused before any write.
      await assert.rejects(
        store.findings.recordScanResults(scan.id, [], [good, { ...good, severity: 'catastrophic' as 'high' }]),
        (error: unknown) => error instanceof StoreError && error.code === 'invalid-input',
      );
      assert.deepEqual(await store.findings.listFindings({ organizationId: organization.id }), []);
      await assert.rejects(
        store.findings.recordScanResults('no-such-scan', [], [good]),
        (error: unknown) => error instanceof StoreError && error.code === 'not-found',
      );
    });

    test('assets merge sightings; scans and observations round-trip', async () => {
      const { organization } = await store.organizations.upsert(org('Asset Pharmacy'));
      const id = organization.id;
      assert.deepEqual(
        await store.assets.upsertMany(
          id,
          [
            {
              hostname: 'Portal.Pharm.example.',
              sources: ['wordlist'],
              addresses: ['192.0.2.10'],
              openPorts: [443, 80, 443],
            },
            { hostname: 'pharm.example', sources: ['apex'] },
          ],
          T1,
        ),
        { created: 2, updated: 0 },
      );
      assert.deepEqual(
        await store.assets.upsertMany(
          id,
          [{ hostname: 'portal.pharm.example', sources: ['ct'], openPorts: [443] }],
          T2,
        ),
        { created: 0, updated: 1 },
      );
      const portal = (await store.assets.list(id)).find((a) => a.hostname === 'portal.pharm.example');
      assert.deepEqual(portal && { ...portal, id: '' }, {
        id: '',
        organizationId: id,
        hostname: 'portal.pharm.example',
        addresses: ['192.0.2.10'],
        openPorts: [443],
        sources: ['ct', 'wordlist'],
        firstSeen: T1,
        lastSeen: T2,
        cpes: [],
        tags: [],
      });
      await assert.rejects(
        store.assets.upsertMany(id, [{ hostname: 'x.example', sources: [], openPorts: [70000] }]),
        StoreError,
      );

      // What the web probe recognised: replaced at a newer sight, kept when a sight omits it or is older.
      const cpe = 'cpe:2.3:a:f5:nginx:1.18.0:*:*:*:*:*:*:*';
      const fingerprinted = { hostname: 'portal.pharm.example', sources: ['ct'] as const };
      await store.assets.upsertMany(
        id,
        [{ ...fingerprinted, sources: ['ct'], cpes: [cpe, cpe], tags: ['telehealth'] }],
        T3,
      );
      await store.assets.upsertMany(id, [{ ...fingerprinted, sources: ['ct'] }], T3);
      await store.assets.upsertMany(id, [{ ...fingerprinted, sources: ['ct'], cpes: [], tags: [] }], T2);
      const tagged = (await store.assets.list(id)).find((a) => a.hostname === 'portal.pharm.example');
      assert.deepEqual([tagged?.cpes, tagged?.tags], [[cpe], ['telehealth']]);
      await assert.rejects(
        store.assets.upsertMany(id, [{ hostname: 'x.example', sources: [], cpes: ['nginx 1.18'] }]),
        (error: unknown) => error instanceof StoreError && error.code === 'invalid-input',
      );
      await assert.rejects(
        store.assets.upsertMany(id, [{ hostname: 'x.example', sources: [], tags: ['vpn' as 'telehealth'] }]),
        (error: unknown) => error instanceof StoreError && error.code === 'invalid-input',
      );

      const scan = await store.scans.create({ scope: { organizations: [id], profile: 'quick' }, startedAt: T1 });
      await store.observations.recordOutcome(
        scan.id,
        id,
        'dns_health',
        {
          controls: [{ control: 'dmarc.reject', asset: { host: 'pharm.example' }, evidence: { p: 'reject' } }],
          notAssessed: [{ check: 'dns.spf', asset: { host: 'pharm.example' }, reason: 'timeout' }],
        },
        T1,
      );
      await store.observations.recordMany(scan.id, [
        {
          organizationId: id,
          probe: 'tcp',
          observedAt: T1,
          kind: 'probe',
          assetHost: 'Portal.pharm.example',
          payload: { open: [443] },
        },
      ]);
      const finished = await store.scans.finish(scan.id, {
        counts: { findings: 0, hosts: 2 },
        errors: [{ target: 'x.example', message: 'timeout' }],
        finishedAt: T2,
      });
      assert.deepEqual(finished, {
        id: scan.id,
        scope: { organizations: [id], profile: 'quick' },
        startedAt: T1,
        finishedAt: T2,
        counts: { findings: 0, hosts: 2 },
        errors: [{ target: 'x.example', message: 'timeout' }],
      });
      assert.equal(
        (await store.scans.list()).some((s) => s.id === scan.id),
        true,
      );
      await assert.rejects(
        store.scans.finish('no-such-scan', { counts: {} }),
        (e: unknown) => e instanceof StoreError && e.code === 'not-found',
      );

      const notAssessed = await store.observations.list({ scanId: scan.id, kind: 'not_assessed' });
      assert.equal(notAssessed.length, 1);
      assert.deepEqual(notAssessed[0]?.payload, {
        check: 'dns.spf',
        asset: { host: 'pharm.example' },
        reason: 'timeout',
      });
      const probes = await store.observations.list({ scanId: scan.id, assetHost: 'portal.pharm.example' });
      assert.deepEqual(
        probes.map((o) => [o.kind, o.probe, o.payload]),
        [['probe', 'tcp', { open: [443] }]],
      );
      assert.equal((await store.observations.list({ organizationId: id })).length, 3);
    });
  });
}

describe('SQLite file problems', () => {
  const homes: string[] = [];
  const freshHome = (): string => {
    const home = mkdtempSync(join(tmpdir(), 'vitals-store-'));
    homes.push(home);
    return home;
  };
  after(() => {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  test('creates the home folder and the database file', async () => {
    const home = join(freshHome(), 'nested', 'home');
    const store = await openStore({ home });
    try {
      assert.equal(store.location, join(home, SQLITE_FILE_NAME));
      assert.deepEqual(await store.appliedMigrations(), Object.keys(MIGRATIONS));
    } finally {
      await store.close();
    }
  });

  test('a file that is not a database is reported as database-corrupt, naming the file', async () => {
    const home = freshHome();
    const file = join(home, SQLITE_FILE_NAME);
    writeFileSync(file, randomBytes(8192));
    await assert.rejects(openStore({ home }), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.equal(error.code, 'database-corrupt');
      assert.ok(error.message.includes(file), error.message);
      return true;
    });
  });

  test('a file held by another writer is database-locked within the busy timeout', async () => {
    const home = freshHome();
    const file = join(home, SQLITE_FILE_NAME);
    await (await openStore({ home })).close();
    const other = new Database(file);
    try {
      other.exec('BEGIN EXCLUSIVE');
      const started = Date.now();
      await assert.rejects(openStore({ home, busyTimeoutMs: 300 }), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'database-locked');
        assert.ok(error.message.includes(file), error.message);
        return true;
      });
      const waited = Date.now() - started;
      assert.ok(waited >= 250 && waited < 3000, `waited ${waited} ms`);
      other.exec('ROLLBACK');

      // An open store that meets a lock on a write gets the same error, and works once it is released.
      const store = await openStore({ home, busyTimeoutMs: 200 });
      try {
        other.exec('BEGIN EXCLUSIVE');
        await assert.rejects(
          store.organizations.upsert(org('Locked Out')),
          (e: unknown) => e instanceof StoreError && e.code === 'database-locked',
        );
        other.exec('ROLLBACK');
        assert.equal((await store.organizations.upsert(org('Locked Out'))).change, 'created');
      } finally {
        await store.close();
      }
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });
});

describe('PostgreSQL connection problems', () => {
  test('an unreachable server is database-unreachable and the message hides the password', async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    await assert.rejects(
      openStore({ databaseUrl: 'postgres://vitals:s3cret-pw@127.0.0.1:1/vitals', connectTimeoutMs: 2000 }),
      (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'database-unreachable');
        assert.ok(error.message.includes('127.0.0.1:1'), error.message);
        assert.ok(!error.message.includes('s3cret-pw'), error.message);
        assert.equal(error.location, 'postgres://vitals:***@127.0.0.1:1/vitals');
        return true;
      },
    );
  });
});
