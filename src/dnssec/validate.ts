/**
 * Chain-of-trust validation of one zone for the scanner (RFC 4035 section 5): from the closest
 * enclosing trust anchor down every zone cut to the zone, then the zone's own SOA signature.
 */
import type { Answer, DnskeyAnswer, DSAnswer, NsecAnswer, RrsigAnswer } from 'dns-packet';
import { isSupportedAlgorithm } from './algorithms.js';
import { canonicalNameCompare } from './canonical.js';
import { computeKeyTag, DS_DIGESTS, dsDigest } from './keys.js';
import { proveNoDsWithNsec3 } from './nsec3.js';
import type { TrustAnchor } from './trust-anchor.js';
import { isDnskeyData, isRrsigData, verifyRRsig } from './verify.js';
import type { VerifyFailureReason } from './verify.js';
import { isAtOrBelow, labelsOf, normalizeName } from './wire.js';

/** What the caller's resolver returned for one query (asked with the DO bit). */
export type FetchResult =
  | { ok: true; rcode: string; answers: Answer[]; authorities: Answer[] }
  | { ok: false; reason: string };

/**
 * Asks the resolver for `type` at `name` (lower case, no trailing dot, the root as '.') with the
 * EDNS0 DO bit set. Network trouble is `{ok: false}`, never a throw.
 */
export type DnssecFetch = (name: string, type: 'DNSKEY' | 'DS' | 'SOA') => Promise<FetchResult>;

/**
 * secure: the chain validates (`chain` = zones from the anchor down). insecure: a zone cut on the
 * way has no DS (`provenBy`: the signed NSEC or NSEC3 proof that showed it). bogus: something that must
 * validate does not. indeterminate: no anchor covers the zone, a look-up failed, or only algorithms
 * this library cannot check are in use; the scanner reports it as not assessed.
 */
export type ZoneValidation =
  | { status: 'secure'; chain: string[] }
  | { status: 'insecure'; reason: string; provenBy?: 'nsec' | 'nsec3' }
  | { status: 'bogus'; reason: string; detail: string }
  | { status: 'indeterminate'; reason: string };

/**
 * KeyTrap (CVE-2023-50387) bound: a hostile zone can publish many keys with colliding tags and many
 * signatures; cap the signature checks one validation may cost.
 */
const MAX_SIGNATURE_CHECKS = 64;
/** Bound on records looked at per answer section. */
const MAX_RECORDS = 512;

/** Validates `zone` from the closest enclosing anchor in `anchors` at unix time `now` (seconds). */
export async function validateZone(
  zone: string,
  fetch: DnssecFetch,
  anchors: TrustAnchor[],
  now: number,
): Promise<ZoneValidation> {
  // Unix seconds fit 32 bits until 2106; a value this large is almost surely Date.now() milliseconds.
  if (!Number.isFinite(now) || now < 0 || now > 0xffffffff) {
    return { status: 'indeterminate', reason: `invalid validation time ${now} (expected unix seconds)` };
  }
  try {
    return await new ChainWalk(normalizeName(zone), fetch, now).run(anchors);
  } catch (err) {
    if (err instanceof Stop) return err.outcome;
    return { status: 'indeterminate', reason: `validation failed unexpectedly: ${(err as Error).message}` };
  }
}

/** Ends the walk with a verdict. */
class Stop extends Error {
  constructor(readonly outcome: ZoneValidation) {
    super(outcome.status);
  }
}

const bogus = (reason: string, detail: string): Stop => new Stop({ status: 'bogus', reason, detail });
const indeterminate = (reason: string): Stop => new Stop({ status: 'indeterminate', reason });
const insecure = (reason: string, provenBy?: 'nsec' | 'nsec3'): Stop =>
  new Stop(provenBy === undefined ? { status: 'insecure', reason } : { status: 'insecure', reason, provenBy });

type RRsetCheck = { ok: true } | { ok: false; reason: VerifyFailureReason | 'missing'; detail: string };

class ChainWalk {
  private checksLeft = MAX_SIGNATURE_CHECKS;

  constructor(
    private readonly target: string,
    private readonly fetch: DnssecFetch,
    private readonly now: number,
  ) {}

