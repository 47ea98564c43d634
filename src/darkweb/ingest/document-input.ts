/**
 * Validation of one incoming document (a JSONL record or what the crawler hands over). Input is
 * hostile: every field is type-checked and bounded, and a bad record is rejected with a reason
 * rather than stored half-right.
 */
import { SOURCE_TYPES } from '../types.js';
import type { DarkwebDocumentInput, SourceType } from '../types.js';

/** Longest document text or HTML accepted (characters). Larger records are rejected, not truncated. */
export const MAX_DOCUMENT_CHARS = 16 * 1024 * 1024;
/** Longest id accepted. */
const MAX_ID_CHARS = 256;

/** True for a known source type. */
export function isSourceType(value: unknown): value is SourceType {
  return typeof value === 'string' && (SOURCE_TYPES as readonly string[]).includes(value);
}

function optionalString(record: Record<string, unknown>, field: string, max: number): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`${field} must be a string`);
  if (value.length > max) throw new Error(`${field} is longer than ${max} characters`);
  return value;
}

/** Parse an ISO-8601 date or date-time; throws for anything `Date` cannot read. */
export function parsePostedAt(value: string): string {
  const date = new Date(value.trim());
  if (value.trim() === '' || Number.isNaN(date.getTime()))
    throw new Error(`posted_at is not an ISO-8601 date: ${JSON.stringify(value.slice(0, 40))}`);
  return date.toISOString();
}

/** Check a decoded JSON value is a document; returns it cleaned or throws an Error saying why not. */
export function validateDocumentInput(value: unknown): DarkwebDocumentInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
  const record = value as Record<string, unknown>;
  const source = optionalString(record, 'source', 1000);
  if (source === undefined || source.trim() === '') throw new Error('source is missing');
  if (!isSourceType(record['source_type'])) throw new Error(`source_type must be one of ${SOURCE_TYPES.join(', ')}`);
  let id: string | undefined;
  const rawId = record['id'];
  if (typeof rawId === 'number' && Number.isSafeInteger(rawId)) id = String(rawId);
  else if (rawId !== undefined && rawId !== null) {
    if (typeof rawId !== 'string' || rawId.trim() === '') throw new Error('id must be a non-empty string');
    if (rawId.length > MAX_ID_CHARS) throw new Error(`id is longer than ${MAX_ID_CHARS} characters`);
    id = rawId.trim();
  }
  const text = optionalString(record, 'text', MAX_DOCUMENT_CHARS);
  const html = optionalString(record, 'html', MAX_DOCUMENT_CHARS);
  if (text === undefined && html === undefined) throw new Error('text or html is missing');
  const postedAt = optionalString(record, 'posted_at', 100);
  const doc: DarkwebDocumentInput = { source: source.trim(), source_type: record['source_type'] };
  if (id !== undefined) doc.id = id;
  const url = optionalString(record, 'url', 4096);
  const title = optionalString(record, 'title', 10_000);
  const author = optionalString(record, 'author', 1000);
  if (url !== undefined) doc.url = url;
  if (title !== undefined) doc.title = title;
  if (author !== undefined) doc.author = author;
  if (postedAt !== undefined && postedAt.trim() !== '') doc.posted_at = parsePostedAt(postedAt);
  if (text !== undefined) doc.text = text;
  if (html !== undefined) doc.html = html;
  return doc;
}
