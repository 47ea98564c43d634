/** Helpers over decoded resource records. */
import type { Answer, TxtAnswer } from 'dns-packet';
import { normalizeName } from './codec.js';

/** Joins the character-strings of one TXT record (RFC 7208 section 3.3: no separator); throws for other types. */
export function txtToString(answer: Answer): string {
  if (answer.type !== 'TXT') throw new TypeError(`txtToString: expected a TXT record, got ${answer.type}`);
  const data = (answer as TxtAnswer).data;
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((part) => (typeof part === 'string' ? part : part.toString('utf8'))).join('');
}

/** The TXT records among `answers` (optionally only those owned by `owner`), each joined with txtToString. */
export function txtStrings(answers: readonly Answer[], owner?: string): string[] {
  const wanted = owner === undefined ? undefined : normalizeName(owner);
  return answers
    .filter((a) => a.type === 'TXT' && (wanted === undefined || normalizeName(a.name) === wanted))
    .map(txtToString);
}