  async run(anchors: TrustAnchor[]): Promise<ZoneValidation> {
    const anchorZone = closestAnchor(this.target, anchors);
    if (anchorZone === undefined) throw indeterminate(`no trust anchor covers ${this.target}`);
    const own = anchors.filter((a) => normalizeName(a.owner) === anchorZone && anchorUsable(a));
    if (own.length === 0)
      throw indeterminate(`the trust anchor for ${anchorZone} uses only unsupported algorithms or digest types`);

    let current = anchorZone;
    let keys = await this.anchoredKeys(anchorZone, own);
    const chain = [current];

    // Every name between the anchor and the target may be a zone cut; ask the parent side for DS.
    const labels = labelsOf(this.target);
    for (let depth = labelsOf(anchorZone).length + 1; depth <= labels.length; depth++) {
      const name = labels.slice(labels.length - depth).join('.');
      const ds = await this.delegationSigner(name, current, keys);
      if (ds === 'not_a_cut') continue;
      keys = await this.childKeys(name, ds);
      current = name;
      chain.push(name);
    }

    await this.checkSoa(current, keys);
    return { status: 'secure', chain };
  }

  /** The anchor zone's DNSKEY RRset, validated against the configured DS/DNSKEY anchors. */
  private async anchoredKeys(zone: string, anchors: TrustAnchor[]): Promise<DnskeyAnswer[]> {
    const res = await this.query(zone, 'DNSKEY');
    const dnskeys = dnskeysAt(res.answers, zone);
    const rrsigs = rrsigsFor(res.answers, zone, 'DNSKEY');
    // The anchor zone is signed by definition: an answer without its keys or their signatures is the
    // resolver failing to pass DNSSEC data, a failure to observe and never a verdict on the target.
    if (dnskeys.length === 0) {
      throw indeterminate(`the resolver returned no DNSKEY for the trust anchor zone ${zone} (rcode ${res.rcode})`);
    }
    if (rrsigs.length === 0) {
      throw indeterminate(`the resolver returned ${zone} DNSKEY without RRSIG; it may not pass DNSSEC records`);
    }
    try {
      const trusted = dnskeys.filter((k) => anchors.some((a) => anchorMatches(a, k)));
      if (trusted.length === 0) {
        throw bogus('DNSKEY does not match the trust anchor', `no DNSKEY of ${zone} matches a configured anchor`);
      }
      this.requireSigned(dnskeys, rrsigs, trusted, zone, 'DNSKEY', `DNSKEY RRset of ${zone}`);
    } catch (err) {
      // A broken anchor zone (stale anchor, a resolver forging or serving stale keys) says nothing about
      // a target below it; it is the target's own verdict only when the target is the anchor zone.
      if (!(err instanceof Stop) || zone === this.target || err.outcome.status !== 'bogus') throw err;
      throw indeterminate(`the trust anchor zone ${zone} does not validate: ${err.outcome.reason}`);
    }
    return zoneKeys(dnskeys);
  }

  /**
   * DS for `name` from its parent `parent`: the signed DS RRset, or 'not_a_cut' when a signed NSEC
   * shows `name` is inside the parent zone. Stops with insecure when the delegation has no DS.
   */
  private async delegationSigner(
    name: string,
    parent: string,
    parentKeys: DnskeyAnswer[],
  ): Promise<DSAnswer[] | 'not_a_cut'> {
    const res = await this.query(name, 'DS', ['NOERROR', 'NXDOMAIN']);
    const dsSet = res.answers.filter(
      (rr): rr is DSAnswer => rr.type === 'DS' && normalizeName(rr.name) === name && isDsShape(rr.data),
    );
    if (dsSet.length > 0) {
      this.requireSigned(
        dsSet,
        rrsigsFor(res.answers, name, 'DS'),
        parentKeys,
        parent,
        'DS',
        `DS RRset of ${name} in ${parent}`,
      );
      return dsSet;
    }
    if (res.rcode === 'NXDOMAIN') throw indeterminate(`${name} does not exist (NXDOMAIN)`);
    return this.noDataDenial(name, parent, parentKeys, res.authorities);
  }

