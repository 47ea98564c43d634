/**
 * Dark-web domain types shared by the pipeline (src/darkweb), the store and the search language: the
 * kinds of identifiers found in documents.
 */

/** Kinds of identifiers the extractors recognize (stored with mentions, searched with `email:`, `btc:`...). */
export const ENTITY_TYPES = [
  'email',
  'domain',
  'ipv4',
  'ipv6',
  'onion',
  'btc',
  'xmr',
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
