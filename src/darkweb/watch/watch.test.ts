/**
 * Watchlists end to end on a real store (SQLite; PostgreSQL too when VITALS_TEST_DATABASE_URL is set)
 * and a real webhook receiver on 127.0.0.1: alerts exactly once, delivery through failures, restarts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { Store } from '../../store/database.js';
import { createDeliverer, deliverPendingAlerts } from './deliver.js';
import type { DeliveryOptions, DeliverySummary } from './deliver.js';
import { evaluateWatchlists } from './evaluate.js';
import { addWatchlist, WatchlistError } from './watchlists.js';
import { WatchPatternError } from './safe-regex.js';
import { WebhookUrlError } from './webhook.js';
import { testDialects } from '../../store/test-dialects.js';
import { receiptCounts, startReceiver, storeDocuments } from './watch-test-helpers.js';
import type { Receipt } from './watch-test-helpers.js';

const SECRET = 'webhook-secret-for-tests-0123456789';
/** Fast retries for tests: 20 ms, 40 ms, 80 ms... with fixed jitter. */
const FAST: DeliveryOptions = {
  backoffBaseMs: 20,
  backoffMaxMs: 200,
  timeoutMs: 2000,
  random: () => 0.5,
  concurrency: 1,
};

/** The signature a receiver expects: HMAC of the timestamp header, a dot, and the raw body. */
function hmac(receipt: Receipt | undefined): string {
  const timestamp = String(receipt?.headers['x-vitals-timestamp']);
  return `sha256=${createHmac('sha256', SECRET)
    .update(`${timestamp}.`)
    .update(receipt?.body ?? '')
    .digest('hex')}`;
}

/** The counters of a delivery summary. */
function summaryCounts(summary: DeliverySummary) {
  const { delivered, failed, retryLater, attempts } = summary;
  return { delivered, failed, retryLater, attempts };
}

async function createdBy(store: Store): Promise<Map<string, number>> {
  const results = await evaluateWatchlists(store, { batchSize: 2 });
  for (const r of results) assert.equal(r.error, undefined, `${r.watchlist}: ${r.error}`);
  return new Map(results.map((r) => [r.watchlist, r.created]));
}

