/**
 * Finding events in organization order (`FindingsRepo.streamEvents({ order: 'organization' })`): scoring
 * history as of past dates walks one organization's findings at a time, and keyset pages in that order
 * need this index to stay linear.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('finding_events_organization_index')
    .on('finding_events')
    .columns(['organization_id', 'finding_id', 'at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('finding_events_organization_index').ifExists().execute();
}
