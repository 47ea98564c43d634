import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../store/database.js';
import { createDnsClient } from '../net/dns/dns-client.js';
import { ResolverUnreachableError } from './scan.js';
import { resolveScanTargets, scanPortfolio, ScanRequestError } from './scan-service.js';
import { ScanSelectionError } from './scan-plan.js';

let folder: string;
let store: Store;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'vitals-scan-service-'));
  store = await openStore({ home: join(folder, 'home') });
  await store.organizations.upsert({
    name: 'Riverbend Clinic',
    sector: 'clinic',
    domains: ['riverbend.test', 'riverbend-health.test'],
    telehealth: false,
  });
});

after(async () => {
  await store?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Settings whose resolver is a loopback address nothing listens on. */
function silentResolverSettings() {
  return {
    client: createDnsClient(),
    resolver: { address: '127.0.0.9', port: 5399 },
    nameServerPort: 5399,
    trustAnchors: [],
    allowPrivate: true,
    concurrency: 4,
    timeoutMs: 100,
    retries: 0,
    wordlist: null,
    ctNames: [],
  };
}

describe('scan service', () => {
  test('maps domains and organizations onto targets; a domain below an organization is its own', async () => {
    const created = new Set<string>();
    const targets = await resolveScanTargets(
      store,
      { domains: ['mail.riverbend.test', 'elsewhere.test'], organizations: ['Riverbend Clinic'], all: false },
      created,
    );
    assert.deepEqual(
      targets.map((t) => [t.domain, t.organization]),
      [
        ['riverbend.test', 'Riverbend Clinic'],
        ['riverbend-health.test', 'Riverbend Clinic'],
        ['mail.riverbend.test', 'Riverbend Clinic'],
        ['elsewhere.test', 'elsewhere.test'],
      ],
    );
    assert.equal(created.size, 1, 'one ad-hoc organization made, for the domain outside the portfolio');
    await store.organizations.remove([...created][0]!);
  });

  test('an unknown organization is a request error, and nothing is created', async () => {
    const settings = silentResolverSettings();
    try {
      await assert.rejects(
        scanPortfolio(store, { domains: ['new.test'], organizations: ['Nobody'], all: false }, settings),
        (error: Error) => error instanceof ScanRequestError && /no organization named "Nobody"/.test(error.message),
      );
      assert.deepEqual(
        (await store.organizations.list()).map((o) => o.name),
        ['Riverbend Clinic'],
      );
    } finally {
      await settings.client.close();
    }
  });

  test('a bad --only is refused before anything is written', async () => {
    const settings = { ...silentResolverSettings(), only: ['dns.nothing'] };
    try {
      await assert.rejects(
        scanPortfolio(store, { domains: ['new.test'], organizations: [], all: false }, settings),
        ScanSelectionError,
      );
      assert.equal((await store.organizations.list()).length, 1);
      assert.deepEqual(await store.scans.list(), []);
    } finally {
      await settings.client.close();
    }
  });

  test('when the resolver does not answer, the ad-hoc organization made for the request is not kept', async () => {
    const settings = silentResolverSettings();
    try {
      await assert.rejects(
        scanPortfolio(store, { domains: ['typo-clinic.test'], organizations: [], all: false }, settings),
        ResolverUnreachableError,
      );
      assert.deepEqual(
        (await store.organizations.list()).map((o) => o.name),
        ['Riverbend Clinic'],
      );
    } finally {
      await settings.client.close();
    }
  });
});
