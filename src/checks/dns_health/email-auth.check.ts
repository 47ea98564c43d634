/**
 * E-mail authentication checks (SPF, DMARC, DKIM, MX) over an EmailAuthObservation. Pure: no I/O, so
 * every rule is tested with hand-built observations. Finding ids and control semantics are the catalogue's
 * (src/catalogue/catalogue.json, docs/findings.md); how the lab realizes each one is in docs/lab.md.
 *
 * Not-assessed check names: `dns.spf` (apex TXT look-up failed: nothing about SPF is judged),
 * `dns.spf.all` (the redirect target deciding the final `all` could not be fetched),
 * `dns.spf.too_many_lookups`, `dns.spf.void_lookups` (part of the include tree could not be fetched and
 * what was fetched stays within the limit), `dns.dmarc`, `dns.dkim` (no key found and some selectors
 * failed), `dns.dkim.weak_key` (keys found, none weak, some selectors failed), `dns.mx`.
 */
import type { AssetRef, FindingDraft, ProbeAttempt } from '../../core/types.js';
import type { FindingId } from '../../catalogue/ids.js';
import type { CatalogueOutcome } from '../define-check.js';
import { emptyOutcome } from '../../core/types.js';
import type { EmailAuthObservation, SpfNode } from '../../probes/dns/email-auth.types.js';
import { type DkimKey, parseDkimKey } from '../../email-auth/dkim.js';
import { isDmarcRecord, parseDmarc } from '../../email-auth/dmarc.js';
import { firstAll, parseSpf, redirectOf } from '../../email-auth/spf.js';
import type { SpfParseResult, SpfQualifier } from '../../email-auth/spf.js';

/** RFC 7208 4.6.4: at most 10 terms that cause DNS lookups. */
export const SPF_LOOKUP_LIMIT = 10;
/** RFC 7208 4.6.4: implementations SHOULD limit void lookups to two. */
export const SPF_VOID_LOOKUP_LIMIT = 2;
/** Smallest RSA DKIM key judged strong (RFC 8301 3.2 requires 1024; current practice is 2048). */
export const DKIM_MIN_RSA_BITS = 2048;

/** Judges SPF, DMARC, DKIM and MX of one apex; see contract-lab.md for ids and precedence. */
export function checkEmailAuth(obs: EmailAuthObservation): CatalogueOutcome {
  const out: CatalogueOutcome = emptyOutcome();
  const asset: AssetRef = { host: obs.domain };
  checkSpf(obs, asset, out);
  checkDmarc(obs, asset, out);
  checkDkim(obs, asset, out);
  checkMx(obs, asset, out);
  return out;
}

function finding(type: FindingId, asset: AssetRef, evidence: Record<string, unknown>): FindingDraft<FindingId> {
  return { type, asset: { ...asset }, evidence };
}

function failure(attempt: ProbeAttempt<unknown>): string {
  return attempt.status === 'not_assessed' ? `${attempt.reason}: ${attempt.detail}` : 'completed';
}

// ---------------------------------------------------------------------------------------------- SPF

