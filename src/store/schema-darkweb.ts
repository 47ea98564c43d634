/**
 * Dark-web tables (issue #3): documents, extracted entities, credential sightings (never a password in
 * clear), organization mentions, ingestion checkpoints and per-install settings.
 * Created by migrations/0002-darkweb.ts; the full-text index by migrations/0003-darkweb-search.ts.
 * Same conventions as schema.ts: text ids, ISO-8601 UTC text timestamps, portable column types.
 */

import type { Generated } from 'kysely';

/** `darkweb_documents`: one row per distinct document (exact duplicates are never stored). */
export interface DarkwebDocumentsTable {
  /** The id the document was ingested with, or a stable id derived from its content. */
  id: string;
  /** Monotonic integer assigned at ingestion (max + 1 in the batch transaction): the full-text rowid. */
  seq: number;
  source: string;
  source_type: string;
  url: string | null;
  title: string | null;
  author: string | null;
  posted_at: string | null;
  ingested_at: string;
  language: string | null;
  /** sha256 hex of the normalized text; unique, so an exact duplicate cannot be stored twice. */
  content_hash: string;
  /** 64-bit SimHash as 16 hex digits. */
  simhash: string;
  /** Id of the first document of this document's near-duplicate group (its own id when it leads one). */
  near_dup_group: string;
  text: string;
  class: string;
  class_score: number;
}

/** `darkweb_entities`: validated identifiers found in a document (offsets are UTF-16 code units). */
export interface DarkwebEntitiesTable {
  id: string;
  document_id: string;
  type: string;
  value: string;
  start_offset: number;
  end_offset: number;
  confidence: number;
}

/** `darkweb_credentials`: an e-mail seen in a credential pair; the password only as a keyed hash and a length class. */
export interface DarkwebCredentialsTable {
  id: string;
  document_id: string;
  email: string;
  /** The e-mail's domain, lower case: what organizations' domains are matched against. */
  domain: string;
  /** `hmac-sha256$<hex>` of the password, keyed with the credential key kept outside the database. */
  password_hash: string;
  /** The password's length class (`12-15 characters`); no character of it (migration 0005 rewrote older hints). */
  password_hint: string;
  seen_at: string;
}

/** `darkweb_mentions`: one row per (document, organization). */
export interface DarkwebMentionsTable {
  id: string;
  document_id: string;
  organization_id: string;
  /** The class of the document for this organization (an organization named in passing: chatter). */
  class: string;
  confidence: number;
  /** How the organization was recognised: name, alias, domain, email_domain... */
  via: string;
  matched: string;
  snippet: string;
  posted_at: string | null;
  created_at: string;
  /** JSON array of strings: why the mention has its class (migration 0012; `[]` for older rows). */
  reasons: Generated<string>;
}

/** `darkweb_ingest_checkpoints`: how far each source has been committed (written in the batch's transaction). */
export interface DarkwebIngestCheckpointsTable {
  source_key: string;
  byte_offset: number;
  line: number;
  updated_at: string;
}

/** `darkweb_settings`: per-install values (older versions kept the credential key here; it is moved out on open). */
export interface DarkwebSettingsTable {
  key: string;
  value: string;
}

/** The dark-web part of the database, merged into StoreSchema. */
export interface DarkwebSchema {
  darkweb_documents: DarkwebDocumentsTable;
  darkweb_entities: DarkwebEntitiesTable;
  darkweb_credentials: DarkwebCredentialsTable;
  darkweb_mentions: DarkwebMentionsTable;
  darkweb_ingest_checkpoints: DarkwebIngestCheckpointsTable;
  darkweb_settings: DarkwebSettingsTable;
}