  /** Judges the proof that `name` has no DS (RFC 4035 section 5.4, RFC 4034 section 4). */
  private async noDataDenial(
    name: string,
    parent: string,
    parentKeys: DnskeyAnswer[],
    authorities: Answer[],
  ): Promise<'not_a_cut'> {
    const nsecs = authorities.filter(
      (rr): rr is NsecAnswer => rr.type === 'NSEC' && isNsecShape(rr.data) && isAtOrBelow(rr.name, parent),
    );
    const matching = nsecs.find((n) => normalizeName(n.name) === name);
    if (matching !== undefined) {
      const where = `NSEC at ${name} in ${parent}`;
      this.requireSigned([matching], rrsigsFor(authorities, name, 'NSEC'), parentKeys, parent, 'NSEC', where);
      const types = new Set(matching.data.rrtypes);
      if (types.has('DS')) throw bogus('NSEC contradicts the missing DS', `${where} lists DS but no DS was returned`);
      if (types.has('SOA')) {
        throw bogus('DS denial from the child side', `${where} is the child's apex NSEC, not the parent's proof`);
      }
      if (types.has('NS')) throw insecure(`no DS for ${name} in ${parent}`, 'nsec');
      return 'not_a_cut';
    }
    const covering = nsecs.find((n) => nsecCovers(n, name, parent));
    if (covering !== undefined) {
      const owner = normalizeName(covering.name);
      const where = `NSEC at ${owner} in ${parent}`;
      this.requireSigned([covering], rrsigsFor(authorities, owner, 'NSEC'), parentKeys, parent, 'NSEC', where);
      // An NSEC covering the name whose next name is below it proves an empty non-terminal.
      const next = normalizeName(covering.data.nextDomain);
      if (next !== name && isAtOrBelow(next, name)) return 'not_a_cut';
      throw indeterminate(`${name} does not exist (${where} covers it)`);
    }
    const nsec3s = authorities.filter((rr) => rr.type === 'NSEC3' && isAtOrBelow(rr.name, parent));
    if (nsec3s.length > 0) return this.nsec3Denial(name, parent, parentKeys, nsec3s, authorities);
    throw bogus(
      'missing NSEC proof of no DS',
      `${parent} is signed but its answer that ${name} has no DS carries no signed denial`,
    );
  }

  /**
   * Judges an NSEC3 proof that `name` has no DS (RFC 5155 section 8.9): the proof must hold and every
   * record it uses must be signed by the parent. Parameters Vitals does not evaluate (RFC 9276
   * iteration cap, unknown algorithm) leave the zone indeterminate, never insecure.
   */
  private nsec3Denial(
    name: string,
    parent: string,
    parentKeys: DnskeyAnswer[],
    nsec3s: Answer[],
    authorities: Answer[],
  ): 'not_a_cut' {
    const proof = proveNoDsWithNsec3(name, parent, nsec3s);
    if (proof.kind === 'unevaluated') throw indeterminate(proof.reason);
    if (proof.kind === 'bogus') throw bogus(proof.reason, proof.detail);
    for (const rr of proof.used) {
      const owner = normalizeName(rr.name);
      const where = `NSEC3 at ${owner} in ${parent}`;
      this.requireSigned([rr], rrsigsFor(authorities, owner, 'NSEC3'), parentKeys, parent, 'NSEC3', where);
    }
    if (proof.kind === 'not_a_cut') return 'not_a_cut';
    const how = proof.kind === 'opt_out' ? 'NSEC3 opt-out' : 'NSEC3';
    throw insecure(`no DS for ${name} in ${parent} (${how}: ${proof.detail})`, 'nsec3');
  }

  /** The child's DNSKEY RRset: a key must match a DS and sign the RRset (RFC 4035 section 5.2). */
  private async childKeys(zone: string, dsSet: DSAnswer[]): Promise<DnskeyAnswer[]> {
    const usable = dsSet.filter(
      (ds) => isSupportedAlgorithm(ds.data.algorithm) && DS_DIGESTS[ds.data.digestType] !== undefined,
    );
    if (usable.length === 0) {
      throw indeterminate(`the DS records of ${zone} use only unsupported algorithms or digest types`);
    }
    const res = await this.query(zone, 'DNSKEY');
    const dnskeys = dnskeysAt(res.answers, zone);
    if (dnskeys.length === 0) throw bogus('no DNSKEY for DS', `${zone} has DS records in its parent but no DNSKEY`);
    const matched = dnskeys.filter((k) => usable.some((ds) => dsMatches(ds, k)));
    if (matched.length === 0) {
      const tags = usable.map((ds) => ds.data.keyTag).join(', ');
      throw bogus('no DNSKEY matches DS', `no DNSKEY of ${zone} matches DS key tag(s) ${tags}`);
    }
    this.requireSigned(
      dnskeys,
      rrsigsFor(res.answers, zone, 'DNSKEY'),
      matched,
      zone,
      'DNSKEY',
      `DNSKEY RRset of ${zone}`,
    );
    return zoneKeys(dnskeys);
  }

