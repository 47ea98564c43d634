/**
 * Dark-web documents, entities, credential sightings, organization mentions and ingestion
 * checkpoints. The ingester decides what to store (dedup, grouping, analysis); this repo writes it in
 * multi-row chunks and answers the queries the CLI and the findings derivation need.
 */
import { CompiledQuery, SqliteAdapter, sql, type Insertable, type Kysely } from 'kysely';
import type { CredentialSighting, MentionRecord } from '../../core/darkweb.js';
import { chunks, inTransaction, isoTimestamp } from '../codec.js';
import type { StoreSchema } from '../schema.js';
import type {
  DarkwebCredentialsTable,
  DarkwebDocumentsTable,
  DarkwebEntitiesTable,
  DarkwebMentionsTable,
} from '../schema-darkweb.js';
import { canonicalName } from '../../core/names.js';

/** A document row as the ingester builds it. */
export type DarkwebDocumentRow = Insertable<DarkwebDocumentsTable>;
/** An entity row. */
export type DarkwebEntityRow = Insertable<DarkwebEntitiesTable>;
/** A credential sighting row (no password in clear). */
export type DarkwebCredentialRow = Insertable<DarkwebCredentialsTable>;
/** A mention row. */
export type DarkwebMentionRow = Insertable<DarkwebMentionsTable>;

/** Mentions of one month, document class and cohort (see `DarkwebRepo.mentionsByMonth`). */
export interface MentionMonthCount {
  month: string;
  class: string;
  telehealth: boolean;
  mentions: number;
  organizations: number;
}

/** How far a source has been committed. */
export interface IngestCheckpoint {
  byteOffset: number;
  line: number;
}

/** Everything one ingestion batch writes. */
export interface DarkwebBatch {
  documents: DarkwebDocumentRow[];
  entities: DarkwebEntityRow[];
  credentials: DarkwebCredentialRow[];
  mentions: DarkwebMentionRow[];
  checkpoints: Map<string, IngestCheckpoint>;
  /** When the checkpoints were written. */
  at: string;
}

/** A stored document's near-duplicate fingerprint. */
export interface DocumentFingerprint {
  seq: number;
  id: string;
  simhash: string;
  nearDupGroup: string;
}

/** Filters of `listMentions`; combined with AND. */
export interface MentionFilter {
  organizationId?: string;
  class?: string;
  /** Mentions posted (or, for undated documents, ingested) at or after this ISO time. */
  since?: string;
  limit?: number;
}

/** INSERT texts by table, columns, row count and dialect: the same text object each time, as SQL and as a cache key. */
const plainInsertTexts = new Map<string, string>();

/**
 * A multi-row INSERT of `rows` written directly, without Kysely's query builder: ingestion inserts
 * thousands of rows a batch, and building and compiling a node per value cost about a tenth of the
 * ingesting thread's time. Only for rows that all have the same keys, each a string, number or null
 * (what ingestion stores); false, and nothing done, for anything else, which the builder then inserts.
 */
