/**
 * Deterministic Tor v3 onion addresses for the lab's hidden services (torspec rend-spec-v3 section 6,
 * "Encoding onion addresses [ONIONADDRESS]"):
 *   onion_address = base32(PUBKEY | CHECKSUM | VERSION) + ".onion"
 *   CHECKSUM = SHA3-256(".onion checksum" | PUBKEY | VERSION)[:2], VERSION = 0x03
 * PUBKEY is a real ed25519 public key whose private seed is SHA-256 of a label, so the same lab seed
 * always yields the same addresses.
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** RFC 8410 PKCS#8 prefix of a raw 32-byte ed25519 private key (OID 1.3.101.112). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** RFC 4648 section 6 base32, lower case, no padding. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** The ed25519 public key (32 bytes) for a private-key seed of 32 bytes. */
export function ed25519PublicKey(privateSeed: Uint8Array): Buffer {
  if (privateSeed.length !== 32) throw new RangeError('an ed25519 private seed is 32 bytes');
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, privateSeed]),
    format: 'der',
    type: 'pkcs8',
  });
  // The SPKI DER of an ed25519 key ends with the 32-byte key (RFC 8410 section 4).
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
}

/** The v3 onion address (`<56 chars>.onion`) of a 32-byte ed25519 public key. */
export function onionAddressOf(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new RangeError('an onion v3 public key is 32 bytes');
  const version = Uint8Array.of(0x03);
  const checksum = createHash('sha3-256')
    .update('.onion checksum')
    .update(publicKey)
    .update(version)
    .digest()
    .subarray(0, 2);
  return `${base32(Buffer.concat([publicKey, checksum, version]))}.onion`;
}

/** A valid v3 onion address derived from `label` (same label, same address). */
export function onionAddressFromLabel(label: string): string {
  return onionAddressOf(ed25519PublicKey(createHash('sha256').update(label).digest()));
}
