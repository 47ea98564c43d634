/**
 * What kind of destination an IP address is, from ipaddr.js's tables of the IANA special-purpose
 * registries (IPv4 and IPv6) and the multicast ranges. Addresses that carry an IPv4 address inside an
 * IPv6 one (IPv4-mapped, IPv4-translated, NAT64, 6to4, Teredo) are judged by the IPv4 address they
 * lead to, so `::ffff:10.0.0.1` is as private as `10.0.0.1`.
 */
import ipaddr from 'ipaddr.js';

/**
 * `public`: an ordinary unicast destination. `private`: reachable only inside a site (loopback,
 * RFC 1918, link-local, unique-local, shared CGNAT space); opened by `--allow-private`. `never`: no
 * scanner has business sending there (unspecified, broadcast, multicast, documentation, benchmarking,
 * reserved for future use); nothing opens it.
 */
export type AddressCategory = 'public' | 'private' | 'never';

export interface AddressClass {
  category: AddressCategory;
  /** What the address is, for messages ("a unique-local (private) address"); empty for public ones. */
  kind: string;
}

const PUBLIC: AddressClass = { category: 'public', kind: '' };

/** ipaddr.js range names (IPv4 and IPv6 SpecialRanges) that are not public, with their category. */
const RANGE_CLASSES: Readonly<Record<string, AddressClass>> = {
  unspecified: { category: 'never', kind: 'an unspecified address' },
  broadcast: { category: 'never', kind: 'the broadcast address' },
  multicast: { category: 'never', kind: 'a multicast address' },
  reserved: {
    category: 'never',
    kind: 'a reserved address (documentation, benchmarking, protocol assignment or future use)',
  },
  benchmarking: { category: 'never', kind: 'a benchmarking address' },
  discard: { category: 'never', kind: 'a discard-only address' },
  deprecatedOrchid: { category: 'never', kind: 'a deprecated ORCHID address' },
  segmentRouting: { category: 'never', kind: 'a segment-routing identifier' },
  loopback: { category: 'private', kind: 'a loopback address' },
  private: { category: 'private', kind: 'a private (RFC 1918) address' },
  linkLocal: { category: 'private', kind: 'a link-local address' },
  carrierGradeNat: { category: 'private', kind: 'a shared (carrier-grade NAT) address' },
  uniqueLocal: { category: 'private', kind: 'a unique-local (private) address' },
  deprecatedSiteLocal: { category: 'private', kind: 'a site-local (private) address' },
};

/** Forms of IPv6 address that lead to an IPv4 address, and how to find it. */
const EMBEDDING_FORMS: Readonly<Record<string, { form: string; embedded: (parts: number[]) => number[][] }>> = {
  ipv4Mapped: { form: 'an IPv4-mapped address', embedded: (p) => [lastWords(p)] },
  rfc6145: { form: 'an IPv4-translated address', embedded: (p) => [lastWords(p)] },
  // RFC 6052 /96 layout for 64:ff9b::/96; the local-use 64:ff9b:1::/48 (RFC 8215) may use the /48 layout
  // (bits 48-63 and 72-87) or the /96 one, so both candidates are judged.
  rfc6052: {
    form: 'a NAT64 address',
    embedded: (p) =>
      p[2] === 1 ? [lastWords(p), [p[3]! >> 8, p[3]! & 0xff, p[4]! & 0xff, p[5]! >> 8]] : [lastWords(p)],
  },
  '6to4': { form: 'a 6to4 address', embedded: (p) => [[p[1]! >> 8, p[1]! & 0xff, p[2]! >> 8, p[2]! & 0xff]] },
  // RFC 4380 section 4: the Teredo server's IPv4 in bits 32-63, the client's (inverted) in bits 96-127.
  teredo: {
    form: 'a Teredo address',
    embedded: (p) => [[p[2]! >> 8, p[2]! & 0xff, p[3]! >> 8, p[3]! & 0xff], lastWords(p).map((octet) => octet ^ 0xff)],
  },
};

function lastWords(parts: number[]): number[] {
  return [parts[6]! >> 8, parts[6]! & 0xff, parts[7]! >> 8, parts[7]! & 0xff];
}

/** Classifies an IP literal; anything that does not parse is `never` (it cannot be a destination). */
export function classifyAddress(address: string): AddressClass {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/%.*$/, ''));
  } catch {
    return { category: 'never', kind: 'not an IP address' };
  }
  const range = parsed.range();
  if (parsed.kind() === 'ipv6') {
    const embedding = EMBEDDING_FORMS[range];
    if (embedding !== undefined) return classifyEmbedded(parsed as ipaddr.IPv6, embedding);
  }
  return RANGE_CLASSES[range] ?? PUBLIC;
}

function classifyEmbedded(
  address: ipaddr.IPv6,
  embedding: { form: string; embedded: (parts: number[]) => number[][] },
): AddressClass {
  for (const octets of embedding.embedded(address.parts)) {
    const inner = new ipaddr.IPv4(octets);
    const innerClass = RANGE_CLASSES[inner.range()];
    if (innerClass !== undefined) {
      return { category: innerClass.category, kind: `${embedding.form} of ${inner.toString()}, ${innerClass.kind}` };
    }
  }
  return PUBLIC;
}