export function checkSpf(obs: EmailAuthObservation, asset: AssetRef, out: CatalogueOutcome): void {
  if (obs.apexTxt.status !== 'completed') {
    out.notAssessed.push({
      check: 'dns.spf',
      asset,
      reason: `TXT look-up of ${obs.domain} failed (${failure(obs.apexTxt)})`,
    });
    return;
  }
  const records = obs.spfRecords;
  if (records.length === 0) {
    out.findings.push(
      finding('dns.spf.missing', asset, { rcode: obs.apexTxt.result.rcode, txtRecords: obs.apexTxt.result.records }),
    );
    return;
  }
  // RFC 7208 4.5: several SPF records are a permerror; nothing else about them means anything.
  if (records.length > 1) {
    out.findings.push(finding('dns.spf.multiple_records', asset, { records, count: records.length }));
    return;
  }
  const record = records[0]!;
  const parsed = parseSpf(record);
  // A syntax error is a permerror for every message (RFC 7208 4.6): judging its `all` would be judging
  // a policy no receiver applies, so only the syntax error is reported.
  if (!parsed.valid) {
    const errors = parsed.errors.map(({ code, position, term, message }) => ({ code, position, term, message }));
    out.findings.push(finding('dns.spf.syntax_error', asset, { record, errors }));
    return;
  }
  if (!obs.spfTree) {
    out.notAssessed.push({ check: 'dns.spf.all', asset, reason: 'SPF evaluation tree missing from the observation' });
    return;
  }

  const verdict = effectiveAll(obs.spfTree, parsed);
  const allEvidence = { record, ...verdict.evidence };
  if (verdict.kind === 'unknown') {
    out.notAssessed.push({ check: 'dns.spf.all', asset, reason: verdict.reason });
  } else if (verdict.kind === 'all' && (verdict.qualifier === '+' || verdict.qualifier === '?')) {
    out.findings.push(finding('dns.spf.permissive_all', asset, allEvidence));
  } else if (verdict.kind === 'all' && verdict.qualifier === '~') {
    out.findings.push(finding('dns.spf.softfail_all', asset, allEvidence));
  }
  // verdict 'none' (no `all`, no usable redirect): the default result is neutral (RFC 7208 4.7). The
  // contract defines permissive_all by an explicit `all`, so nothing is reported, and no hardfail
  // control is granted either.

  const counts = countSpfTree(obs.spfTree);
  const overLookupLimit = counts.lookups > SPF_LOOKUP_LIMIT || counts.unbounded.length > 0;
  if (overLookupLimit) {
    out.findings.push(
      finding('dns.spf.too_many_lookups', asset, {
        record,
        lookups: counts.lookups,
        limit: SPF_LOOKUP_LIMIT,
        // The walk stopped (loop, depth or budget), so the true number is at least `lookups`.
        lowerBound: counts.unbounded.length > 0 || counts.unknownSubtrees.length > 0,
        stoppedAt: counts.unbounded,
        counted: counts.counted,
      }),
    );
  } else if (counts.unknownSubtrees.length > 0) {
    out.notAssessed.push({
      check: 'dns.spf.too_many_lookups',
      asset,
      reason:
        `${counts.lookups} lookups counted, but the SPF records of ${counts.unknownSubtrees.join(', ')} ` +
        `could not be fetched`,
    });
  }

  const overVoidLimit = counts.voids.length > SPF_VOID_LOOKUP_LIMIT;
  if (overVoidLimit) {
    out.findings.push(
      finding('dns.spf.void_lookups', asset, {
        record,
        voidLookups: counts.voids.length,
        limit: SPF_VOID_LOOKUP_LIMIT,
        voids: counts.voids,
      }),
    );
  } else if (counts.unknownLookups.length > 0) {
    out.notAssessed.push({
      check: 'dns.spf.void_lookups',
      asset,
      reason:
        `${counts.voids.length} void lookups counted, but these look-ups failed: ` +
        `${counts.unknownLookups.join('; ')}`,
    });
  }

  const countsKnown = counts.unknownSubtrees.length === 0 && counts.unknownLookups.length === 0;
  if (verdict.kind === 'all' && verdict.qualifier === '-' && !overLookupLimit && !overVoidLimit && countsKnown) {
    out.controls.push({
      control: 'dns.spf.hardfail',
      asset: { ...asset },
      evidence: { ...allEvidence, lookups: counts.lookups, voidLookups: counts.voids.length },
    });
  }
}

type AllVerdict =
  | { kind: 'all'; qualifier: SpfQualifier; evidence: Record<string, unknown> }
  /** No `all` reached: the neutral default (RFC 7208 4.7), or a redirect that ends in permerror. */
  | { kind: 'none'; evidence: Record<string, unknown> }
  | { kind: 'unknown'; reason: string; evidence: Record<string, unknown> };

/**
 * The `all` that decides mail matching nothing else: the record's first `all`, or, when it has none,
 * the one of its redirect target (RFC 7208 6.1: the redirect's result replaces the record's), followed
 * through the fetched tree.
 */
function effectiveAll(root: SpfNode, rootParsed: SpfParseResult): AllVerdict {
  let node = root;
  let parsed = rootParsed;
  const via: string[] = [];
  // Bounded by the tree's depth: each step descends one level.
  for (;;) {
    const all = firstAll(parsed);
    if (all) {
      const evidence = {
        all: all.text,
        qualifier: all.qualifier,
        ...(via.length > 0 ? { decidedBy: node.domain, redirects: via } : {}),
      };
      return { kind: 'all', qualifier: all.qualifier, evidence };
    }
    if (!redirectOf(parsed)) return { kind: 'none', evidence: { all: null, redirects: via } };
    const entry = node.terms.find((t) => t.mechanism === 'redirect');
    if (!entry) return { kind: 'none', evidence: { all: null, redirects: via } };
    if (entry.outcome.kind === 'not_queried') {
      // A redirect loop or one past the limits is a permerror; a macro target cannot be known here.
      if (entry.outcome.reason === 'macro') {
        return { kind: 'unknown', reason: `redirect target "${entry.text}" uses macros`, evidence: {} };
      }
      return { kind: 'none', evidence: { all: null, redirects: via, redirectStopped: entry.outcome.reason } };
    }
    if (entry.outcome.kind !== 'followed') return { kind: 'none', evidence: { all: null, redirects: via } };
    const child = entry.outcome.node;
    via.push(child.domain);
    if (child.txt.status !== 'completed') {
      return {
        kind: 'unknown',
        reason: `TXT look-up of redirect target ${child.domain} failed (${failure(child.txt)})`,
        evidence: {},
      };
    }
    const childParsed = child.spfRecords.length === 1 ? parseSpf(child.spfRecords[0]!) : undefined;
    if (!childParsed?.valid) return { kind: 'none', evidence: { all: null, redirects: via, redirectPermerror: true } };
    node = child;
    parsed = childParsed;
  }
}

