/**
 * Dark-web domain types shared by ingestion, crawling, analysis, search and alerts (issue #3).
 */

/** Where a document comes from (issue #3 section 1). */
export const SOURCE_TYPES = ['forum', 'market', 'paste', 'leak_site', 'chat'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** Classes of documents and mentions (issue #3 section 4). */
export const DOCUMENT_CLASSES = [
  'ransomware_listing',
  'data_for_sale',
  'access_for_sale',
  'credential_leak',
  'phi_exposure',
  'chatter',
] as const;
export type DocumentClass = (typeof DOCUMENT_CLASSES)[number];

/** A document as it arrives: the JSONL ingestion format (`text` or `html`). */
export interface DarkwebDocumentInput {
  /** The id the document came with; documents without one get a stable id derived from their content. */
  id?: string;
  source: string;
  source_type: SourceType;
  url?: string;
  title?: string;
  author?: string;
  /** ISO-8601 date or date-time. */
  posted_at?: string;
  text?: string;
  html?: string;
}
