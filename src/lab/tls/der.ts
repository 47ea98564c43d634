/**
 * The DER (ITU-T X.690) pieces the lab needs to write X.509 certificates (RFC 5280 section 4.1): TLVs,
 * integers, object identifiers, strings, times, names and the extensions a server certificate carries.
 */

export function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
export const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 + n, content);
export const octetString = (content: Buffer): Buffer => tlv(0x04, content);
export const bitString = (content: Buffer, unusedBits = 0): Buffer =>
  tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0]));
export const nullValue = (): Buffer => Buffer.from([0x05, 0]);

/** An unsigned integer from its big-endian bytes (a leading zero keeps it positive). */
export function integer(bytes: Buffer | number): Buffer {
  let content = typeof bytes === 'number' ? hexBytes(bytes) : bytes;
  let start = 0;
  while (start < content.length - 1 && content[start] === 0 && !(content[start + 1]! & 0x80)) start++;
  content = content.subarray(start);
  if (content[0]! & 0x80) content = Buffer.concat([Buffer.from([0]), content]);
  return tlv(0x02, content);
}

function hexBytes(n: number): Buffer {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes = [parts[0]! * 40 + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let n = Math.floor(part / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime for 1950-2049, GeneralizedTime otherwise (RFC 5280 4.1.2.5). */
export function time(date: Date): Buffer {
  const iso = date.toISOString();
  // 2026-12-02T15:42:06.000Z -> 20261202154206Z
  const digits = `${iso.slice(0, 19).replace(/[-:T]/g, '')}Z`;
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(digits.slice(2))) : tlv(0x18, Buffer.from(digits));
}

const NAME_OIDS: Readonly<Record<string, string>> = { CN: '2.5.4.3', O: '2.5.4.10', C: '2.5.4.6' };

/** A distinguished name from `[['CN', 'x'], ['O', 'y']]`, most significant first. */
export function name(attributes: ReadonlyArray<readonly [keyof typeof NAME_OIDS | string, string]>): Buffer {
  return sequence(...attributes.map(([type, value]) => set(sequence(oid(NAME_OIDS[type] ?? type), utf8String(value)))));
}

export function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

export const EXTENSION = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  extendedKeyUsage: '2.5.29.37',
} as const;

export const SIGNATURE = {
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha1: '1.2.840.10045.4.1',
  rsaSha256: '1.2.840.113549.1.1.11',
} as const;

export const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/** A dNSName GeneralName ([2] IA5String, implicit). */
export const dnsName = (host: string): Buffer => tlv(0x82, Buffer.from(host, 'ascii'));
