/**
 * Text normalization, content hashes and stable ids. The stored text keeps its line breaks (snippets
 * and search read better); the content hash is taken over a whitespace-collapsed form, so two copies
 * of a paste that differ only in spacing or line endings count as exact duplicates.
 */
import { createHash } from 'node:crypto';

// C0/C1 control characters other than tab and line feed: junk from binary pastes and terminal logs.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** NFC, LF line endings, no control characters, no trailing spaces, at most one blank line in a row. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL_CHARACTERS, '')
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** sha256 hex of the normalized text with every whitespace run collapsed to one space. */
export function contentHash(normalizedText: string): string {
  // Same as replacing every /\s+/ run by ' ', but a run that already is one space is left alone: most
  // are, and matching each of them cost twice the hash itself.
  return createHash('sha256')
    .update(normalizedText.replace(/\s{2,}|[^\S ]/g, ' '), 'utf8')
    .digest('hex');
}

/** The id of a document that arrived without one: derived from its content hash, so re-ingesting gives the same id. */
export function stableDocumentId(hash: string): string {
  return `doc-${hash.slice(0, 32)}`;
}

/** A one-line value (title, author, source): whitespace collapsed, bounded, or undefined when empty. */
export function normalizeLine(value: string | undefined, maxLength = 1000): string | undefined {
  if (value === undefined) return undefined;
  const line = value.normalize('NFC').replace(CONTROL_CHARACTERS, '').replace(/\s+/g, ' ').trim();
  if (line === '') return undefined;
  return line.length > maxLength ? line.slice(0, maxLength) : line;
}
