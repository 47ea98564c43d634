/**
 * Validation of the names and addresses users type and servers send: every boundary goes through here.
 */
import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/** Thrown for a value a user gave that cannot be used; the message says what is wrong with it. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
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

/** Address ranges a scan refuses unless the user allows private targets. */
const SPECIAL = new BlockList();
const SPECIAL_RANGES: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
];
const KIND_LISTS = SPECIAL_RANGES.map(([net, prefix, family, kind]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  SPECIAL.addSubnet(net, prefix, family);
  return { list, kind };
});

/**
 * Says why an address must not be scanned without `--allow-private` (loopback, private, link-local...),
 * or null for an ordinary public address. IPv4-mapped IPv6 addresses are judged as IPv4.
 */
export function specialAddressKind(address: string): string | null {
  let ip = address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  const family = isIP(ip);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (!SPECIAL.check(ip, type)) return null;
  for (const { list, kind } of KIND_LISTS) if (list.check(ip, type)) return kind;
  return 'special';
}
