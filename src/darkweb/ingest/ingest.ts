/**
 * Dark-web ingestion: documents from files (`ingestPaths`) or from code such as the crawler
 * (`ingestDocuments`) are normalized, hashed, fingerprinted, language-tagged and analysed, then
 * committed in batches. Each batch is one transaction that also advances the checkpoint of every
 * source it consumed, so after any interruption (kill -9 included) a re-run resumes exactly: nothing
 * committed is read again and nothing read but uncommitted is lost. Exact duplicates (same content
 * hash, in the store or earlier in the batch) are dropped; near duplicates (SimHash distance ≤ 3) are
 * stored and grouped under the first document of their group.
 *
 * On large inputs the CPU-heavy preparation (prepare.ts) runs in one worker thread, one batch ahead of
 * the store writes, which better-sqlite3 does synchronously on this thread; this thread also prepares
 * part of each batch when the worker is the slower side. Order-dependent decisions stay here.
 */
import type { Store } from '../../store/database.js';
import type {
  DarkwebBatch,
  DarkwebCredentialRow,
  DarkwebDocumentRow,
  DarkwebEntityRow,
  DarkwebMentionRow,
  IngestCheckpoint,
} from '../../store/repos/darkweb.repo.js';
import { performance } from 'node:perf_hooks';
import { newId } from '../../store/codec.js';
import { redactCredentialSecrets } from '../analyze.js';
import type { DocumentAnalyzer } from '../analyze.js';
import { DOCUMENT_CLASSES } from '../types.js';
import type { DarkwebDocumentInput, DocumentClass } from '../types.js';
import { validateDocumentInput } from './document-input.js';
import { analyzerFor, completeDocument, prepareBatch } from './prepare.js';
import type { AnalysisSetup, PendingDocument, PreparedDocument, PrepareOutcome } from './prepare.js';
import { PrepareThread } from './prepare-thread.js';
import type { PreparedInWorker } from './prepare-thread.js';
import { planSources, readSource } from './readers.js';
import type { SourceDefaults, SourceItem, SourcePlan } from './readers.js';
import { NearDuplicateIndex, simhashFromHex, simhashToHex } from './simhash.js';
import { judgeUnjudgedAliases, recordAliasEvidence } from './alias-evidence.js';
import type { AliasCountRow } from './alias-evidence.js';

/** Options of `ingestDocuments` and `ingestPaths`. */
export interface IngestOptions {
  /** Documents per transaction; default 1000. */
  batchSize?: number;
  /**
   * Run extraction, organization matching and classification; default true. Off: documents are stored as `chatter` with
   * no entities.
   */
  analyze?: boolean;
  /** Key of the credential password HMACs (credential-key.ts `loadCredentialKey`); required for analysis. */
  credentialKey?: string;
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
  /**
   * Prepare documents (normalization, hashes, language, analysis) in a worker thread, overlapped with
   * the store writes. Default: only once 2,000 records have been read, so small inputs skip the
   * thread start-up.
   */
  prepareInWorker?: boolean;
  /**
   * Fixed share (0 to 0.5) of each batch prepared in the ingesting thread while the worker prepares
   * the rest. Default: adjusted batch by batch to whichever side is idle (tests pin it).
   */
  localShare?: number;
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
  /** Aliases that corpus evidence demoted to ambiguous in this run (`alias (organization): why`). */
  demotedAliases: string[];
  elapsedMs: number;
  docsPerSecond: number;
}

type Prepared = PreparedDocument;

/**
 * Documents cut from the input with the checkpoints they advance, being prepared: the head of the
 * batch in the worker, the tail (`local`) in this thread.
 */
interface PreparingBatch {
  remote: Promise<PreparedInWorker>;
  local: PrepareOutcome[];
  checkpoints: Map<string, IngestCheckpoint>;
}

const DEFAULT_BATCH_SIZE = 1000;
/** Fingerprints loaded per query when the near-duplicate index is rebuilt from the store. */
const FINGERPRINT_PAGE = 20_000;
/**
 * Records read before preparation moves to a worker thread (unless `prepareInWorker` says otherwise):
 * below this, starting the worker and building its analyzer costs more than the overlap saves.
 */
const WORKER_MIN_RECORDS = 2000;
/**
 * Largest share of each batch this thread prepares itself next to the worker. With analysis the
 * worker is the slower side, and this thread, once its reads and store writes are done, takes part of
 * its load: the share that makes both sides take equally long, from smoothed measurements.
 */
const MAX_LOCAL_SHARE = 0.5;
/**
 * This thread's share of the first batch the worker prepares, before any measurement: with analysis
 * preparation costs about twice the store writes, for which the balance below gives about a quarter.
 */
const FIRST_LOCAL_SHARE = 0.25;
/** Weight of the newest measurement in the smoothed costs. */
const SMOOTHING = 0.3;

