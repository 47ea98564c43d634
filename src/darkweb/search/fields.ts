/**
 * The field filters the search language knows (issue #3 section 5): document columns, organization
 * mentions, extracted entities and the posting date.
 */
import { ENTITY_TYPES, type EntityType } from '../../core/darkweb.js';

/** Fields that filter on a document column or on its mentions. */
export const FILTER_FIELDS = ['source_type', 'class', 'org'] as const;

/** The date field: takes `[A TO B]`, `>=A`, `<B`... */
export const DATE_FIELD = 'posted_at';

/**
 * Entity fields and the entity types each one searches. Every extractor type is a field under its own
 * name; `ip` is shorthand for both address families.
 */
export const ENTITY_FIELDS: ReadonlyMap<string, readonly EntityType[]> = new Map<string, readonly EntityType[]>([
  ...ENTITY_TYPES.map((type): [string, readonly EntityType[]] => [type, [type]]),
  ['ip', ['ipv4', 'ipv6']],
]);

/** Every field name, for "unknown field" messages. */
export const KNOWN_FIELDS: readonly string[] = [...FILTER_FIELDS, DATE_FIELD, ...ENTITY_FIELDS.keys()];
