/**
 * Crawl the lab's hidden services into a real store (SQLite; PostgreSQL too when
 * VITALS_TEST_DATABASE_URL is set): every page becomes one document with the onion as its source, a
 * second crawl adds nothing, and the victim posts of the leak site mention the victims.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../store/database.js';
import { testDialects } from '../../store/test-dialects.js';
import { buildLabWorld } from '../../lab/world/world.js';
import { startHiddenServices, type HiddenServices } from '../../lab/darkweb/index.js';
import { crawlIntoStore, type CrawlIntoStoreResult } from './crawl-to-store.js';
import { TEST_CREDENTIAL_KEY } from '../ingest/test-support.js';

const SEED = 9;

const dialects = testDialects('crawl');

for (const [i, dialect] of dialects.entries()) {
  describe(`crawling into the store on ${dialect.name}`, () => {
    let hs: HiddenServices;
    let store: Store;
    let first: CrawlIntoStoreResult;

    before(async () => {
      hs = await startHiddenServices({ seed: SEED, network: `127.66.5${i}` });
      store = await dialect.open();
      const world = buildLabWorld({ seed: SEED, orgs: 12 });
      await store.organizations.upsertMany(
        world.truth.organizations.map((o) => ({
          name: o.name,
          sector: o.sector,
          domains: [o.domain],
          telehealth: o.telehealth,
          aliases: o.aliases,
        })),
      );
      first = await crawlIntoStore(store, hs.seeds, {
        proxy: hs.proxy,
        delayMs: 0,
        backoffMs: 20,
        ingest: { credentialKey: TEST_CREDENTIAL_KEY },
      });
    });
    after(async () => {
      await store?.close();
      await hs?.close();
      await dialect.dispose();
    });

    test('every page within depth is one document, with the onion as source and the page metadata', async () => {
      const expected = hs.expectedPages(2);
      assert.equal(first.crawl.pages, expected.length);
      assert.equal(first.ingest.inserted, expected.length, JSON.stringify(first.ingest));
      const ids = await store.darkweb.documentIds();
      assert.equal(ids.length, expected.length);
      const docs = await Promise.all(ids.map((id) => store.darkweb.getDocument(id)));
      const byUrl = new Map(docs.map((d) => [d!.url, d!]));
      for (const want of expected) {
        const doc = byUrl.get(want.url);
        assert.ok(doc, `no document for ${want.url}`);
        assert.equal(doc.source, want.onion);
        assert.equal(doc.source_type, want.kind);
        assert.equal(doc.title ?? undefined, want.title);
        assert.ok(doc.text.length > 0);
        // Stored as text: markup and scripts gone.
        assert.ok(!/<script|<a href/i.test(doc.text), want.url);
      }
    });

    test('a second crawl stores nothing new', async () => {
      const again = await crawlIntoStore(store, hs.seeds, {
        proxy: hs.proxy,
        delayMs: 0,
        backoffMs: 20,
        ingest: { credentialKey: TEST_CREDENTIAL_KEY },
      });
      assert.equal(again.crawl.pages, first.crawl.pages);
      assert.equal(again.ingest.inserted, 0);
      assert.equal((await store.darkweb.documentIds()).length, first.crawl.pages);
    });

    test("the leak site's victim posts mention their victims", async () => {
      const victims = hs.expectedPages(2).filter((p) => p.kind === 'leak_site' && /\/victim\/[^/]+$/.test(p.url));
      assert.equal(victims.length, 4);
      const mentions = await store.darkweb.listMentions({});
      for (const victim of victims) {
        const found = mentions.filter((m) => m.url === victim.url && m.organizationName === victim.orgs[0]);
        assert.equal(
          found.length,
          1,
          `${victim.orgs[0]} not found on ${victim.url}: ` +
            `${JSON.stringify(mentions.filter((m) => m.url === victim.url))}`,
        );
      }
    });
  });
}
