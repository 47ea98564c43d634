/**
 * Checking one RRSIG over one RRset with one DNSKEY (RFC 4035 section 5.3).
 */
import type { Answer, DnskeyData, RrsigData } from 'dns-packet';
import { checkSignature, isSupportedAlgorithm } from './algorithms.js';
import { computeKeyTag } from './keys.js';
import { classOf, isAtOrBelow, labelsOf, normalizeName, rrsigSignedData } from './wire.js';

export type VerifyFailureReason =
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'key_mismatch'
  | 'unsupported_algorithm';

/** Outcome of verifyRRsig; `detail` says what exactly did not hold. */
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailureReason; detail?: string };

/**
 * Verifies `rrsig` over `rrset` with `dnskey` at unix time `now` (seconds). Checks, in order: the
 * record shapes and that the RRSIG covers this RRset (RFC 4035 5.3.1), that the key is the one the
 * RRSIG names (owner = signer, algorithm, key tag, zone-key flag), the algorithm, the validity window
 * (RFC 4034 3.1.5, serial-number arithmetic of RFC 1982), then the signature itself. A labels field
 * smaller than the owner's label count means a wildcard expansion (RFC 4035 5.3.2).
 */
export function verifyRRsig(rrset: Answer[], rrsig: Answer, dnskey: Answer, now: number): VerifyResult {
  if (rrsig.type !== 'RRSIG' || !isRrsigData(rrsig.data)) return fail('bad_signature', 'not an RRSIG record');
  if (dnskey.type !== 'DNSKEY' || !isDnskeyData(dnskey.data)) return fail('key_mismatch', 'not a DNSKEY record');
  const sig = rrsig.data;
  const key = dnskey.data;

  const first = rrset[0];
  if (first === undefined) return fail('bad_signature', 'empty RRset');
  const owner = normalizeName(first.name);
  for (const rr of rrset) {
    if (normalizeName(rr.name) !== owner || rr.type !== first.type || classOf(rr) !== classOf(first)) {
      return fail('bad_signature', 'records of different owners, types or classes are not one RRset');
    }
  }
  if (normalizeName(rrsig.name) !== owner) return fail('bad_signature', `RRSIG owner ${rrsig.name} is not ${owner}`);
  if (sig.typeCovered !== first.type)
    return fail('bad_signature', `RRSIG covers ${sig.typeCovered}, not ${first.type}`);
  const signer = normalizeName(sig.signersName);
  if (!isAtOrBelow(owner, signer)) return fail('bad_signature', `signer ${signer} is not an ancestor of ${owner}`);
  if (sig.labels > labelsOf(owner).length) return fail('bad_signature', 'RRSIG labels field exceeds the owner name');

  if (normalizeName(dnskey.name) !== signer)
    return fail('key_mismatch', `DNSKEY owner ${dnskey.name} is not the signer ${signer}`);
  if (key.algorithm !== sig.algorithm)
    return fail('key_mismatch', `DNSKEY algorithm ${key.algorithm}, RRSIG algorithm ${sig.algorithm}`);
  // RFC 4034 section 2.1.1: only keys with the Zone Key flag may verify zone data.
  if ((key.flags & 0x0100) === 0) return fail('key_mismatch', 'DNSKEY lacks the zone-key flag');
  const tag = computeKeyTag(key);
  if (tag !== sig.keyTag) return fail('key_mismatch', `DNSKEY key tag ${tag}, RRSIG key tag ${sig.keyTag}`);
  if (!isSupportedAlgorithm(sig.algorithm)) return fail('unsupported_algorithm', `algorithm ${sig.algorithm}`);

  const t = now >>> 0;
  if (serialLess(sig.expiration, sig.inception)) return fail('bad_signature', 'expiration before inception');
  if (serialLess(sig.expiration, t)) return fail('expired', `expired at ${formatTime(sig.expiration)}`);
  if (serialLess(t, sig.inception)) return fail('not_yet_valid', `valid from ${formatTime(sig.inception)}`);

  let data: Buffer;
  try {
    data = rrsigSignedData(sig, rrset);
  } catch (err) {
    return fail('bad_signature', `cannot build signed data: ${(err as Error).message}`);
  }
  const check = checkSignature(sig.algorithm, key.key, data, sig.signature);
  switch (check) {
    case 'valid':
      return { ok: true };
    case 'unsupported':
      return fail('unsupported_algorithm', `algorithm ${sig.algorithm}`);
    case 'malformed_key':
      return fail('bad_signature', 'malformed public key in DNSKEY');
    case 'invalid':
      return fail('bad_signature', 'signature does not verify');
  }
}

function fail(reason: VerifyFailureReason, detail: string): VerifyResult {
  return { ok: false, reason, detail };
}

/** RFC 1982 serial-number "less than" for 32-bit values (RFC 4034 section 3.1.5). */
export function serialLess(a: number, b: number): boolean {
  const d = ((b >>> 0) - (a >>> 0)) >>> 0;
  return d !== 0 && d < 0x80000000;
}

function formatTime(t: number): string {
  return new Date((t >>> 0) * 1000).toISOString();
}

/** Type guard: an RRSIG's data as dns-packet decodes it. */
export function isRrsigData(d: unknown): d is RrsigData {
  if (d === null || typeof d !== 'object') return false;
  const r = d as Record<string, unknown>;
  return (
    typeof r.typeCovered === 'string' &&
    isUint(r.algorithm, 0xff) &&
    isUint(r.labels, 0xff) &&
    isUint(r.originalTTL, 0xffffffff) &&
    isUint(r.expiration, 0xffffffff) &&
    isUint(r.inception, 0xffffffff) &&
    isUint(r.keyTag, 0xffff) &&
    typeof r.signersName === 'string' &&
    Buffer.isBuffer(r.signature)
  );
}

/** Type guard: a DNSKEY's data as dns-packet decodes it. */
export function isDnskeyData(d: unknown): d is DnskeyData {
  if (d === null || typeof d !== 'object') return false;
  const r = d as Record<string, unknown>;
  return isUint(r.flags, 0xffff) && isUint(r.algorithm, 0xff) && Buffer.isBuffer(r.key);
}

function isUint(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}
