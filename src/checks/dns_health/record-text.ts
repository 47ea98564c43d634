/**
 * A DNS record's data as evidence text, the way dig and zone files print it: TXT character-strings
 * quoted, with `"` and `\` escaped and other non-printable bytes as `\DDD` (RFC 1035 §5.1); binary
 * fields of other types (keys, digests) in hex. Never the JSON of a byte array, which is six times
 * longer than the bytes and unreadable.
 */
import type { Answer } from 'dns-packet';
import { MAX_EVIDENCE_STRING_CHARS, truncateText } from '../../core/evidence-text.js';

/** One character-string in presentation format. */
export function quoteCharacterString(bytes: Uint8Array | string): string {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  let out = '"';
  for (const byte of data) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** The record's data as text, at most `MAX_EVIDENCE_STRING_CHARS` characters (the cut is noted); null when absent. */
export function recordDataText(record: Answer): string | null {
  const data = (record as { data?: unknown }).data;
  if (data === undefined || data === null) return null;
  return truncateText(dataText(record.type, data), MAX_EVIDENCE_STRING_CHARS);
}

function dataText(type: string, data: unknown): string {
  if (typeof data === 'string') return data;
  if (type === 'TXT' || type === 'SPF') {
    const parts = Array.isArray(data) ? data : [data];
    return parts
      .filter((p): p is Uint8Array | string => typeof p === 'string' || p instanceof Uint8Array)
      .map(quoteCharacterString)
      .join(' ');
  }
  if (data instanceof Uint8Array) return Buffer.from(data).toString('hex');
  return JSON.stringify(data, function hexBytes(this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? Buffer.from(raw).toString('hex') : value;
  });
}
