import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../store/database.js';
import type { DarkwebDocumentInput } from '../types.js';
import { ingestDocuments, ingestPaths } from './ingest.js';
import { testDialects } from '../../store/test-dialects.js';
import { LONG_POST, TEST_CREDENTIAL_KEY } from './test-support.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

for (const dialect of testDialects('darkweb')) {
  describe(`dark-web ingestion on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
      await store.organizations.upsertMany([
        {
          name: 'Northwind Family Clinic',
          sector: 'clinic',
          domains: ['northwind-clinic.test'],
          telehealth: false,
          aliases: ['Northwind'],
        },
        { name: 'Contoso General Hospital', sector: 'hospital', domains: ['contoso-general.test'], telehealth: true },
      ]);
    });
    after(async () => {
      await store?.close();
      await dialect.dispose();
    });

    test('JSONL with ids keeps them; html is converted; a document without id gets a stable content id', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vitals-ingest-'));
      const file = join(dir, 'docs.jsonl');
      const docs = [
        {
          id: 'leak-1',
          source: 'lockbit',
          source_type: 'leak_site',
          url: 'http://lock.onion/northwind',
          title: 'Northwind Family Clinic',
          posted_at: '2025-05-01T00:00:00Z',
          text:
            'Northwind Family Clinic (northwind-clinic.test). All data will be published in 5 days left. ' +
            '300 GB of patient files. Contact us to negotiate.',
        },
        {
          id: 'page-2',
          source: 'forum',
          source_type: 'forum',
          html:
            '<html><head><title>Hi</title><script>steal()</script></head><body><p>Anyone been to Lisbon ' +
            'this spring?</p><p>The trams were great.</p></body></html>',
        },
        {
          source: 'pastebin',
          source_type: 'paste',
          text: 'Nothing to see here, just a recipe for bread with flour and water and salt.',
        },
      ];
      writeFileSync(file, docs.map((d) => JSON.stringify(d)).join('\n'));
      const summary = await ingestPaths(store, [file], { credentialKey: TEST_CREDENTIAL_KEY, now: () => NOW });
      assert.equal(summary.read, 3);
      assert.equal(summary.inserted, 3);
      assert.equal(summary.rejected, 0);
      const ids = await store.darkweb.documentIds();
      assert.deepEqual(ids.slice(0, 2), ['leak-1', 'page-2']);
      assert.match(ids[2]!, /^doc-[0-9a-f]{32}$/);

      const leak = await store.darkweb.getDocument('leak-1');
      assert.equal(leak?.class, 'ransomware_listing');
      assert.equal(leak?.language, 'en');
      assert.equal(leak?.posted_at, '2025-05-01T00:00:00.000Z');
      assert.equal(leak?.ingested_at, NOW.toISOString());
      assert.equal(leak?.near_dup_group, 'leak-1');
      const page = await store.darkweb.getDocument('page-2');
      assert.equal(page?.title, 'Hi');
      assert.equal(page?.text, 'Anyone been to Lisbon this spring?\n\nThe trams were great.');

      const mentions = await store.darkweb.listMentions({});
      assert.deepEqual(
        mentions.map((m) => [m.documentId, m.organizationName, m.class]),
        [['leak-1', 'Northwind Family Clinic', 'ransomware_listing']],
      );
      assert.equal(summary.mentionsByClass.ransomware_listing, 1);

      // Re-running the same file resumes at its end: nothing read, nothing stored twice.
      const again = await ingestPaths(store, [file], { credentialKey: TEST_CREDENTIAL_KEY, now: () => NOW });
      assert.equal(again.read, 0);
      assert.equal(await store.darkweb.countDocuments(), 3);
    });

    test('exact duplicates are dropped by content hash, whatever their id or spacing', async () => {
      const before = await store.darkweb.countDocuments();
      const text = 'Fresh combo list for sale, 10k lines, mail:pass, checked yesterday.';
      const summary = await ingestDocuments(
        store,
        [
          { id: 'dup-a', source: 's', source_type: 'market', text },
          { id: 'dup-b', source: 's', source_type: 'market', text: `  ${text.replace(/ /g, '  ')}\r\n` },
          { id: 'dup-c', source: 'other', source_type: 'forum', text },
        ],
        { credentialKey: TEST_CREDENTIAL_KEY },
      );
      assert.equal(summary.inserted, 1);
      assert.equal(summary.duplicates, 2);
      assert.equal(await store.darkweb.countDocuments(), before + 1);
      // Across runs too.
      const rerun = await ingestDocuments(store, [{ source: 's', source_type: 'market', text }], {
        credentialKey: TEST_CREDENTIAL_KEY,
      });
      assert.equal(rerun.inserted, 0);
      assert.equal(rerun.duplicates, 1);
    });

    test('an id already used by different content is rejected, not overwritten', async () => {
      const problems: string[] = [];
      const summary = await ingestDocuments(
        store,
        [{ id: 'dup-a', source: 's', source_type: 'forum', text: 'completely different words here' }],
        { credentialKey: TEST_CREDENTIAL_KEY, onProblem: (p) => problems.push(p.message) },
      );
      assert.equal(summary.inserted, 0);
      assert.equal(summary.rejected, 1);
      assert.match(problems[0] ?? '', /already used/);
      assert.match((await store.darkweb.getDocument('dup-a'))?.text ?? '', /combo list/);
    });

    test('near duplicates are stored and grouped under the first document', async () => {
      const summary = await ingestDocuments(
        store,
        [
          { id: 'near-1', source: 'f', source_type: 'forum', text: LONG_POST },
          {
            id: 'near-2',
            source: 'f',
            source_type: 'forum',
            text: LONG_POST.replace('serious buyers only', 'serious buyers'),
          },
          {
            id: 'near-3',
            source: 'f',
            source_type: 'forum',
            text:
              'A different post altogether about the weather in Lisbon and the trams and the pastries and ' +
              'the river and the hills, nothing more.',
          },
        ],
        { credentialKey: TEST_CREDENTIAL_KEY },
      );
      assert.equal(summary.inserted, 3);
      assert.equal(summary.nearDuplicates, 1);
      assert.equal((await store.darkweb.getDocument('near-1'))?.near_dup_group, 'near-1');
      assert.equal((await store.darkweb.getDocument('near-2'))?.near_dup_group, 'near-1');
      assert.equal((await store.darkweb.getDocument('near-3'))?.near_dup_group, 'near-3');
      // A later run still finds the group (the index is rebuilt from the store).
      await ingestDocuments(
        store,
        [{ id: 'near-4', source: 'f', source_type: 'forum', text: LONG_POST.replace('be quick', 'be fast') }],
        { credentialKey: TEST_CREDENTIAL_KEY },
      );
      assert.equal((await store.darkweb.getDocument('near-4'))?.near_dup_group, 'near-1');
    });

    test('languages are tagged', async () => {
      await ingestDocuments(
        store,
        [
          {
            id: 'lang-es',
            source: 'f',
            source_type: 'forum',
            text: 'Vendemos la base de datos completa del hospital con todos los registros de los pacientes.',
          },
          {
            id: 'lang-ru',
            source: 'f',
            source_type: 'forum',
            text: 'Продаём полную базу данных клиники, все записи пациентов, и это не дорого для вас.',
          },
        ],
        { credentialKey: TEST_CREDENTIAL_KEY },
      );
      assert.equal((await store.darkweb.getDocument('lang-es'))?.language, 'es');
      assert.equal((await store.darkweb.getDocument('lang-ru'))?.language, 'ru');
    });

    test(
      'credential pairs: the password is stored only as a keyed hash and its length class, and masked in ' + 'the text',
      async () => {
        const password = 'Tr0ub4dor&3xyz';
        const text = [
          'combo list, fresh',
          `jane.doe@northwind-clinic.test:${password}`,
          'bob@contoso-general.test:letmein99',
          'eve@elsewhere.test:qwerty12345',
        ].join('\n');
        const summary = await ingestDocuments(
          store,
          [{ id: 'combo-1', source: 'p', source_type: 'paste', posted_at: '2025-05-20', text }],
          { credentialKey: TEST_CREDENTIAL_KEY },
        );
        assert.equal(summary.inserted, 1);
        const rows = await store.darkweb.credentialsOf('combo-1');
        assert.deepEqual(
          rows.map((r) => r.email),
          ['bob@contoso-general.test', 'eve@elsewhere.test', 'jane.doe@northwind-clinic.test'],
        );
        const jane = rows.find((r) => r.email.startsWith('jane'))!;
        assert.equal(jane.domain, 'northwind-clinic.test');
        assert.equal(jane.password_hint, '12-15 characters');
        assert.match(jane.password_hash, /^hmac-sha256\$[0-9a-f]{64}$/);
        assert.equal(jane.seen_at, '2025-05-20T00:00:00.000Z');
        const doc = await store.darkweb.getDocument('combo-1');
        assert.ok(!doc!.text.includes(password), 'password not in the stored text');
        assert.ok(doc!.text.includes(`jane.doe@northwind-clinic.test:${'*'.repeat(password.length)}`));
        // Offsets of entities still point at the right text.
        for (const e of await store.darkweb.entitiesOf('combo-1')) {
          if (e.type === 'email') assert.equal(doc!.text.slice(e.start_offset, e.end_offset).toLowerCase(), e.value);
        }
        const sightings = await store.darkweb.credentialSightings(['northwind-clinic.test']);
        assert.deepEqual(
          sightings.map((s) => s.email),
          ['jane.doe@northwind-clinic.test'],
        );
        // Same password, same install: same hash (a dump re-posted elsewhere is recognisable).
        await ingestDocuments(
          store,
          [
            {
              id: 'combo-2',
              source: 'p',
              source_type: 'paste',
              text: `repost\njane.doe@northwind-clinic.test:${password}\nx@y.test:zzzzzzzz`,
            },
          ],
          { credentialKey: TEST_CREDENTIAL_KEY },
        );
        assert.equal(
          (await store.darkweb.credentialsOf('combo-2')).find((r) => r.email.startsWith('jane'))?.password_hash,
          jane.password_hash,
        );
      },
    );

    test('invalid records are rejected with a reason; valid ones around them are stored', async () => {
      const problems: string[] = [];
      const bad = [
        { source: 's', source_type: 'darknet', text: 'x' },
        { source: 's', source_type: 'forum' },
        { source: 's', source_type: 'forum', text: '   \n  ' },
        { id: 'ok-1', source: 's', source_type: 'chat', text: 'a valid chat line about nothing in particular' },
      ] as unknown as DarkwebDocumentInput[];
      const summary = await ingestDocuments(store, bad, {
        credentialKey: TEST_CREDENTIAL_KEY,
        onProblem: (p) => problems.push(p.message),
      });
      assert.equal(summary.inserted, 1);
      assert.equal(summary.rejected, 3);
      assert.deepEqual(
        problems.map((p) => p.split(' ')[0]),
        ['source_type', 'text', 'empty'],
      );
    });

    test(
      'no password is stored in clear: not in the text, not in a mention snippet, with or without ' + 'analysis',
      async () => {
        const combo = (id: string): DarkwebDocumentInput => ({
          id,
          source: 'paste-site',
          source_type: 'paste',
          text:
            `fresh combo ` +
            `${id}\njane.doe@northwind-clinic.test:Qwerty616zz\nbob@northwind-clinic.test:Winter2024!!\n`,
        });
        await ingestDocuments(store, [combo('combo-analyzed')], { credentialKey: TEST_CREDENTIAL_KEY, now: () => NOW });
        await ingestDocuments(store, [combo('combo-raw')], {
          credentialKey: TEST_CREDENTIAL_KEY,
          now: () => NOW,
          analyze: false,
        });
        for (const id of ['combo-analyzed', 'combo-raw']) {
          const doc = await store.darkweb.getDocument(id);
          assert.ok(doc, id);
          assert.doesNotMatch(JSON.stringify(doc), /Qwerty616zz|Winter2024!!/, `${id}: stored text`);
        }
        const mentions = await store.darkweb.listMentions({});
        const ours = mentions.filter((m) => JSON.stringify(m).includes('combo-analyzed'));
        assert.ok(ours.length > 0, 'the analyzed combo list mentions Northwind');
        assert.doesNotMatch(JSON.stringify(ours), /Qwerty616zz|Winter2024!!/, 'mention snippets');
      },
    );

    test('a file replaced under the same path is read from its start, not from the old resume point', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vitals-replace-'));
      const file = join(dir, 'feed.jsonl');
      writeFileSync(
        file,
        `${JSON.stringify({
          id: 'feed-a',
          source: 'feed',
          source_type: 'forum',
          text: 'first version of the feed, about trams and bread and nothing else at all',
        })}\n`,
      );
      const first = await ingestPaths(store, [file], { credentialKey: TEST_CREDENTIAL_KEY, now: () => NOW });
      assert.equal(first.inserted, 1);
      writeFileSync(
        file,
        `${JSON.stringify({
          id: 'feed-b',
          source: 'feed',
          source_type: 'forum',
          text: 'a longer, different document that replaced the first one entirely, about ferries',
        })}\n`,
      );
      const second = await ingestPaths(store, [file], { credentialKey: TEST_CREDENTIAL_KEY, now: () => NOW });
      assert.equal(second.read, 1);
      assert.equal(second.inserted, 1);
      assert.ok(await store.darkweb.getDocument('feed-b'));
    });

    test('bulkWrite (what runs wrap their batches in) keeps their commits and rethrows a failure', async () => {
      const at = '2026-01-01T00:00:00.000Z';
      const batch = (byteOffset: number) => ({
        documents: [],
        entities: [],
        credentials: [],
        mentions: [],
        checkpoints: new Map([['bulk-file', { byteOffset, line: 1 }]]),
        at,
      });
      const result = await store.darkweb.bulkWrite(async () => {
        await store.darkweb.storeBatch(batch(10));
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal((await store.darkweb.checkpoints(['bulk-file'])).get('bulk-file')?.byteOffset, 10);
      await assert.rejects(
        store.darkweb.bulkWrite(async () => {
          throw new Error('disk full');
        }),
        /disk full/,
      );
      await store.darkweb.storeBatch(batch(20));
      assert.equal((await store.darkweb.checkpoints(['bulk-file'])).get('bulk-file')?.byteOffset, 20);
    });
  });
}
