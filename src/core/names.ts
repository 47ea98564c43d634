/**
 * Validation of the names and addresses users type and servers send: every boundary goes through here.
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { AppError } from './errors.js';

/** Thrown for a value a user gave that cannot be used; the message says what is wrong with it. */
export class InvalidInputError extends AppError {
  override readonly name = 'InvalidInputError';
  readonly code = 'invalid-input';
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Normalizes a domain name a user gave (lower case, no trailing dot, IDN to punycode) and checks it is a
 * plausible registrable-or-below host name: LDH labels of 1-63 characters, at most 253 in all, at least
 * two labels (RFC 1035 2.3.1, RFC 5890).
 */
export function normalizeDomain(input: string): string {
  const raw = input.trim();
  if (raw === '') throw new InvalidInputError('empty domain name');
  if (isIP(raw) !== 0) throw new InvalidInputError(`"${input}" is an IP address, not a domain name`);
  const withoutDot = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (/[\s/:@?#]/.test(withoutDot))
    throw new InvalidInputError(`"${input}" is not a domain name (it contains a space, "/", ":", "@", "?" or "#")`);
  const ascii = domainToASCII(withoutDot.toLowerCase());
  if (ascii === '') throw new InvalidInputError(`"${input}" is not a valid domain name`);
  if (ascii.length > 253) throw new InvalidInputError(`"${input}" is longer than 253 characters`);
  const labels = ascii.split('.');
  if (labels.length < 2)
    throw new InvalidInputError(`"${input}" has a single label; give a full domain such as example.org`);
  for (const label of labels) {
    if (!LABEL.test(label)) {
      throw new InvalidInputError(
        `"${input}" has an invalid label "${label}" (letters, digits and inner hyphens, 1 to 63 characters)`,
      );
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!))
    throw new InvalidInputError(`"${input}" has an all-numeric top-level label`);
  return ascii;
}

/** True when `name` is `domain` itself or a name below it. */
export function isAtOrBelow(name: string, domain: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase().replace(/\.$/, '');
  return n === d || n.endsWith(`.${d}`);
}