for (const dialect of testDialects('watch')) {
  describe(`watchlists on ${dialect.name}`, () => {
    let store: Store;
    let stMaryId: string;
    let otherId: string;
    before(async () => {
      store = await dialect.open();
      stMaryId = (
        await store.organizations.upsert({
          name: 'St Mary Hospital',
          sector: 'hospital',
          domains: ['stmary.example'],
          telehealth: false,
          aliases: ['SMH'],
        })
      ).organization.id;
      otherId = (
        await store.organizations.upsert({
          name: 'Lakeside Clinic',
          sector: 'clinic',
          domains: ['lakeside.example'],
          telehealth: false,
        })
      ).organization.id;
      await storeDocuments(store, [
        {
          id: 'doc-rdp',
          title: 'RDP access for sale',
          text: 'Selling domain admin RDP into St Mary Hospital, 2k beds.',
          mentions: [{ organizationId: stMaryId, matched: 'St Mary Hospital' }],
        },
        { id: 'doc-chatter', text: 'anyone know a good VPN? asking for a friend' },
        {
          id: 'doc-ransom',
          sourceType: 'leak_site',
          title: 'New victim',
          text: 'LockBit RANSOMWARE group lists Lakeside Clinic',
          mentions: [{ organizationId: otherId, matched: 'Lakeside Clinic' }],
        },
        { id: 'doc-lookalike', text: 'antiransomware tools and ransomwares-as-a-service reviews' },
        { id: 'doc-mrn', title: 'patients.csv', text: 'name,dob,mrn\nJane Roe,1970-01-02,MRN: 123-4-56789\n' },
        { id: 'doc-mrn-bad', text: 'order number 123-45-6789 shipped' },
        {
          id: 'doc-smh2',
          text: 'smh dump again, db from St Mary Hospital is 40GB',
          mentions: [{ organizationId: stMaryId, matched: 'St Mary Hospital' }],
        },
      ]);
    });
    after(async () => {
      await store?.close();
      await dialect.dispose();
    });

    test(
      'add validates before storing: one kind, known organization, RE2-safe regex, http(s) webhook, strong ' + 'secret',
      async () => {
        await assert.rejects(addWatchlist(store, { term: 'a', regex: 'b' }), WatchlistError);
        await assert.rejects(addWatchlist(store, {}), WatchlistError);
        await assert.rejects(addWatchlist(store, { org: 'No Such Hospital' }), /no organization named/);
        await assert.rejects(addWatchlist(store, { regex: '(a)\\1' }), WatchPatternError);
        await assert.rejects(addWatchlist(store, { regex: '(?=x)y' }), WatchPatternError);
        await assert.rejects(addWatchlist(store, { term: 'x', webhook: 'ftp://127.0.0.1/' }), WebhookUrlError);
        await assert.rejects(
          addWatchlist(store, { term: 'x', webhook: 'http://127.0.0.1/', secret: 'short' }),
          /at least 16/,
        );
        await assert.rejects(addWatchlist(store, { term: 'x', secret: SECRET }), /--secret needs --webhook/);
        assert.deepEqual(await store.alerts.listWatchlists(), []);
      },
    );

    test(
      'term, organization and regex watchlists create one alert per matching document, and a re-run ' + 'none',
      async () => {
        const byAlias = await addWatchlist(store, { org: 'smh' });
        assert.equal(byAlias.watchlist.name, 'org:St Mary Hospital');
        assert.equal(byAlias.watchlist.organizationId, stMaryId);
        await addWatchlist(store, { term: 'Ransomware' });
        await addWatchlist(store, { regex: 'mrn[:#]?\\s*\\d{3}-\\d-\\d{5}', ignoreCase: true, name: 'mrn leak' });
        await assert.rejects(addWatchlist(store, { term: 'other', name: 'MRN  Leak' }), /already exists/);

        const first = await createdBy(store);
        assert.deepEqual(Object.fromEntries(first), { 'org:St Mary Hospital': 2, 'term:Ransomware': 1, 'mrn leak': 1 });

        const alerts = await store.alerts.listAlerts();
        const docsOf = (name: string) =>
          alerts
            .filter((a) => a.watchlistName === name)
            .map((a) => a.documentId)
            .sort();
        assert.deepEqual(docsOf('org:St Mary Hospital'), ['doc-rdp', 'doc-smh2']);
        assert.deepEqual(docsOf('term:Ransomware'), ['doc-ransom']);
        assert.deepEqual(docsOf('mrn leak'), ['doc-mrn']);
        const ransom = alerts.find((a) => a.documentId === 'doc-ransom');
        assert.equal(ransom?.matched, 'RANSOMWARE');
        assert.match(ransom?.snippet ?? '', /LockBit RANSOMWARE group/);
        assert.equal(alerts.find((a) => a.documentId === 'doc-rdp')?.organizationId, stMaryId);
        // No webhook: no delivery owed.
        assert.ok(alerts.every((a) => a.delivery === null));

        const again = await createdBy(store);
        assert.deepEqual([...again.values()], [0, 0, 0]);
        assert.equal((await store.alerts.listAlerts()).length, 4);

        // New documents: only they are evaluated, and only the matching ones alert.
        const [seqNew] = await storeDocuments(store, [
          {
            id: 'doc-new',
            text: 'ransomware negotiation leaked',
            mentions: [{ organizationId: stMaryId, matched: 'St Mary Hospital' }],
          },
          { id: 'doc-new-other', text: 'nothing to see' },
        ]);
        const third = await evaluateWatchlists(store);
        // By name: watchlists created within the same millisecond have no creation order to rely on.
        assert.deepEqual(
          third
            .map((r) => [r.watchlist, r.documents, r.created, r.throughSeq])
            .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
          [
            ['mrn leak', 2, 0, (seqNew ?? 0) + 1],
            ['org:St Mary Hospital', 2, 1, (seqNew ?? 0) + 1],
            ['term:Ransomware', 2, 1, (seqNew ?? 0) + 1],
          ],
        );
        assert.equal((await store.alerts.listAlerts()).length, 6);
      },
    );

    // Two connections of one process cannot overlap SQLite write transactions (better-sqlite3 waits
    // synchronously, blocking the holder): the CLI test runs two processes on SQLite instead.
    test('two runs at once on two connections still create each alert once', {
      skip: dialect.name === 'SQLite' && 'covered by two processes in the CLI test',
    }, async () => {
      await storeDocuments(
        store,
        Array.from({ length: 8 }, (_, i) => ({
          id: `doc-probe-${i}`,
          text: i % 3 === 0 ? `filler ${i}` : `concurrency probe number ${i}`,
        })),
      );
      await addWatchlist(store, { term: 'concurrency probe', name: 'concurrent' });
      const second = await dialect.open();
      try {
        const [a, b] = await Promise.all([
          evaluateWatchlists(store, { batchSize: 1 }),
          evaluateWatchlists(second, { batchSize: 1 }),
        ]);
        const mine = [...a, ...b].filter((r) => r.watchlist === 'concurrent');
        for (const r of mine) assert.equal(r.error, undefined);
        const created = mine.reduce((n, r) => n + r.created, 0);
        assert.equal(created, 5);
      } finally {
        await second.close();
      }
      const concurrent = await store.alerts.getWatchlist('concurrent');
      const alerts = await store.alerts.listAlerts({ ...(concurrent ? { watchlistId: concurrent.id } : {}) });
      assert.deepEqual(alerts.map((a) => a.documentId).sort(), [
        'doc-probe-1',
        'doc-probe-2',
        'doc-probe-4',
        'doc-probe-5',
        'doc-probe-7',
      ]);
    });

    test('--only-new skips the documents already stored', async () => {
      const { watchlist } = await addWatchlist(store, { term: 'ransomware', name: 'fresh only', onlyNew: true });
      assert.equal(watchlist.highWaterSeq, await store.darkweb.maxSeq());
      const results = await evaluateWatchlists(store, { watchlistIds: [watchlist.id] });
      assert.equal(results[0]?.created, 0);
      await storeDocuments(store, [{ id: 'doc-fresh', text: 'fresh ransomware post' }]);
      const after = await evaluateWatchlists(store, { watchlistIds: [watchlist.id] });
      assert.equal(after[0]?.created, 1);
    });

    test(
      'a webhook that fails twice (500, then a dropped connection) gets the alert the third time, ' + 'signed',
      async () => {
        const receiver = await startReceiver(['fail500', 'drop', 'ok']);
        try {
          const { watchlist } = await addWatchlist(store, {
            term: 'LockBit',
            name: 'lockbit hook',
            webhook: receiver.url,
            secret: SECRET,
          });
          const evaluation = await evaluateWatchlists(store, { watchlistIds: [watchlist.id] });
          assert.equal(evaluation[0]?.created, 1);
          const [pending] = await store.alerts.listAlerts({ watchlistId: watchlist.id });
          assert.equal(pending?.delivery?.status, 'pending');

          const summary = await deliverPendingAlerts(store.alerts, FAST);
          assert.deepEqual(summaryCounts(summary), { delivered: 1, failed: 0, retryLater: 0, attempts: 3 });
          assert.deepEqual(
            receiver.receipts.map((r) => r.answered),
            ['fail500', 'drop', 'ok'],
          );

          const alertId = pending?.id ?? '';
          for (const receipt of receiver.receipts) {
            assert.equal(receipt.alertId, alertId);
            assert.equal(receipt.headers['x-vitals-signature'], hmac(receipt), 'signature verifies');
            assert.deepEqual(receipt.body, receiver.receipts[0]?.body, 'every retry sends the same bytes');
          }
          const payload = JSON.parse(receiver.receipts[2]?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
          assert.deepEqual(Object.keys(payload).sort(), ['alert_id', 'created_at', 'document', 'matched', 'watchlist']);
          assert.equal(payload['alert_id'], alertId);
          assert.equal(payload['watchlist'], 'lockbit hook');
          assert.equal(payload['matched'], 'LockBit');
          assert.deepEqual(payload['document'], {
            doc_id: 'doc-ransom',
            title: 'New victim',
            url: 'http://forum10.example.onion/t/doc-ransom',
            source_type: 'leak_site',
            posted_at: null,
            snippet: 'New victim LockBit RANSOMWARE group lists Lakeside Clinic',
          });

          const [delivered] = await store.alerts.listAlerts({ watchlistId: watchlist.id });
          assert.equal(delivered?.delivery?.status, 'delivered');
          assert.equal(delivered?.delivery?.attempts, 2, 'two failed attempts recorded before the success');
          assert.ok(delivered?.deliveredAt);

          // Nothing is due any more: a second run sends nothing.
          assert.deepEqual(summaryCounts(await deliverPendingAlerts(store.alerts, FAST)), {
            delivered: 0,
            failed: 0,
            retryLater: 0,
            attempts: 0,
          });
          assert.equal(receiver.receipts.length, 3);
        } finally {
          await receiver.close();
        }
      },
    );

    test(
      'organization alerts carry the organization; attempts exhausted means failed, and --retry-failed ' + 'revives it',
      async () => {
        const receiver = await startReceiver([], 'fail500');
        try {
          const { watchlist } = await addWatchlist(store, {
            org: 'Lakeside Clinic',
            webhook: receiver.url,
            secret: SECRET,
          });
          await evaluateWatchlists(store, { watchlistIds: [watchlist.id] });
          const summary = await deliverPendingAlerts(store.alerts, { ...FAST, maxAttempts: 3 });
          assert.deepEqual(summaryCounts(summary), { delivered: 0, failed: 1, retryLater: 0, attempts: 3 });
          const [failed] = await store.alerts.listAlerts({ watchlistId: watchlist.id });
          assert.equal(failed?.delivery?.status, 'failed');
          assert.equal(failed?.delivery?.lastError, 'HTTP 500: boom');
          assert.equal(failed?.deliveredAt, null);
          assert.equal((await store.alerts.listAlerts({ delivery: 'failed' })).length, 1);

          receiver.fallback = 'ok';
          assert.equal(await store.alerts.retryFailedDeliveries(watchlist.id), 1);
          assert.equal((await deliverPendingAlerts(store.alerts, FAST)).delivered, 1);
          const last = receiver.receipts.at(-1);
          const payload = JSON.parse(last?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
          assert.equal(payload['organization'], 'Lakeside Clinic');
          assert.equal(payload['matched'], 'Lakeside Clinic');
          assert.equal(last?.headers['x-vitals-signature'], hmac(last));
        } finally {
          await receiver.close();
        }
      },
    );

    test(
      'after a restart mid-delivery, pending alerts are delivered and acknowledged ones are not sent ' + 'again',
      async () => {
        // First alert acknowledged, second left hanging when the process "stops", third never tried.
        const receiver = await startReceiver(['ok', 'hang']);
        let alertIds: string[];
        try {
          const { watchlist } = await addWatchlist(store, {
            regex: 'St Mary|VPN',
            name: 'restart hook',
            webhook: receiver.url,
            secret: SECRET,
          });
          assert.equal((await evaluateWatchlists(store, { watchlistIds: [watchlist.id] }))[0]?.created, 3);
          alertIds = (await store.alerts.listAlerts({ watchlistId: watchlist.id })).map((a) => a.id);

          const deliverer = createDeliverer(store.alerts, { ...FAST, timeoutMs: 30_000 });
          const run = deliverer.run();
          await receiver.waitForRequests(2);
          await deliverer.stop();
          const interrupted = await run;
          assert.deepEqual(
            { delivered: interrupted.delivered, retryLater: interrupted.retryLater },
            { delivered: 1, retryLater: 1 },
          );
          await store.close();

          // Restart: a new store and a new deliverer; the receiver now answers everything.
          store = await dialect.open();
          receiver.fallback = 'ok';
          const resumed = await deliverPendingAlerts(store.alerts, FAST);
          assert.deepEqual(summaryCounts(resumed), { delivered: 2, failed: 0, retryLater: 0, attempts: 2 });

          const counts = receiptCounts(receiver.receipts);
          const acknowledged = receiver.receipts[0]?.alertId ?? '';
          const inFlight = receiver.receipts[1]?.alertId ?? '';
          assert.equal(counts.get(acknowledged), 1, 'the acknowledged alert is never sent again');
          assert.equal(counts.get(inFlight), 2, 'the unacknowledged one is sent again (at least once)');
          assert.deepEqual([...counts.keys()].sort(), [...alertIds].sort());
          for (const id of alertIds) if (id !== inFlight) assert.equal(counts.get(id), 1);
          const stored = await store.alerts.listAlerts({ watchlistId: watchlist.id });
          assert.ok(stored.every((a) => a.delivery?.status === 'delivered' && a.deliveredAt !== null));

          // Yet another restart sends nothing.
          await store.close();
          store = await dialect.open();
          assert.equal((await deliverPendingAlerts(store.alerts, FAST)).attempts, 0);
          assert.equal(receiver.receipts.length, 4);
        } finally {
          await receiver.close();
        }
      },
    );

    test('a delivery leased by a process that died is taken over once its lease expires', async () => {
      const receiver = await startReceiver([], 'ok');
      try {
        const { watchlist } = await addWatchlist(store, {
          term: 'beds',
          name: 'lease hook',
          webhook: receiver.url,
          secret: SECRET,
        });
        await evaluateWatchlists(store, { watchlistIds: [watchlist.id] });
        // A deliverer claims the row and "dies" (kill -9): no release, no result.
        const claimed = await store.alerts.claimNextDelivery('dead-process', new Date(), 400);
        assert.ok(claimed);
        assert.equal((await deliverPendingAlerts(store.alerts, FAST)).attempts, 0, 'a live lease is respected');
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.equal((await deliverPendingAlerts(store.alerts, FAST)).delivered, 1);
        assert.equal(receiptCounts(receiver.receipts).get(claimed.alertId), 1);
      } finally {
        await receiver.close();
      }
    });

    test('a hung receiver neither starves a healthy one nor holds the run; its alerts stay in the outbox', async () => {
      // Issue #6: 20 alerts x 5 attempts x 10 s against one hung receiver took 312 s with 4 shared workers.
      const hung = await startReceiver([], 'hang');
      const healthy = await startReceiver([], 'ok');
      try {
        const docs = Array.from({ length: 25 }, (_, i) => ({ id: `flood-${i}`, text: `floodword post ${i}` }));
        await storeDocuments(store, docs);
        const { watchlist: toHung } = await addWatchlist(store, {
          regex: 'floodword post (1?[0-9])$',
          name: 'to the hung receiver',
          webhook: hung.url,
          secret: SECRET,
        });
        const { watchlist: toHealthy } = await addWatchlist(store, {
          regex: 'floodword post 2[0-4]$',
          name: 'to the healthy receiver',
          webhook: healthy.url,
          secret: SECRET,
        });
        const created = await createdBy(store);
        assert.equal(created.get(toHung.name), 20);
        assert.equal(created.get(toHealthy.name), 5);
        const started = Date.now();
        const summary = await deliverPendingAlerts(store.alerts, {
          ...FAST,
          concurrency: 4,
          maxAttempts: 5,
          timeoutMs: 1000,
        });
        const seconds = (Date.now() - started) / 1000;
        // The breaker opens after 3 timeouts in a row: about 3 s, not 20 x 5 x 1 s / 4 = 25 s.
        assert.ok(seconds < 6, `delivery took ${seconds} s`);
        assert.equal(healthy.receipts.length, 5, 'every alert of the healthy receiver delivered');
        assert.equal(summary.delivered, 5);
        assert.equal(hung.receipts.length, 3, 'three attempts, then the breaker opened');
        assert.deepEqual(
          summary.unavailableReceivers.filter((r) => r.url === hung.url),
          [{ url: hung.url, lastError: 'no response within 1000 ms', pending: 20 }],
        );
        assert.ok(summary.deferred >= 19, 'the alerts never tried in this run are counted');
        const left = await store.alerts.listAlerts({ watchlistId: toHung.id });
        assert.deepEqual(
          [...new Set(left.map((a) => a.delivery?.status))],
          ['pending'],
          'nothing lost, nothing failed',
        );
      } finally {
        await hung.close();
        await healthy.close();
        for (const name of ['to the hung receiver', 'to the healthy receiver']) {
          const w = await store.alerts.getWatchlist(name);
          if (w !== undefined) await store.alerts.removeWatchlist(w.id);
        }
      }
    });

    test('remove deletes the watchlist with its alerts and undelivered webhooks', async () => {
      const receiver = await startReceiver([], 'ok');
      try {
        const { watchlist } = await addWatchlist(store, {
          term: 'VPN',
          name: 'to remove',
          webhook: receiver.url,
          secret: SECRET,
        });
        await evaluateWatchlists(store, { watchlistIds: [watchlist.id] });
        assert.equal((await store.alerts.listAlerts({ watchlistId: watchlist.id })).length, 1);
        assert.equal(await store.alerts.removeWatchlist(watchlist.id), true);
        assert.equal(await store.alerts.getWatchlist('to remove'), undefined);
        assert.equal((await store.alerts.listAlerts({ watchlistId: watchlist.id })).length, 0);
        assert.equal((await deliverPendingAlerts(store.alerts, FAST)).attempts, 0);
        assert.equal(receiver.receipts.length, 0);
      } finally {
        await receiver.close();
      }
    });
  });
}
