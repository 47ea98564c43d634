/**
 * Per-document preparation, the CPU-heavy half of ingestion: HTML to text, normalization, content
 * hash, SimHash, language, and (when on) analysis or the credential-password redaction. Pure and
 * synchronous, so it runs unchanged on the ingesting thread or in the preparation worker
 * (prepare-worker.ts); only plain data goes in and out, so results survive structured cloning.
 */
import { createDocumentAnalyzer, redactCredentialSecrets } from '../analyze.js';
import type { DocumentAnalysis, DocumentAnalyzer } from '../analyze.js';
import type { AliasJudgementRecord, Organization } from '../../core/organization.js';
import type { DarkwebDocumentInput, SourceType } from '../types.js';
import { parsePostedAt } from './document-input.js';
import { readHtmlPage } from '../html/html-page.js';
import { detectLanguage } from './language.js';
import { contentHash, normalizeLine, normalizeText, stableDocumentId } from './normalize.js';
import { simhash } from './simhash.js';
import type { SimHash } from './simhash.js';

/** A validated document waiting for preparation, with where it came from (for problem reports). */
export interface PendingDocument {
  doc: DarkwebDocumentInput;
  where: string;
}

/** A document ready to store (before dedup against the store). */
export interface PreparedDocument {
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
  /** Normalized text (empty in a batch from the worker once `storedText` is set: it is not read after). */
  text: string;
  /**
   * The text to store: passwords of credential pairs masked; undefined when preparation skipped it (an earlier copy in
   * the batch has the same hash).
   */
  storedText?: string;
  where: string;
  analysis?: DocumentAnalysis;
}

/** One document's preparation: the prepared document, or why it was rejected. */
export type PrepareOutcome = { ok: PreparedDocument } | { rejected: string; where: string };

/** What analysis needs, in a form that can be sent to a worker: the portfolio and the credential key. */
export interface AnalysisSetup {
  organizations: Organization[];
  credentialKey: string;
  /** Stored alias judgements (organizations without any are judged by the matcher). */
  aliasJudgements?: AliasJudgementRecord[];
}

/** An analyzer for `setup`, or undefined when analysis is off. */
export function analyzerFor(setup: AnalysisSetup | undefined): DocumentAnalyzer | undefined {
  return setup === undefined
    ? undefined
    : createDocumentAnalyzer(setup.organizations, setup.credentialKey, setup.aliasJudgements ?? []);
}

/** Text and metadata of one document, without analysis. Throws on a document with no text. */
export function prepareDocument(doc: DarkwebDocumentInput, where: string): PreparedDocument {
  let text = doc.text;
  let title = doc.title;
  let url = doc.url;
  let postedAt = doc.posted_at;
  if (text === undefined && doc.html !== undefined) {
    const page = readHtmlPage(doc.html);
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
  return {
    id: doc.id ?? stableDocumentId(hash),
    source: normalizeLine(doc.source) ?? 'unknown',
    sourceType: doc.source_type,
    url: normalizeLine(url, 4096) ?? null,
    title: normalizeLine(title) ?? null,
    author: normalizeLine(doc.author) ?? null,
    postedAt: postedAt ?? null,
    language: detectLanguage(normalized) ?? null,
    hash,
    fingerprint: simhash(normalized),
    text: normalized,
    where,
  };
}

/** Analysis (or, with analysis off, the password redaction) of a prepared document, in place. */
export function completeDocument(prepared: PreparedDocument, analyzer: DocumentAnalyzer | undefined): void {
  // A URL's user info (`https://user:pass@host`) and a pair in the title are masked like the text's.
  if (prepared.url !== null) prepared.url = redactCredentialSecrets(prepared.url);
  if (analyzer === undefined) {
    if (prepared.title !== null) prepared.title = redactCredentialSecrets(prepared.title);
    prepared.storedText = redactCredentialSecrets(prepared.text);
    return;
  }
  const analysis = analyzer.analyze(
    prepared.title === null
      ? { source_type: prepared.sourceType, text: prepared.text }
      : { source_type: prepared.sourceType, title: prepared.title, text: prepared.text },
  );
  prepared.analysis = analysis;
  prepared.storedText = analysis.text;
  if (analysis.title !== undefined) prepared.title = analysis.title;
}

/**
 * Prepare a batch in order; with `complete`, analyse (or redact) too. A document whose hash already
 * appeared earlier in the batch is always dropped as an exact duplicate, so its analysis is skipped.
 */
export function prepareBatch(
  items: readonly PendingDocument[],
  analyzer: DocumentAnalyzer | undefined,
  complete = true,
): PrepareOutcome[] {
  const seen = new Set<string>();
  const outcomes: PrepareOutcome[] = [];
  for (const item of items) {
    let prepared: PreparedDocument;
    try {
      prepared = prepareDocument(item.doc, item.where);
    } catch (error) {
      outcomes.push({ rejected: (error as Error).message, where: item.where });
      continue;
    }
    if (complete && !seen.has(prepared.hash)) {
      seen.add(prepared.hash);
      completeDocument(prepared, analyzer);
    }
    outcomes.push({ ok: prepared });
  }
  return outcomes;
}
