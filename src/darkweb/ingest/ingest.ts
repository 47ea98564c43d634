/**
 * Dark-web ingestion: documents from files (`ingestPaths`) or from code such as the crawler
 * (`ingestDocuments`) are normalized, hashed, fingerprinted, language-tagged and analysed, then
 * committed in batches. Each batch is one transaction that also advances the checkpoint of every
 * source it consumed, so after any interruption (kill -9 included) a re-run resumes exactly: nothing
 * committed is read again and nothing read but uncommitted is lost. Exact duplicates (same content
 * hash, in the store or earlier in the batch) are dropped; near duplicates (SimHash distance ≤ 3) are
 * stored and grouped under the first document of their group.
 */
import type { Store } from '../../store/database.js';
import type { DarkwebBatch, DarkwebCredentialRow, DarkwebDocumentRow, DarkwebEntityRow, DarkwebMentionRow, IngestCheckpoint } from '../../store/repos/darkweb.repo.js';
import { newId } from '../../store/codec.js';
import { createDocumentAnalyzer, redactCredentialSecrets } from '../analyze.js';
import type { DocumentAnalysis, DocumentAnalyzer } from '../analyze.js';
import { DOCUMENT_CLASSES } from '../types.js';
import type { DarkwebDocumentInput, DocumentClass, SourceType } from '../types.js';
import { parsePostedAt, validateDocumentInput } from './document-input.js';
import { htmlToText } from './html-to-text.js';
import { detectLanguage } from './language.js';
import { contentHash, normalizeLine, normalizeText, stableDocumentId } from './normalize.js';
import { planSources, readSource } from './readers.js';
import type { SourceDefaults, SourceItem } from './readers.js';
import { NearDuplicateIndex, simhash, simhashFromHex, simhashToHex } from './simhash.js';
import type { SimHash } from './simhash.js';

/** Options of `ingestDocuments` and `ingestPaths`. */
export interface IngestOptions {
  /** Documents per transaction; default 1000. */
  batchSize?: number;
  /** Run extraction, organization matching and classification; default true. Off: documents are stored as `chatter` with no entities. */
  analyze?: boolean;
  /** `source` and `source_type` of HTML and text files, which carry no metadata. */
  defaults?: SourceDefaults;
  /** Clock (tests). */
  now?: () => Date;
  /** Called after every committed batch and every 1,000 records read. */
  onProgress?: (progress: IngestProgress) => void;
  /** A record that was not stored (invalid, unreadable file, id already used). */
  onProblem?: (problem: IngestProblem) => void;
  /** Stops reading; what was read so far is committed before returning. */
  signal?: AbortSignal;
}

/** Progress of a run. */
export interface IngestProgress {
  read: number;
  inserted: number;
  /** Bytes of input consumed and in total (ingestPaths only; 0 otherwise). */
  bytesDone: number;
  bytesTotal: number;
}

/** A record that was not stored. */
export interface IngestProblem {
  where: string;
  message: string;
}

/** What a run did. */
export interface IngestSummary {
  /** Records read: documents plus rejected records. */
  read: number;
  /** Documents stored now. */
  inserted: number;
  /** Exact duplicates dropped (same normalized text as a stored document or an earlier one of the run). */
  duplicates: number;
  /** Stored documents that joined an existing near-duplicate group. */
  nearDuplicates: number;
  /** Records rejected (invalid JSON or fields, empty text, id already used by another document). */
  rejected: number;
  /** Mention rows stored, in total and by class. */
  mentions: number;
  mentionsByClass: Record<DocumentClass, number>;
  documentsByClass: Record<DocumentClass, number>;
  entities: number;
  credentials: number;
  /** Files in folders that no reader handles. */
  skippedFiles: string[];
  /** Files that could not be read at all (the run went on with the others). */
  failedFiles: string[];
  /** True when stopped by the signal before the input ended. */
  interrupted: boolean;
  elapsedMs: number;
  docsPerSecond: number;
}

/** A document ready to store (before dedup against the store). */
interface Prepared {
  id: string;
  source: string;
  sourceType: SourceType;
  url: string | null;
  title: string | null;
  author: string | null;
  postedAt: string | null;
  language: string | null;
  hash: string;
  fingerprint: SimHash;
  text: string;
  where: string;
  analysis?: DocumentAnalysis;
}

