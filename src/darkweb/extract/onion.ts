/**
 * Tor onion service addresses. v3 (rend-spec-v3 section 6, "Encoding onion addresses"):
 *   onion_address = base32(PUBKEY | CHECKSUM | VERSION) + ".onion"
 *   CHECKSUM = SHA3-256(".onion checksum" | PUBKEY | VERSION)[:2], VERSION = 0x03
 * 56 base32 characters carry 35 bytes. The checksum removes the false positives a length-only check
 * (AIL) lets through. v2 addresses (16 characters, no checksum) have been unreachable since Tor
 * 0.4.6 (2021); they are still reported, at confidence 0.1, because old leak posts cite them.
 */
import { createHash } from 'node:crypto';
import { base32nopad } from '@scure/base';
import { entityAt, matchesOf } from './context.js';
import type { ExtractedEntity } from './types.js';

const ONION_V3_VERSION = 3;
const CHECKSUM_PREFIX = Buffer.from('.onion checksum', 'ascii');

/** Confidence for a v3 address whose checksum and version byte verify. */
const V3_CONFIDENCE = 0.99;
/** Confidence for a v2 address: right shape, nothing to verify, and dead on the network. */
const V2_CONFIDENCE = 0.1;

/** RFC 4648 section 6 base32 (lower case, no padding) of `bytes`, from @scure/base. */
export function base32Encode(bytes: Uint8Array): string {
  return base32nopad.encode(bytes).toLowerCase();
}

/** Decodes unpadded RFC 4648 base32 (either case); undefined when malformed. */
export function base32Decode(text: string): Uint8Array | undefined {
  try {
    return base32nopad.decode(text.toUpperCase());
  } catch {
    return undefined;
  }
}

function onionChecksum(publicKey: Uint8Array, version: number): Buffer {
  return createHash('sha3-256')
    .update(CHECKSUM_PREFIX)
    .update(publicKey)
    .update(Uint8Array.of(version))
    .digest()
    .subarray(0, 2);
}

/** The v3 onion address (`<56 chars>.onion`) of a 32-byte ed25519 public key. */
export function onionV3FromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new RangeError('an onion v3 public key is 32 bytes');
  const payload = Buffer.concat([
    publicKey,
    onionChecksum(publicKey, ONION_V3_VERSION),
    Uint8Array.of(ONION_V3_VERSION),
  ]);
  return `${base32Encode(payload)}.onion`;
}

/**
 * True when `label` (the 56 characters before `.onion`, any case; a trailing `.onion` is allowed) is a
 * v3 onion address with a correct checksum and version byte 3.
 */
export function isValidOnionV3(label: string): boolean {
  const bare = label.toLowerCase().replace(/\.onion$/, '');
  if (!/^[a-z2-7]{56}$/.test(bare)) return false;
  const bytes = base32Decode(bare);
  if (bytes === undefined || bytes.length !== 35) return false;
  const publicKey = bytes.subarray(0, 32);
  const version = bytes[34];
  if (version !== ONION_V3_VERSION) return false;
  const expected = onionChecksum(publicKey, version);
  return bytes[32] === expected[0] && bytes[33] === expected[1];
}

// A 56- or 16-character base32 label not glued to a longer one, then `.onion` (also defanged `[.]onion`).
const ONION_PATTERN = /(?<![a-z2-7])([a-z2-7]{56}|[a-z2-7]{16})(?:\.|\[\.\]|\(\.\)|\[dot\])onion(?![a-z0-9-])/gi;

/** Onion service addresses: v3 with verified checksum (0.99), v2 flagged at 0.1; value `<label>.onion`. */
export function extractOnions(text: string): ExtractedEntity[] {
  if (!/onion/i.test(text)) return [];
  const found: ExtractedEntity[] = [];
  for (const match of matchesOf(ONION_PATTERN, text)) {
    const label = match[1]!.toLowerCase();
    const start = match.index;
    const end = start + match[0].length;
    if (label.length === 56) {
      if (isValidOnionV3(label)) found.push(entityAt(text, 'onion', `${label}.onion`, start, end, V3_CONFIDENCE));
    } else {
      found.push(entityAt(text, 'onion', `${label}.onion`, start, end, V2_CONFIDENCE));
    }
  }
  return found;
}
