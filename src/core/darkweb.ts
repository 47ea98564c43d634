/**
 * Dark-web domain types shared by the pipeline (src/darkweb), the store and the search language: the
 * kinds of identifiers found in documents.
 */
import type { QueryNode } from './search-query.js';

/** Kinds of identifiers the extractors recognize (stored with mentions, searched with `email:`, `btc:`...). */
export const ENTITY_TYPES = [
  'email',
  'domain',
  'ipv4',
  'ipv6',
  'onion',
  'btc',
  'xmr',
  'eth',
  'card',
  'ssn',
  'npi',
  'dea',
  'mbi',
  'clia',
  'icd10',
  'cve',
  'credential',
  'phi_indicator',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** A mention joined with its document and organization. */
export interface MentionRecord {
  documentId: string;
  organizationId: string;
  organizationName: string;
  class: string;
  confidence: number;
  via: string;
  matched: string;
  snippet: string;
  /** Why the mention has its class: the organization's role, then what decided the document's class. */
  reasons: string[];
  sourceType: string;
  source: string;
  url: string | null;
  title: string | null;
  postedAt: string | null;
  ingestedAt: string;
}

/** A credential sighting (e-mail, where and when; never the password). */
export interface CredentialSighting {
  documentId: string;
  email: string;
  domain: string;
  passwordHint: string;
  seenAt: string;
}

/** One ranked result. */
export interface DarkwebSearchHit {
  /** The id the document was ingested with (or its stable content-derived id). */
  docId: string;
  title: string | null;
  source: string;
  sourceType: string;
  url: string | null;
  postedAt: string | null;
  class: string;
  /**
   * Relevance, higher is better (negated bm25 on SQLite, ts_rank_cd on PostgreSQL); null when the query had no words to
   * rank by.
   */
  score: number | null;
  /** A window of the text around the matches, matches wrapped in the highlight marks, on one line. */
  snippet: string;
  /** Names of the organizations the document mentions, most confident first. */
  orgs: string[];
}

/** What `search` returns. */
export interface DarkwebSearchResults {
  /** The parsed query. */
  query: QueryNode;
  /** True when hits are ordered by relevance; false when by date (the query only filtered). */
  ranked: boolean;
  /**
   * Null when every matching document was ranked. A number when the query matched more than
   * RANKING_CANDIDATES documents on SQLite: then only that many of the newest matches were ranked.
   */
  rankedCandidates: number | null;
  hits: DarkwebSearchHit[];
}