  /** The zone's SOA must verify with its keys: this catches expired or broken signatures on data. */
  private async checkSoa(zone: string, keys: DnskeyAnswer[]): Promise<void> {
    const res = await this.query(zone, 'SOA');
    const soa = res.answers.filter((rr) => rr.type === 'SOA' && normalizeName(rr.name) === zone);
    if (soa.length === 0) throw indeterminate(`no SOA returned for ${zone}`);
    this.requireSigned(soa, rrsigsFor(res.answers, zone, 'SOA'), keys, zone, 'SOA', `SOA of ${zone}`);
  }

  /** Throws bogus unless some RRSIG by `signer` over `rrset` verifies with one of `keys`. */
  private requireSigned(
    rrset: Answer[],
    rrsigs: RrsigAnswer[],
    keys: DnskeyAnswer[],
    signer: string,
    label: string,
    where: string,
  ): void {
    const result = this.checkRRset(rrset, rrsigs, keys, signer);
    if (result.ok) return;
    throw bogus(describeFailure(result.reason, label), `${where}: ${result.detail}`);
  }

  private checkRRset(rrset: Answer[], rrsigs: RrsigAnswer[], keys: DnskeyAnswer[], signer: string): RRsetCheck {
    const bySigner = rrsigs.filter((s) => normalizeName(s.data.signersName) === signer);
    if (bySigner.length === 0) return { ok: false, reason: 'missing', detail: `no RRSIG by ${signer}` };
    let best: RRsetCheck | undefined;
    for (const rrsig of bySigner) {
      const candidates = keys.filter(
        (k) => k.data.algorithm === rrsig.data.algorithm && computeKeyTag(k.data) === rrsig.data.keyTag,
      );
      if (candidates.length === 0) {
        best = worse(best, {
          ok: false,
          reason: 'key_mismatch',
          detail: `no DNSKEY with key tag ${rrsig.data.keyTag}`,
        });
        continue;
      }
      for (const key of candidates) {
        if (this.checksLeft-- <= 0) throw indeterminate('too many signatures to check (KeyTrap bound)');
        const r = verifyRRsig(rrset, rrsig, key, this.now);
        if (r.ok) return r;
        best = worse(best, {
          ok: false,
          reason: r.reason,
          detail: `key tag ${rrsig.data.keyTag}: ${r.detail ?? r.reason}`,
        });
      }
    }
    return best ?? { ok: false, reason: 'missing', detail: `no RRSIG by ${signer}` };
  }

  /** One look-up; failures and unexpected rcodes end the walk as indeterminate. */
  private async query(
    name: string,
    type: 'DNSKEY' | 'DS' | 'SOA',
    rcodes: string[] = ['NOERROR'],
  ): Promise<FetchResult & { ok: true }> {
    const res = await this.fetch(name, type);
    if (!res.ok) throw indeterminate(`${type} look-up for ${name} failed: ${res.reason}`);
    if (!rcodes.includes(res.rcode)) throw indeterminate(`${type} look-up for ${name} answered ${res.rcode}`);
    if (!Array.isArray(res.answers) || !Array.isArray(res.authorities)) {
      throw indeterminate(`${type} look-up for ${name} returned a malformed result`);
    }
    // A zone apex or a delegation point cannot be an alias (RFC 1034 section 3.6.2, RFC 2181 section
    // 10.1): a CNAME here (a loop, a hostile resolver) means the reply tells nothing about the zone.
    if (res.answers.some((rr) => rr.type === 'CNAME' && normalizeName(rr.name) === name)) {
      throw indeterminate(`${type} look-up for ${name} answered with a CNAME instead of data`);
    }
    return { ...res, answers: res.answers.slice(0, MAX_RECORDS), authorities: res.authorities.slice(0, MAX_RECORDS) };
  }
}

/** Failures ranked by how much they tell: a real signature problem beats a missing key. */
const FAILURE_RANK: Record<VerifyFailureReason | 'missing', number> = {
  expired: 5,
  not_yet_valid: 4,
  bad_signature: 3,
  unsupported_algorithm: 2,
  key_mismatch: 1,
  missing: 0,
};