interface SpfCounts {
  /** DNS-lookup terms counted (RFC 7208 4.6.4), through includes and redirects. */
  lookups: number;
  /** Each counted term as `domain: term`. */
  counted: string[];
  /** Void lookups as `domain: term -> result`. */
  voids: string[];
  /** Terms where the walk stopped because the tree is unbounded: loop, depth or budget. */
  unbounded: string[];
  /** include/redirect targets whose TXT look-up failed: their own lookups are unknown. */
  unknownSubtrees: string[];
  /** Look-ups whose failure leaves a possible void uncounted. */
  unknownLookups: string[];
}

/** Counts lookup terms and void lookups over the fetched SPF tree. */
export function countSpfTree(root: SpfNode): SpfCounts {
  const counts: SpfCounts = {
    lookups: 0,
    counted: [],
    voids: [],
    unbounded: [],
    unknownSubtrees: [],
    unknownLookups: [],
  };
  // Explicit stack instead of recursion; the tree is finite (the probe bounds depth and terms).
  const stack: SpfNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const term of node.terms) {
      const label = `${node.domain}: ${term.text}`;
      counts.lookups++;
      counts.counted.push(label);
      const outcome = term.outcome;
      if (outcome.kind === 'not_queried') {
        if (outcome.reason === 'loop' || outcome.reason === 'depth_limit' || outcome.reason === 'lookup_budget') {
          counts.unbounded.push(`${label} (${outcome.reason})`);
        }
        // ptr and macro terms count as lookups but cannot be resolved outside an SMTP session.
        continue;
      }
      if (outcome.kind === 'followed') {
        const child = outcome.node;
        if (child.txt.status !== 'completed') {
          counts.unknownSubtrees.push(child.domain);
          counts.unknownLookups.push(`${label} (${failure(child.txt)})`);
          continue;
        }
        // No TXT at all at an include/redirect target is a void lookup (and a permerror, RFC 7208 5.2).
        if (child.txt.result.rcode === 'NXDOMAIN' || child.txt.result.records.length === 0) {
          counts.voids.push(`${label} -> ${child.txt.result.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'no answer'}`);
        }
        stack.push(child);
        continue;
      }
      // a, mx, exists: void when the name does not exist, or exists with no record of any asked type.
      const failed = outcome.queries.filter((q) => q.attempt.status !== 'completed');
      if (failed.length > 0) {
        counts.unknownLookups.push(`${label} (${failed.map((q) => failure(q.attempt)).join(', ')})`);
        continue;
      }
      const results = outcome.queries.map((q) => (q.attempt.status === 'completed' ? q.attempt.result : undefined));
      if (results.length === 0) continue;
      const nxdomain = results.some((r) => r?.rcode === 'NXDOMAIN');
      const answers = results.reduce((sum, r) => sum + (r?.answerCount ?? 0), 0);
      if (nxdomain || answers === 0) counts.voids.push(`${label} -> ${nxdomain ? 'NXDOMAIN' : 'no answer'}`);
    }
  }
  return counts;
}

// -------------------------------------------------------------------------------------------- DMARC

export function checkDmarc(obs: EmailAuthObservation, asset: AssetRef, out: CatalogueOutcome): void {
  const { name, txt } = obs.dmarc;
  if (txt.status !== 'completed') {
    out.notAssessed.push({ check: 'dns.dmarc', asset, reason: `TXT look-up of ${name} failed (${failure(txt)})` });
    return;
  }
  const records = txt.result.records.filter(isDmarcRecord);
  if (records.length === 0) {
    out.findings.push(
      finding('dns.dmarc.missing', asset, { name, rcode: txt.result.rcode, txtRecords: txt.result.records }),
    );
    return;
  }
  // RFC 7489 6.6.3: with several DMARC records policy discovery ends and DMARC is not applied. The
  // contract has no id for it; it is a malformed policy record set, reported as a syntax error.
  if (records.length > 1) {
    out.findings.push(
      finding('dns.dmarc.syntax_error', asset, {
        name,
        records,
        errors: ['more than one DMARC record (RFC 7489 6.6.3)'],
      }),
    );
    return;
  }
  const record = records[0]!;
  const parsed = parseDmarc(record);
  if (parsed.appliedAsNone) {
    // RFC 7489 6.6.3 step 6: no valid p (or an invalid sp) but a valid rua: receivers apply p=none.
    out.findings.push(
      finding('dns.dmarc.policy_none', asset, {
        name,
        record,
        policy: 'none',
        p: parsed.tags.find((t) => t.name === 'p')?.value ?? 'missing',
        appliedAs: 'p=none (RFC 7489 6.6.3: no valid policy, but a valid rua)',
        problems: parsed.appliedAsNone.problems,
      }),
    );
    return;
  }
  if (!parsed.valid) {
    out.findings.push(finding('dns.dmarc.syntax_error', asset, { name, record, errors: parsed.errors }));
    return;
  }
  const pct = parsed.pct ?? 100;
  if (parsed.policy === 'none') {
    // p=none asks for no action, so what fraction it applies to is moot: partial_pct is not judged.
    out.findings.push(finding('dns.dmarc.policy_none', asset, { name, record, policy: 'none' }));
  } else if (pct < 100) {
    out.findings.push(finding('dns.dmarc.partial_pct', asset, { name, record, policy: parsed.policy, pct }));
  } else if (parsed.policy === 'reject') {
    out.controls.push({
      control: 'dns.dmarc.reject',
      asset: { ...asset },
      evidence: { name, record, policy: 'reject', pct },
    });
  }
  // Reporting is independent of policy: without rua the owner never learns who sends as them.
  if (parsed.rua.length === 0) {
    out.findings.push(finding('dns.dmarc.no_reporting', asset, { name, record, policy: parsed.policy }));
  }
}

