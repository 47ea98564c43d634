/**
 * Types of the dark-web entity extractors: what was found in a document, where, and how sure we are.
 */

import type { EntityType } from '../../core/darkweb.js';

export { ENTITY_TYPES, type EntityType } from '../../core/darkweb.js';

/**
 * One identifier found in a text. `start`/`end` are UTF-16 offsets into the text (end exclusive);
 * `raw` is the text as written there, `value` the normalized form callers match and store.
 * For `credential`, `value` is the e-mail, the password is only in `secret` (callers hash and mask it)
 * and `raw` has the password replaced by a fixed mask, so `raw` never carries it.
 */
export interface ExtractedEntity {
  type: EntityType;
  value: string;
  raw: string;
  start: number;
  end: number;
  /** 0..1: how likely this is the identifier it claims to be (checksums, context words). */
  confidence: number;
  secret?: string;
}

/** Signature shared by every extractor. */
export type Extractor = (text: string) => ExtractedEntity[];