function emptyByClass(): Record<DocumentClass, number> {
  return Object.fromEntries(DOCUMENT_CLASSES.map((c) => [c, 0])) as Record<DocumentClass, number>;
}

/**
 * The batching, dedup and commit engine shared by both entry points. Preparation (prepare.ts) of batch
 * N+1 runs in a worker thread while batch N is committed here; everything order-dependent (dedup,
 * seq, near-duplicate groups, checkpoints) stays on this thread, in input order.
 */
class Ingester {
  private readonly batchSize: number;
  private readonly now: () => Date;
  private readonly started = Date.now();
  private analysisSetup: AnalysisSetup | undefined;
  private analyzer: DocumentAnalyzer | undefined;
  private worker: PrepareThread | undefined;
  /** The input was known to be large enough for the worker before the first record (see `start`). */
  private knownLarge = false;
  private readonly nearDuplicates = new NearDuplicateIndex();
  private pending: PendingDocument[] = [];
  private pendingCheckpoints = new Map<string, IngestCheckpoint>();
  /** The batch being prepared in the worker, committed when the next one is cut (or at the end). */
  private preparing: PreparingBatch | undefined;
  private itemsSinceFlush = 0;
  /** Share of each batch prepared in this thread while the worker prepares the rest. */
  private localShare: number;
  /**
   * Smoothed ms per document of preparation (measured by the worker) and ms per batch of everything else this thread
   * does.
   */
  private prepareMsPerDocument: number | undefined;
  private ownMsPerBatch: number | undefined;
  /** When the last flush returned: the time since is spent reading and validating the next batch. */
  private lastFlushEnd: number | undefined;
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
    demotedAliases: [],
    elapsedMs: 0,
    docsPerSecond: 0,
  };
  bytesDone = 0;
  bytesTotal = 0;
  /** Corpus evidence of this run: per (organization, alias), documents where it matched and stood alone. */
  private readonly aliasCounts = new Map<string, AliasCountRow>();

  constructor(
    private readonly store: Store,
    private readonly options: IngestOptions,
  ) {
    this.batchSize = Math.max(1, Math.min(options.batchSize ?? DEFAULT_BATCH_SIZE, 100_000));
    this.now = options.now ?? (() => new Date());
    this.localShare = Math.max(
      0,
      Math.min(options.localShare ?? (options.analyze === false ? 0 : FIRST_LOCAL_SHARE), MAX_LOCAL_SHARE),
    );
  }

  /**
   * `records`: how many the input holds, when known in advance (an array). With as many as make the
   * worker worth it, it starts now and warms up while the store's fingerprints load, and takes its part
   * of the very first batch.
   */
  async start(records?: number): Promise<void> {
    if (this.options.analyze !== false) {
      const credentialKey = this.options.credentialKey;
      if (credentialKey === undefined || credentialKey === '')
        throw new Error('analysis needs the credential key (IngestOptions.credentialKey)');
      const organizations = await this.store.organizations.list();
      this.analysisSetup = {
        organizations,
        credentialKey,
        aliasJudgements: await judgeUnjudgedAliases(this.store, organizations),
      };
    }
    if (this.options.prepareInWorker === undefined && records !== undefined && records >= WORKER_MIN_RECORDS) {
      this.knownLarge = true;
      this.worker = new PrepareThread(this.analysisSetup);
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

  /** Take one item; cuts a batch when enough have accumulated. */
  async accept(item: SourceItem | { doc: DarkwebDocumentInput; where: string; sourceKey?: undefined }): Promise<void> {
    if (item.sourceKey !== undefined) this.pendingCheckpoints.set(item.sourceKey, item.next);
    this.itemsSinceFlush += 1;
    if ('rejected' in item && item.rejected !== undefined) {
      this.summary.read += 1;
      this.problem(item.where, item.rejected);
    } else if (item.doc !== undefined) {
      this.summary.read += 1;
      this.pending.push({ doc: item.doc, where: item.where });
    }
    if (this.pending.length >= this.batchSize || this.itemsSinceFlush >= this.batchSize * 4) await this.flush(false);
    else if (this.summary.read % 1000 === 0) this.reportProgress();
  }

  private wantsWorker(final: boolean): boolean {
    if (this.options.prepareInWorker !== undefined) return this.options.prepareInWorker;
    return this.knownLarge || (!final && this.summary.read >= WORKER_MIN_RECORDS);
  }

  /**
   * Start the worker one batch before it is wanted (a full batch was cut, more input is likely): its
   * start-up (modules, the analyzer over the portfolio) then overlaps this thread preparing that batch
   * instead of leaving this thread idle when the first batch is handed over.
   */
  private warmsWorker(final: boolean): boolean {
    return this.options.prepareInWorker === undefined && !final && this.summary.read >= WORKER_MIN_RECORDS / 2;
  }

  /**
   * Cut what is pending into a batch. In the worker: hand it over, then commit the batch cut before
   * (prepared meanwhile); `final` also commits this one. In this thread: prepare and commit it now.
   */
  async flush(final: boolean): Promise<void> {
    const items = this.pending;
    const checkpoints = this.pendingCheckpoints;
    this.pending = [];
    this.pendingCheckpoints = new Map();
    this.itemsSinceFlush = 0;
    const empty = items.length === 0 && checkpoints.size === 0;
    const useWorker = !empty && this.wantsWorker(final);
    if (this.worker === undefined && (useWorker || (!empty && this.warmsWorker(final))))
      this.worker = new PrepareThread(this.analysisSetup);
    // Once a batch went to the worker, every later one goes through it too, so commits stay in order.
    if (this.worker === undefined || (!useWorker && this.preparing === undefined)) {
      if (empty) return;
      await this.commit(prepareBatch(items, undefined, false), checkpoints);
      return;
    }
    const flushStarted = performance.now();
    const readMs = this.lastFlushEnd === undefined ? 0 : flushStarted - this.lastFlushEnd;
    const previous = this.preparing;
    this.preparing = undefined;
    if (!empty) {
      const split = items.length - Math.floor(items.length * this.localShare);
      const head = items.slice(0, split);
      const remote = head.length === 0 ? Promise.resolve({ outcomes: [], busyMs: 0 }) : this.worker.prepare(head);
      // Awaited when committed; until then a failure must not surface as an unhandled rejection.
      remote.catch(() => undefined);
      // The tail is prepared here while the worker works on the head (and on the batch before).
      this.preparing = { remote, local: prepareBatch(items.slice(split), this.localAnalyzer()), checkpoints };
    }
    if (previous !== undefined) await this.commitPreparing(previous, items.length, readMs);
    if (final && this.preparing !== undefined) {
      const last = this.preparing;
      this.preparing = undefined;
      await this.commitPreparing(last, 0, 0);
    }
    this.lastFlushEnd = performance.now();
  }

  private localAnalyzer(): DocumentAnalyzer | undefined {
    if (this.analysisSetup !== undefined) this.analyzer ??= analyzerFor(this.analysisSetup);
    return this.analyzer;
  }

  /**
   * Wait for the worker's part of a batch and commit the batch in input order; then rebalance the
   * split of the next batch (`nextSize` documents): this thread's own work per batch (reading plus
   * committing, `ownMs`) against the batch's preparation time T, both sides take equally long when
   * this thread prepares (T - own) / 2T of it.
   */
  private async commitPreparing(batch: PreparingBatch, nextSize: number, readMs: number): Promise<void> {
    const remote = await batch.remote;
    const commitStarted = performance.now();
    await this.commit(remote.outcomes.concat(batch.local), batch.checkpoints);
    const ownMs = readMs + (performance.now() - commitStarted);
    if (this.options.localShare !== undefined || remote.outcomes.length === 0 || nextSize === 0) return;
    const smooth = (old: number | undefined, value: number): number =>
      old === undefined ? value : old + SMOOTHING * (value - old);
    this.prepareMsPerDocument = smooth(this.prepareMsPerDocument, remote.busyMs / remote.outcomes.length);
    this.ownMsPerBatch = smooth(this.ownMsPerBatch, ownMs);
    const prepareMs = this.prepareMsPerDocument * nextSize;
    this.localShare =
      prepareMs <= 0 ? 0 : Math.max(0, Math.min(MAX_LOCAL_SHARE, (prepareMs - this.ownMsPerBatch) / (2 * prepareMs)));
  }

  /** Commit a prepared batch: dedup, seq and groups, rows, checkpoints; one transaction. */
  private async commit(outcomes: PrepareOutcome[], checkpoints: Map<string, IngestCheckpoint>): Promise<void> {
    const batch: Prepared[] = [];
    for (const outcome of outcomes) {
      if ('ok' in outcome) batch.push(outcome.ok);
      else this.problem(outcome.where, outcome.rejected);
    }

    // Drop duplicates within the batch and, when some documents still need analysis, against the
    // store, before that costly step; the transaction re-checks, for a writer that committed in
    // between (and is the only store check for a batch the worker analysed already).
    const incomplete = batch.some((d) => d.storedText === undefined);
    const stored = incomplete
      ? await this.store.darkweb.existingContentHashes(batch.map((d) => d.hash))
      : new Set<string>();
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
    // In this thread, analysis (or redaction) waits until here; the worker did it for the first copy
    // of each hash in its batch, which every fresh document is.
    for (const doc of fresh) {
      if (doc.storedText === undefined) completeDocument(doc, this.localAnalyzer());
    }

    const at = this.now().toISOString();
    const counts = await this.store.transaction(async (repos) => {
      const racing = await repos.darkweb.existingContentHashes(fresh.map((d) => d.hash));
      const takenIds = await repos.darkweb.existingIds(fresh.map((d) => d.id));
      let seq = await repos.darkweb.maxSeq();
      const rows: DarkwebBatch = { documents: [], entities: [], credentials: [], mentions: [], checkpoints, at };
      const local = {
        inserted: 0,
        duplicates: 0,
        nearDuplicates: 0,
        rejected: [] as Prepared[],
        kept: [] as Prepared[],
      };
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
          // Set by completeDocument with its passwords masked; masked again here should a path skip it.
          title: doc.storedText === undefined && doc.title !== null ? redactCredentialSecrets(doc.title) : doc.title,
          author: doc.author,
          posted_at: doc.postedAt,
          ingested_at: at,
          language: doc.language,
          content_hash: doc.hash,
          simhash: simhashToHex(doc.fingerprint),
          near_dup_group: group,
          // Passwords of credential pairs are overwritten: the store never holds one in clear.
          text: doc.storedText ?? redactCredentialSecrets(doc.text),
          class: analysis?.class ?? 'chatter',
          class_score: analysis?.classScore ?? 0,
        };
        rows.documents.push(documentRow);
        local.kept.push(doc);
        if (analysis === undefined) continue;
        for (const e of analysis.entities) {
          const entity: DarkwebEntityRow = {
            id: newId(),
            document_id: doc.id,
            type: e.type,
            value: e.value,
            start_offset: e.start,
            end_offset: e.end,
            confidence: e.confidence,
          };
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
            class: m.class,
            reasons: JSON.stringify(m.reasons),
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
      for (const hit of doc.analysis?.aliasHits ?? []) {
        const key = `${hit.organizationId}\u0000${hit.alias}`;
        const c = this.aliasCounts.get(key) ?? {
          organizationId: hit.organizationId,
          alias: hit.alias,
          occurrences: 0,
          standalone: 0,
        };
        c.occurrences += 1;
        if (hit.standalone) c.standalone += 1;
        this.aliasCounts.set(key, c);
      }
      this.summary.documentsByClass[doc.analysis?.class ?? 'chatter'] += 1;
      for (const m of doc.analysis?.mentions ?? []) {
        this.summary.mentions += 1;
        this.summary.mentionsByClass[m.class] += 1;
      }
    }
    for (const doc of counts.rejected)
      this.problem(doc.where, `id ${JSON.stringify(doc.id)} is already used by another document`);
    this.reportProgress();
  }

  reportProgress(): void {
    this.options.onProgress?.({
      read: this.summary.read,
      inserted: this.summary.inserted,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
    });
  }

  async finish(): Promise<IngestSummary> {
    await this.flush(true);
    if (this.aliasCounts.size > 0 && this.analysisSetup !== undefined)
      this.summary.demotedAliases = await recordAliasEvidence(this.store, this.analysisSetup.organizations, [
        ...this.aliasCounts.values(),
      ]);
    this.summary.elapsedMs = Date.now() - this.started;
    this.summary.docsPerSecond =
      this.summary.elapsedMs > 0 ? Math.round((this.summary.read * 1000) / this.summary.elapsedMs) : 0;
    return this.summary;
  }

  /** Stop the worker, if one was started (also after a failure). */
  async close(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
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
  try {
    await ingester.start(Array.isArray(docs) ? docs.length : undefined);
    return await store.darkweb.bulkWrite(() => ingestEach(ingester, docs, options));
  } finally {
    await ingester.close();
  }
}

async function ingestEach(
  ingester: Ingester,
  docs: AsyncIterable<DarkwebDocumentInput> | Iterable<DarkwebDocumentInput>,
  options: IngestOptions,
): Promise<IngestSummary> {
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
export async function ingestPaths(
  store: Store,
  paths: readonly string[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const plan = await planSources(paths);
  const ingester = new Ingester(store, options);
  ingester.summary.skippedFiles.push(...plan.skipped);
  try {
    await ingester.start();
    return await store.darkweb.bulkWrite(() => ingestFiles(ingester, store, plan, options));
  } finally {
    await ingester.close();
  }
}

async function ingestFiles(
  ingester: Ingester,
  store: Store,
  plan: SourcePlan,
  options: IngestOptions,
): Promise<IngestSummary> {
  const checkpoints = await store.darkweb.checkpoints(plan.files.map((f) => f.sourceKey));
  ingester.bytesTotal = plan.files.reduce((sum, f) => sum + f.size, 0);
  outer: for (const file of plan.files) {
    const saved = checkpoints.get(file.sourceKey);
    // A checkpoint past the end of the file (it was truncated) means starting over.
    const from = saved !== undefined && saved.byteOffset <= file.size ? saved : { byteOffset: 0, line: 0 };
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