async function insertPlainRows(db: Kysely<StoreSchema>, table: string, rows: readonly object[]): Promise<boolean> {
  const first = rows[0];
  if (first === undefined) return true;
  const columns = Object.keys(first);
  const parameters: unknown[] = [];
  for (const row of rows) {
    const values = Object.values(row);
    if (values.length !== columns.length) return false;
    let k = 0;
    for (const key in row) {
      const value = values[k];
      if (key !== columns[k++] || (value !== null && typeof value !== 'string' && typeof value !== 'number'))
        return false;
    }
    for (const value of values) parameters.push(value);
  }
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const key = `${sqlite ? 's' : 'p'} ${table} ${rows.length} ${columns.join(',')}`;
  let text = plainInsertTexts.get(key);
  if (text === undefined) {
    let n = 0;
    const tuple = (): string => `(${columns.map(() => (sqlite ? '?' : `$${++n}`)).join(', ')})`;
    const tuples = Array.from({ length: rows.length }, tuple).join(', ');
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples}`;
    // A batch's last chunk has any size: keep a bounded set (a full chunk's text is about 25 KB).
    if (plainInsertTexts.size >= 64) plainInsertTexts.clear();
    plainInsertTexts.set(key, text);
  }
  await db.executeQuery(CompiledQuery.raw(text, parameters));
  return true;
}

/** Pages of write-ahead log between SQLite checkpoints during `bulkWrite` (64 MiB at 4 KiB pages). */
const BULK_CHECKPOINT_PAGES = 16_384;

/** Rows per multi-row INSERT: SQLite allows 32,766 bound parameters, PostgreSQL 65,535. */
const INSERT_CHUNK_ROWS = 500;
/** The setting where older versions kept the key of the credential password HMACs. */
const LEGACY_CREDENTIAL_KEY_SETTING = 'credential_salt';

/** Data access for the dark-web tables. */
/** A mention's stored reasons (a JSON array of strings); anything else reads as none. */
function parseReasons(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** An entity with the stored text it spans. */
export interface EntityRecord {
  documentId: string;
  type: string;
  /** The normalized value the extractor stored (the e-mail of a credential pair, the PHI indicator kind). */
  value: string;
  /** The document's stored text at [start, end): passwords are masked there. */
  text: string;
  start: number;
  end: number;
  confidence: number;
}

export class DarkwebRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /**
   * Run `work`, a run of batch writes (ingestion), with SQLite checkpointing its write-ahead log every
   * BULK_CHECKPOINT_PAGES pages instead of every 1,000 (its default): each checkpoint waits for two
   * fsyncs (synchronous = NORMAL), on the thread that commits the batches. Measured on 50,000 bench
   * documents: 158 checkpoint syncs, about 1 s of the run. Durability is the same (a commit is in the
   * log either way); the log file grows to about 64 MiB meanwhile. PostgreSQL: `work` as is.
   */
  async bulkWrite<T>(work: () => Promise<T>): Promise<T> {
    if (!(this.db.getExecutor().adapter instanceof SqliteAdapter) || this.db.isTransaction) return work();
    const rows = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(this.db);
    const before = Number(rows.rows[0]?.wal_autocheckpoint ?? 1000);
    await sql.raw(`PRAGMA wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`).execute(this.db);
    try {
      return await work();
    } finally {
      await sql.raw(`PRAGMA wal_autocheckpoint = ${Number.isSafeInteger(before) ? before : 1000}`).execute(this.db);
    }
  }

  /**
   * The credential HMAC key as older versions stored it in the database; undefined when absent. The
   * key now lives outside the database (src/darkweb/credential-key.ts), which moves this one out.
   */
  async legacyCredentialKey(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('darkweb_settings')
      .select('value')
      .where('key', '=', LEGACY_CREDENTIAL_KEY_SETTING)
      .executeTakeFirst();
    return row?.value;
  }

  /**
   * Deletes the stored credential key, only if it still is `value`. It is overwritten first: SQLite
   * leaves a deleted row's bytes in the page, and the overwrite puts zeros there instead.
   */
  async deleteLegacyCredentialKey(value: string): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx
        .updateTable('darkweb_settings')
        .set({ value: '0'.repeat(value.length) })
        .where('key', '=', LEGACY_CREDENTIAL_KEY_SETTING)
        .where('value', '=', value)
        .execute();
      await trx
        .deleteFrom('darkweb_settings')
        .where('key', '=', LEGACY_CREDENTIAL_KEY_SETTING)
        .where('value', '=', '0'.repeat(value.length))
        .execute();
    });
  }

  /** Checkpoints of these sources (absent = never started). */
  async checkpoints(sourceKeys: readonly string[]): Promise<Map<string, IngestCheckpoint>> {
    const out = new Map<string, IngestCheckpoint>();
    for (const part of chunks(sourceKeys)) {
      const rows = await this.db
        .selectFrom('darkweb_ingest_checkpoints')
        .selectAll()
        .where('source_key', 'in', part)
        .execute();
      // bigint columns come back from pg as strings.
      for (const row of rows) out.set(row.source_key, { byteOffset: Number(row.byte_offset), line: Number(row.line) });
    }
    return out;
  }

  /** The highest document seq (0 when empty). */
  async maxSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('darkweb_documents')
      .select((eb) => eb.fn.max('seq').as('max'))
      .executeTakeFirst();
    return row?.max === null || row?.max === undefined ? 0 : Number(row.max);
  }

  /** Which of these content hashes are already stored. */
  async existingContentHashes(hashes: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks(hashes)) {
      const rows = await this.db
        .selectFrom('darkweb_documents')
        .select('content_hash')
        .where('content_hash', 'in', part)
        .execute();
      for (const row of rows) out.add(row.content_hash);
    }
    return out;
  }

  /** Which of these document ids are already stored. */
  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks(ids)) {
      const rows = await this.db.selectFrom('darkweb_documents').select('id').where('id', 'in', part).execute();
      for (const row of rows) out.add(row.id);
    }
    return out;
  }

  /** Fingerprints of documents with seq above `afterSeq`, in seq order, at most `limit` (keyset paging). */
  async fingerprints(afterSeq: number, limit: number): Promise<DocumentFingerprint[]> {
    const rows = await this.db
      .selectFrom('darkweb_documents')
      .select(['seq', 'id', 'simhash', 'near_dup_group'])
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), id: r.id, simhash: r.simhash, nearDupGroup: r.near_dup_group }));
  }

  /** Write one batch (documents, then their children, then checkpoints) in one transaction. */
  async storeBatch(batch: DarkwebBatch): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      for (const part of chunks(batch.documents, INSERT_CHUNK_ROWS))
        if (!(await insertPlainRows(trx, 'darkweb_documents', part)))
          await trx.insertInto('darkweb_documents').values(part).execute();
      for (const part of chunks(batch.entities, INSERT_CHUNK_ROWS))
        if (!(await insertPlainRows(trx, 'darkweb_entities', part)))
          await trx.insertInto('darkweb_entities').values(part).execute();
      for (const part of chunks(batch.credentials, INSERT_CHUNK_ROWS))
        if (!(await insertPlainRows(trx, 'darkweb_credentials', part)))
          await trx.insertInto('darkweb_credentials').values(part).execute();
      for (const part of chunks(batch.mentions, INSERT_CHUNK_ROWS))
        if (!(await insertPlainRows(trx, 'darkweb_mentions', part)))
          await trx.insertInto('darkweb_mentions').values(part).execute();
      const checkpoints = [...batch.checkpoints].map(([source_key, c]) => ({
        source_key,
        byte_offset: c.byteOffset,
        line: c.line,
        updated_at: batch.at,
      }));
      for (const part of chunks(checkpoints, INSERT_CHUNK_ROWS)) {
        await trx
          .insertInto('darkweb_ingest_checkpoints')
          .values(part)
          .onConflict((oc) =>
            oc.column('source_key').doUpdateSet((eb) => ({
              byte_offset: eb.ref('excluded.byte_offset'),
              line: eb.ref('excluded.line'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
    });
  }

  /** Mentions with their document and organization, newest first. */
  async listMentions(filter: MentionFilter = {}): Promise<MentionRecord[]> {
    let query = this.db
      .selectFrom('darkweb_mentions as m')
      .innerJoin('darkweb_documents as d', 'd.id', 'm.document_id')
      .innerJoin('organizations as o', 'o.id', 'm.organization_id')
      .select([
        'm.document_id',
        'm.organization_id',
        'o.name as organization_name',
        'm.class',
        'm.confidence',
        'm.via',
        'm.matched',
        'm.snippet',
        'm.reasons',
        'd.source_type',
        'd.source',
        'd.url',
        'd.title',
        'd.posted_at',
        'd.ingested_at',
      ]);
    if (filter.organizationId !== undefined) query = query.where('m.organization_id', '=', filter.organizationId);
    if (filter.class !== undefined) query = query.where('m.class', '=', filter.class);
    if (filter.since !== undefined) {
      const since = isoTimestamp(filter.since, 'since');
      // An undated document counts from when it was ingested.
      query = query.where((eb) =>
        eb.or([
          eb('d.posted_at', '>=', since),
          eb.and([eb('d.posted_at', 'is', null), eb('d.ingested_at', '>=', since)]),
        ]),
      );
    }
    query = query.orderBy('d.posted_at', 'desc').orderBy('d.seq', 'desc').orderBy('o.name');
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    const rows = await query.execute();
    return rows.map((r) => ({
      documentId: r.document_id,
      organizationId: r.organization_id,
      organizationName: r.organization_name,
      class: r.class,
      confidence: Number(r.confidence),
      via: r.via,
      matched: r.matched,
      snippet: r.snippet,
      reasons: parseReasons(r.reasons),
      sourceType: r.source_type,
      source: r.source,
      url: r.url,
      title: r.title,
      postedAt: r.posted_at,
      ingestedAt: r.ingested_at,
    }));
  }

  /** How many mentions each organization has (organizations without any are absent). */
  async mentionCounts(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('darkweb_mentions')
      .select(['organization_id', (eb) => eb.fn.countAll().as('mentions')])
      .groupBy('organization_id')
      .execute();
    // count() is a bigint on PostgreSQL, which pg returns as a string.
    return new Map(rows.map((r) => [r.organization_id, Number(r.mentions)]));
  }

  /**
   * Mentions per month (`YYYY-MM` of the document's posting date, or of its ingestion when undated, as
   * `listMentions` dates them), document class and telehealth flag of the organization, in [from, to):
   * how many mentions and how many distinct organizations. For the study's dark-web table.
   */
  async mentionsByMonth(range: { from: string; to: string }): Promise<MentionMonthCount[]> {
    const from = isoTimestamp(range.from, 'from');
    const to = isoTimestamp(range.to, 'to');
    const dated = sql<string>`coalesce(d.posted_at, d.ingested_at)`;
    const month = sql<string>`substr(coalesce(d.posted_at, d.ingested_at), 1, 7)`;
    const rows = await this.db
      .selectFrom('darkweb_mentions as m')
      .innerJoin('darkweb_documents as d', 'd.id', 'm.document_id')
      .innerJoin('organizations as o', 'o.id', 'm.organization_id')
      .select([
        month.as('month'),
        'm.class',
        'o.telehealth',
        (eb) => eb.fn.countAll().as('mentions'),
        (eb) => eb.fn.count('m.organization_id').distinct().as('organizations'),
      ])
      .where(dated, '>=', from)
      .where(dated, '<', to)
      .groupBy([month, 'm.class', 'o.telehealth'])
      .orderBy('month')
      .orderBy('m.class')
      .orderBy('o.telehealth')
      .execute();
    // count() is a bigint on PostgreSQL, which pg returns as a string.
    return rows.map((r) => ({
      month: r.month,
      class: r.class,
      telehealth: Number(r.telehealth) === 1,
      mentions: Number(r.mentions),
      organizations: Number(r.organizations),
    }));
  }

  /** Credential sightings of e-mail addresses at or below these domains. */
  async credentialSightings(domains: readonly string[]): Promise<CredentialSighting[]> {
    const wanted = [...new Set(domains.map((d) => canonicalName(d.trim())).filter((d) => d !== ''))];
    if (wanted.length === 0) return [];
    const rows = await this.db
      .selectFrom('darkweb_credentials')
      .select(['document_id', 'email', 'domain', 'password_hint', 'seen_at'])
      .where((eb) =>
        eb.or(wanted.flatMap((d) => [eb('domain', '=', d), eb('domain', 'like', `%.${d.replace(/[\\%_]/g, '')}`)])),
      )
      .execute();
    return rows
      .filter((r) => wanted.some((d) => r.domain === d || r.domain.endsWith(`.${d}`)))
      .map((r) => ({
        documentId: r.document_id,
        email: r.email,
        domain: r.domain,
        passwordHint: r.password_hint,
        seenAt: r.seen_at,
      }));
  }

  /** Number of stored documents. */
  async countDocuments(): Promise<number> {
    const row = await this.db
      .selectFrom('darkweb_documents')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Ids of all stored documents in seq order (tests and audits). */
  async documentIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('darkweb_documents').select('id').orderBy('seq').execute();
    return rows.map((r) => r.id);
  }

  /** One stored document row. */
  async getDocument(id: string): Promise<DarkwebDocumentsTable | undefined> {
    const row = await this.db.selectFrom('darkweb_documents').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : { ...row, seq: Number(row.seq), class_score: Number(row.class_score) };
  }

  /**
   * Entities with the text they span in the stored document (passwords masked there), by document
   * (ingestion order) and offset; optionally of one type or one document. Each document's text is read
   * once, a page of documents at a time, so an export of millions of entities stays bounded in memory.
   */
  async *streamEntities(filter: { type?: string; documentId?: string } = {}): AsyncGenerator<EntityRecord> {
    const PAGE = 200;
    for (let afterSeq = -1; ; ) {
      let documents = this.db
        .selectFrom('darkweb_documents as d')
        .select(['d.id', 'd.seq', 'd.text'])
        .where('d.seq', '>', afterSeq)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('darkweb_entities as e')
              .select('e.id')
              .whereRef('e.document_id', '=', 'd.id')
              .$if(filter.type !== undefined, (q) => q.where('e.type', '=', filter.type!)),
          ),
        );
      if (filter.documentId !== undefined) documents = documents.where('d.id', '=', filter.documentId);
      const page = await documents.orderBy('d.seq').limit(PAGE).execute();
      if (page.length === 0) return;
      let entities = this.db
        .selectFrom('darkweb_entities')
        .selectAll()
        .where(
          'document_id',
          'in',
          page.map((d) => d.id),
        );
      if (filter.type !== undefined) entities = entities.where('type', '=', filter.type);
      const rows = await entities.orderBy('document_id').orderBy('start_offset').orderBy('type').execute();
      const byDocument = new Map<string, typeof rows>();
      for (const row of rows) {
        const list = byDocument.get(row.document_id) ?? [];
        list.push(row);
        byDocument.set(row.document_id, list);
      }
      for (const document of page) {
        for (const row of byDocument.get(document.id) ?? []) {
          const start = Number(row.start_offset);
          const end = Number(row.end_offset);
          yield {
            documentId: document.id,
            type: row.type,
            value: row.value,
            text: document.text.slice(start, end),
            start,
            end,
            confidence: Number(row.confidence),
          };
        }
      }
      if (page.length < PAGE || filter.documentId !== undefined) return;
      afterSeq = Number(page[page.length - 1]!.seq);
    }
  }

  /** Entities of one document, by offset. */
  async entitiesOf(documentId: string): Promise<DarkwebEntitiesTable[]> {
    const rows = await this.db
      .selectFrom('darkweb_entities')
      .selectAll()
      .where('document_id', '=', documentId)
      .orderBy('start_offset')
      .execute();
    return rows.map((r) => ({
      ...r,
      start_offset: Number(r.start_offset),
      end_offset: Number(r.end_offset),
      confidence: Number(r.confidence),
    }));
  }

  /** Credential rows of one document (hash and hint only). */
  async credentialsOf(documentId: string): Promise<DarkwebCredentialsTable[]> {
    return this.db
      .selectFrom('darkweb_credentials')
      .selectAll()
      .where('document_id', '=', documentId)
      .orderBy('email')
      .execute();
  }
}