const DEFAULT_BATCH_SIZE = 1000;
/** Fingerprints loaded per query when the near-duplicate index is rebuilt from the store. */
const FINGERPRINT_PAGE = 20_000;

function emptyByClass(): Record<DocumentClass, number> {
  return Object.fromEntries(DOCUMENT_CLASSES.map((c) => [c, 0])) as Record<DocumentClass, number>;
}

/** The batching, dedup and commit engine shared by both entry points. */
class Ingester {
  private readonly batchSize: number;
  private readonly now: () => Date;
  private readonly started = Date.now();
  private analyzer: DocumentAnalyzer | undefined;
  private readonly nearDuplicates = new NearDuplicateIndex();
  private pending: Prepared[] = [];
  private pendingCheckpoints = new Map<string, IngestCheckpoint>();
  private itemsSinceFlush = 0;
  readonly summary: IngestSummary = {
    read: 0,
    inserted: 0,
    duplicates: 0,
    nearDuplicates: 0,
    rejected: 0,
    mentions: 0,
    mentionsByClass: emptyByClass(),
    documentsByClass: emptyByClass(),
    entities: 0,
    credentials: 0,
    skippedFiles: [],
    failedFiles: [],
    interrupted: false,
    elapsedMs: 0,
    docsPerSecond: 0,
  };
  bytesDone = 0;
  bytesTotal = 0;

  constructor(
    private readonly store: Store,
    private readonly options: IngestOptions,
  ) {
    this.batchSize = Math.max(1, Math.min(options.batchSize ?? DEFAULT_BATCH_SIZE, 100_000));
    this.now = options.now ?? (() => new Date());
  }

  async start(): Promise<void> {
    if (this.options.analyze !== false) {
      const [organizations, salt] = await Promise.all([this.store.organizations.list(), this.store.darkweb.credentialSalt()]);
      this.analyzer = createDocumentAnalyzer(organizations, salt);
    }
    // Near duplicates are looked up in memory: one pass over the stored fingerprints.
    for (let after = 0; ; ) {
      const page = await this.store.darkweb.fingerprints(after, FINGERPRINT_PAGE);
      for (const f of page) {
        const hash = simhashFromHex(f.simhash);
        if (hash !== undefined) this.nearDuplicates.add(hash, f.nearDupGroup);
      }
      if (page.length < FINGERPRINT_PAGE) break;
      after = page[page.length - 1]!.seq;
    }
  }

  problem(where: string, message: string): void {
    this.summary.rejected += 1;
    this.options.onProblem?.({ where, message });
  }

  /** Take one item; commits a batch when enough have accumulated. */
  async accept(item: SourceItem | { doc: DarkwebDocumentInput; where: string; sourceKey?: undefined }): Promise<void> {
    if (item.sourceKey !== undefined) this.pendingCheckpoints.set(item.sourceKey, item.next);
    this.itemsSinceFlush += 1;
    if ('rejected' in item && item.rejected !== undefined) {
      this.summary.read += 1;
      this.problem(item.where, item.rejected);
    } else if (item.doc !== undefined) {
      this.summary.read += 1;
      try {
        this.pending.push(this.prepare(item.doc, item.where));
      } catch (error) {
        this.problem(item.where, (error as Error).message);
      }
    }
    if (this.pending.length >= this.batchSize || this.itemsSinceFlush >= this.batchSize * 4) await this.flush();
    else if (this.summary.read % 1000 === 0) this.reportProgress();
  }

  private prepare(doc: DarkwebDocumentInput, where: string): Prepared {
    let text = doc.text;
    let title = doc.title;
    let url = doc.url;
    let postedAt = doc.posted_at;
    if (text === undefined && doc.html !== undefined) {
      const page = htmlToText(doc.html);
      text = page.text;
      title ??= page.title;
      url ??= page.canonicalUrl;
      if (postedAt === undefined && page.publishedAt !== undefined) {
        try {
          postedAt = parsePostedAt(page.publishedAt);
        } catch {
          // The page's own date markup is unreliable; keep the document undated.
        }
      }
    }
    const normalized = normalizeText(text ?? '');
    if (normalized === '') throw new Error('empty text');
    const hash = contentHash(normalized);
    const titleLine = normalizeLine(title);
    const prepared: Prepared = {
      id: doc.id ?? stableDocumentId(hash),
      source: normalizeLine(doc.source) ?? 'unknown',
      sourceType: doc.source_type,
      url: normalizeLine(url, 4096) ?? null,
      title: titleLine ?? null,
      author: normalizeLine(doc.author) ?? null,
      postedAt: postedAt ?? null,
      language: detectLanguage(normalized) ?? null,
      hash,
      fingerprint: simhash(normalized),
      text: normalized,
      where,
    };
    return prepared;
  }