// --------------------------------------------------------------------------------------------- DKIM

export function checkDkim(obs: EmailAuthObservation, asset: AssetRef, out: CatalogueOutcome): void {
  const failed: string[] = [];
  const keys: Array<{ selector: string; name: string; key: DkimKey }> = [];
  const revoked: string[] = [];
  for (const lookup of obs.dkim) {
    if (lookup.txt.status !== 'completed') {
      failed.push(`${lookup.selector} (${failure(lookup.txt)})`);
      continue;
    }
    for (const record of lookup.txt.result.records) {
      const key = parseDkimKey(record);
      if (key === null) continue;
      // A revoked key is the owner saying "this selector no longer signs": it is no key at all.
      if (key.kind === 'revoked') revoked.push(lookup.selector);
      else keys.push({ selector: lookup.selector, name: lookup.name, key });
    }
  }
  const selectorsTried = obs.dkim.map((l) => l.selector);

  if (keys.length === 0) {
    if (failed.length > 0) {
      out.notAssessed.push({
        check: 'dns.dkim',
        asset,
        reason: `no DKIM key found, and these selectors could not be queried: ${failed.join(', ')}`,
      });
    } else {
      out.findings.push(finding('dns.dkim.not_found', asset, { selectorsTried, revokedSelectors: revoked }));
    }
    return;
  }

  const weak = keys
    .flatMap((k) =>
      k.key.kind === 'rsa' && k.key.bits < DKIM_MIN_RSA_BITS
        ? [{ selector: k.selector, name: k.name, bits: k.key.bits }]
        : [],
    )
    .sort((a, b) => a.bits - b.bits);
  const weakest = weak[0];
  if (weakest) {
    // One finding per apex (the weakness is "this domain signs with a weak key"); every weak selector is in the
    // evidence.
    out.findings.push(
      finding('dns.dkim.weak_key', asset, {
        selector: weakest.selector,
        bits: weakest.bits,
        name: weakest.name,
        weakKeys: weak.map(({ selector, bits }) => ({ selector, bits })),
      }),
    );
  } else if (failed.length > 0) {
    out.notAssessed.push({
      check: 'dns.dkim.weak_key',
      asset,
      reason: `no weak key among those found, but these selectors could not be queried: ${failed.join(', ')}`,
    });
  }

  const strong = keys.find(
    (k) => k.key.kind === 'ed25519' || (k.key.kind === 'rsa' && k.key.bits >= DKIM_MIN_RSA_BITS),
  );
  if (strong) {
    const evidence =
      strong.key.kind === 'rsa'
        ? { selector: strong.selector, keyType: 'rsa', bits: strong.key.bits }
        : { selector: strong.selector, keyType: 'ed25519' };
    out.controls.push({ control: 'dns.dkim.strong_key', asset: { ...asset }, evidence });
  }
}

// ----------------------------------------------------------------------------------------------- MX

export function checkMx(obs: EmailAuthObservation, asset: AssetRef, out: CatalogueOutcome): void {
  if (obs.mx.status !== 'completed') {
    out.notAssessed.push({ check: 'dns.mx', asset, reason: `MX look-up of ${obs.domain} failed (${failure(obs.mx)})` });
    return;
  }
  // A null MX ("0 .", RFC 7505) is a record too: the owner states the domain takes no mail.
  if (obs.mx.result.records.length === 0) {
    out.findings.push(finding('dns.mx.missing', asset, { rcode: obs.mx.result.rcode }));
  }
}