function worse(a: RRsetCheck | undefined, b: RRsetCheck & { ok: false }): RRsetCheck {
  if (a === undefined || a.ok) return b;
  return FAILURE_RANK[b.reason] > FAILURE_RANK[a.reason] ? b : a;
}

function describeFailure(reason: VerifyFailureReason | 'missing', label: string): string {
  switch (reason) {
    case 'expired':
      return `expired signature on ${label}`;
    case 'not_yet_valid':
      return `signature not yet valid on ${label}`;
    case 'bad_signature':
      return `bad signature on ${label}`;
    case 'unsupported_algorithm':
      return `unsupported algorithm in signature on ${label}`;
    case 'key_mismatch':
      return `no DNSKEY matches the signature on ${label}`;
    case 'missing':
      return `missing signature on ${label}`;
  }
}

/** The deepest anchor owner at or above the target. */
function closestAnchor(target: string, anchors: TrustAnchor[]): string | undefined {
  let best: string | undefined;
  for (const a of anchors) {
    const owner = normalizeName(a.owner);
    if (!isAtOrBelow(target, owner)) continue;
    if (best === undefined || labelsOf(owner).length > labelsOf(best).length) best = owner;
  }
  return best;
}

function anchorUsable(a: TrustAnchor): boolean {
  if (!isSupportedAlgorithm(a.algorithm)) return false;
  return a.type === 'DNSKEY' || DS_DIGESTS[a.digestType] !== undefined;
}

function anchorMatches(a: TrustAnchor, key: DnskeyAnswer): boolean {
  if (a.type === 'DNSKEY') {
    return a.algorithm === key.data.algorithm && a.flags === key.data.flags && a.publicKey.equals(key.data.key);
  }
  return dsMatches({ name: a.owner, type: 'DS', data: a }, key);
}

/** RFC 4035 section 5.2: key tag, algorithm and digest over owner + DNSKEY RDATA all agree. */
function dsMatches(ds: DSAnswer, key: DnskeyAnswer): boolean {
  const d = ds.data;
  if (d.algorithm !== key.data.algorithm || computeKeyTag(key.data) !== d.keyTag) return false;
  if (DS_DIGESTS[d.digestType] === undefined) return false;
  if ((key.data.flags & 0x0100) === 0) return false;
  return dsDigest(key.name, key.data, d.digestType).equals(d.digest);
}

function dnskeysAt(records: Answer[], zone: string): DnskeyAnswer[] {
  return records.filter(
    (rr): rr is DnskeyAnswer => rr.type === 'DNSKEY' && normalizeName(rr.name) === zone && isDnskeyData(rr.data),
  );
}

/** Keys that may sign zone data: the zone-key flag set (RFC 4034 section 2.1.1). */
function zoneKeys(dnskeys: DnskeyAnswer[]): DnskeyAnswer[] {
  return dnskeys.filter((k) => (k.data.flags & 0x0100) !== 0);
}

function rrsigsFor(records: Answer[], owner: string, type: string): RrsigAnswer[] {
  return records.filter(
    (rr): rr is RrsigAnswer =>
      rr.type === 'RRSIG' && normalizeName(rr.name) === owner && isRrsigData(rr.data) && rr.data.typeCovered === type,
  );
}

/**
 * RFC 4034 section 4.1.1: an NSEC covers the names strictly between its owner and its next name in
 * canonical order; the last NSEC of a zone points back to the apex and covers everything after it.
 */
function nsecCovers(nsec: NsecAnswer, name: string, zone: string): boolean {
  const owner = normalizeName(nsec.name);
  const next = normalizeName(nsec.data.nextDomain);
  if (canonicalNameCompare(owner, name) >= 0) return false;
  if (next === zone) return true;
  return canonicalNameCompare(name, next) < 0;
}

function isDsShape(d: unknown): boolean {
  if (d === null || typeof d !== 'object') return false;
  const r = d as Record<string, unknown>;
  return (
    typeof r.keyTag === 'number' &&
    typeof r.algorithm === 'number' &&
    typeof r.digestType === 'number' &&
    Buffer.isBuffer(r.digest)
  );
}

function isNsecShape(d: unknown): boolean {
  if (d === null || typeof d !== 'object') return false;
  const r = d as Record<string, unknown>;
  return typeof r.nextDomain === 'string' && Array.isArray(r.rrtypes) && r.rrtypes.every((t) => typeof t === 'string');
}