  /** Commit what is pending: dedup, analysis, seq and groups, rows, checkpoints; one transaction. */
  async flush(): Promise<void> {
    if (this.pending.length === 0 && this.pendingCheckpoints.size === 0) return;
    const batch = this.pending;
    const checkpoints = this.pendingCheckpoints;
    this.pending = [];
    this.pendingCheckpoints = new Map();
    this.itemsSinceFlush = 0;

    // Drop duplicates within the batch and against the store before the costly analysis; the
    // transaction re-checks, for a writer that committed in between.
    const stored = await this.store.darkweb.existingContentHashes(batch.map((d) => d.hash));
    const fresh: Prepared[] = [];
    const hashes = new Set<string>();
    for (const doc of batch) {
      if (stored.has(doc.hash) || hashes.has(doc.hash)) {
        this.summary.duplicates += 1;
        continue;
      }
      hashes.add(doc.hash);
      fresh.push(doc);
    }
    if (this.analyzer !== undefined) {
      for (const doc of fresh) {
        doc.analysis = this.analyzer.analyze(doc.title === null ? { source_type: doc.sourceType, text: doc.text } : { source_type: doc.sourceType, title: doc.title, text: doc.text });
      }
    }

    const at = this.now().toISOString();
    const counts = await this.store.transaction(async (repos) => {
      const racing = await repos.darkweb.existingContentHashes(fresh.map((d) => d.hash));
      const takenIds = await repos.darkweb.existingIds(fresh.map((d) => d.id));
      let seq = await repos.darkweb.maxSeq();
      const rows: DarkwebBatch = { documents: [], entities: [], credentials: [], mentions: [], checkpoints, at };
      const local = { inserted: 0, duplicates: 0, nearDuplicates: 0, rejected: [] as Prepared[], kept: [] as Prepared[] };
      for (const doc of fresh) {
        if (racing.has(doc.hash)) {
          local.duplicates += 1;
          continue;
        }
        if (takenIds.has(doc.id)) {
          local.rejected.push(doc);
          continue;
        }
        takenIds.add(doc.id);
        seq += 1;
        const existingGroup = this.nearDuplicates.findGroup(doc.fingerprint);
        const group = existingGroup ?? doc.id;
        if (existingGroup !== undefined) local.nearDuplicates += 1;
        this.nearDuplicates.add(doc.fingerprint, group);
        const analysis = doc.analysis;
        const documentRow: DarkwebDocumentRow = {
          id: doc.id,
          seq,
          source: doc.source,
          source_type: doc.sourceType,
          url: doc.url,
          title: doc.title,
          author: doc.author,
          posted_at: doc.postedAt,
          ingested_at: at,
          language: doc.language,
          content_hash: doc.hash,
          simhash: simhashToHex(doc.fingerprint),
          near_dup_group: group,
          // Passwords of credential pairs are overwritten: the store never holds one in clear.
          text: analysis?.text ?? redactCredentialSecrets(doc.text),
          class: analysis?.class ?? 'chatter',
          class_score: analysis?.classScore ?? 0,
        };
        rows.documents.push(documentRow);
        local.kept.push(doc);
        if (analysis === undefined) continue;
        for (const e of analysis.entities) {
          const entity: DarkwebEntityRow = { id: newId(), document_id: doc.id, type: e.type, value: e.value, start_offset: e.start, end_offset: e.end, confidence: e.confidence };
          rows.entities.push(entity);
        }
        for (const c of analysis.credentials) {
          const credential: DarkwebCredentialRow = {
            id: newId(),
            document_id: doc.id,
            email: c.email,
            domain: c.domain,
            password_hash: c.passwordHash,
            password_hint: c.passwordHint,
            seen_at: doc.postedAt ?? at,
          };
          rows.credentials.push(credential);
        }
        for (const m of analysis.mentions) {
          const mention: DarkwebMentionRow = {
            id: newId(),
            document_id: doc.id,
            organization_id: m.organizationId,
            class: analysis.class,
            confidence: m.confidence,
            via: m.via,
            matched: m.matched,
            snippet: m.snippet,
            posted_at: doc.postedAt,
            created_at: at,
          };
          rows.mentions.push(mention);
        }
      }
      await repos.darkweb.storeBatch(rows);
      return { ...local, entities: rows.entities.length, credentials: rows.credentials.length };
    });

    this.summary.inserted += counts.kept.length;
    this.summary.duplicates += counts.duplicates;
    this.summary.nearDuplicates += counts.nearDuplicates;
    this.summary.entities += counts.entities;
    this.summary.credentials += counts.credentials;
    for (const doc of counts.kept) {
      const cls = doc.analysis?.class ?? 'chatter';
      this.summary.documentsByClass[cls] += 1;
      const mentions = doc.analysis?.mentions.length ?? 0;
      this.summary.mentions += mentions;
      this.summary.mentionsByClass[cls] += mentions;
    }
    for (const doc of counts.rejected) this.problem(doc.where, `id ${JSON.stringify(doc.id)} is already used by another document`);
    this.reportProgress();
  }

