/** Dark-web mentions counted per month, class and cohort for the study. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../test-dialects.js';
import type { DarkwebDocumentRow, DarkwebMentionRow } from './darkweb.repo.js';

const dialects = testDialects('mentions_month');
after(async () => {
  for (const dialect of dialects) await dialect.dispose();
});

for (const dialect of dialects) {
  describe(`mentions by month on ${dialect.name}`, () => {
    test('dated by posting, or by ingestion when undated; distinct organizations; bounds half-open', async () => {
      const store = await dialect.open();
      try {
        const org = async (name: string, telehealth: boolean) =>
          (await store.organizations.upsert({ name, sector: 'clinic', domains: [`${name}.test`], telehealth }))
            .organization.id;
        const tele = await org('tele', true);
        const rest = await org('rest', false);
        const rest2 = await org('rest2', false);
        let seq = 0;
        const documents: DarkwebDocumentRow[] = [];
        const mentions: DarkwebMentionRow[] = [];
        const doc = (postedAt: string | null, ingestedAt: string, cls: string, orgs: string[]): void => {
          seq += 1;
          const id = `d${seq}`;
          documents.push({
            id,
            seq,
            source: 's',
            source_type: 'forum',
            url: null,
            title: null,
            author: null,
            posted_at: postedAt,
            ingested_at: ingestedAt,
            language: 'en',
            content_hash: `h${seq}`,
            simhash: '0000000000000000',
            near_dup_group: id,
            text: 't',
            class: cls,
            class_score: 1,
          });
          for (const o of orgs)
            mentions.push({
              id: `${id}-${o}`,
              document_id: id,
              organization_id: o,
              class: cls,
              confidence: 1,
              via: 'name',
              matched: 'x',
              snippet: 'x',
              posted_at: postedAt,
              created_at: ingestedAt,
            });
        };
        doc('2020-03-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'ransomware_listing', [tele, rest]);
        doc('2020-03-20T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'ransomware_listing', [rest]);
        doc(null, '2020-04-30T23:59:59.999Z', 'chatter', [rest, rest2]);
        doc('2020-05-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'chatter', [rest]); // after the range
        doc('2020-02-29T23:59:59.999Z', '2026-01-01T00:00:00.000Z', 'chatter', [rest]); // before it
        await store.darkweb.storeBatch({
          documents,
          entities: [],
          credentials: [],
          mentions,
          checkpoints: new Map(),
          at: '2026-01-01T00:00:00.000Z',
        });

        const counts = await store.darkweb.mentionsByMonth({
          from: '2020-03-01T00:00:00Z',
          to: '2020-05-01T00:00:00Z',
        });
        assert.deepEqual(counts, [
          // March ransomware: tele once; rest twice (two documents) but one organization.
          { month: '2020-03', class: 'ransomware_listing', telehealth: false, mentions: 2, organizations: 1 },
          { month: '2020-03', class: 'ransomware_listing', telehealth: true, mentions: 1, organizations: 1 },
          // The undated document counts in the month it was ingested.
          { month: '2020-04', class: 'chatter', telehealth: false, mentions: 2, organizations: 2 },
        ]);
      } finally {
        await store.close();
      }
    });
  });
}