  reportProgress(): void {
    this.options.onProgress?.({ read: this.summary.read, inserted: this.summary.inserted, bytesDone: this.bytesDone, bytesTotal: this.bytesTotal });
  }

  async finish(): Promise<IngestSummary> {
    await this.flush();
    this.summary.elapsedMs = Date.now() - this.started;
    this.summary.docsPerSecond = this.summary.elapsedMs > 0 ? Math.round((this.summary.read * 1000) / this.summary.elapsedMs) : 0;
    return this.summary;
  }
}

/**
 * Store documents handed over by code (the crawler): each is validated like a JSONL record. No
 * checkpoints: the caller owns resumption, and content hashes keep a repeated document out.
 */
export async function ingestDocuments(
  store: Store,
  docs: AsyncIterable<DarkwebDocumentInput> | Iterable<DarkwebDocumentInput>,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const ingester = new Ingester(store, options);
  await ingester.start();
  let index = 0;
  for await (const doc of docs) {
    index += 1;
    const where = `document #${index}${typeof doc?.id === 'string' ? ` (${doc.id})` : ''}`;
    let valid: DarkwebDocumentInput;
    try {
      valid = validateDocumentInput(doc);
    } catch (error) {
      ingester.summary.read += 1;
      ingester.problem(where, (error as Error).message);
      continue;
    }
    await ingester.accept({ doc: valid, where });
    if (options.signal?.aborted === true) {
      ingester.summary.interrupted = true;
      break;
    }
  }
  return ingester.finish();
}

/** Ingest files and folders (JSONL, HTML, text pastes, Telegram exports), resuming from checkpoints. */
export async function ingestPaths(store: Store, paths: readonly string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const plan = await planSources(paths);
  const ingester = new Ingester(store, options);
  ingester.summary.skippedFiles.push(...plan.skipped);
  await ingester.start();
  const checkpoints = await store.darkweb.checkpoints(plan.files.map((f) => f.sourceKey));
  ingester.bytesTotal = plan.files.reduce((sum, f) => sum + f.size, 0);
  outer: for (const file of plan.files) {
    const from = checkpoints.get(file.sourceKey) ?? { byteOffset: 0, line: 0 };
    const base = ingester.bytesDone;
    try {
      for await (const item of readSource(file, from, options.defaults)) {
        if (file.kind === 'jsonl') ingester.bytesDone = base + item.next.byteOffset;
        await ingester.accept(item);
        if (options.signal?.aborted === true) {
          ingester.summary.interrupted = true;
          break outer;
        }
      }
    } catch (error) {
      ingester.summary.failedFiles.push(file.path);
      options.onProblem?.({ where: file.path, message: (error as Error).message });
    }
    ingester.bytesDone = base + file.size;
  }
  return ingester.finish();
}
