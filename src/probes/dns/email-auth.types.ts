/**
 * Typed result of the e-mail authentication probe (SPF, DMARC, DKIM, MX): what DNS said, as fetched,
 * with no judgement. Every look-up is a ProbeAttempt so a timeout is never mistaken for absence; the
 * checks in src/checks/dns_health/email-auth.check.ts judge it.
 */
import type { ProbeAttempt } from '../../core/types.js';

/** DKIM selectors tried at `<selector>._domainkey.<apex>` (contract-lab.md). */
export const COMMON_DKIM_SELECTORS = [
  'default',
  'selector1',
  'selector2',
  'google',
  'k1',
  'k2',
  's1',
  's2',
  'dkim',
  'mail',
  'smtp',
  'mx',
  'email',
  'key1',
  'mandrill',
  'everlytic',
  'zendesk1',
  'mxvault',
] as const;

/** A completed TXT look-up. */
export interface TxtLookupResult {
  /** 'NOERROR' or 'NXDOMAIN' (any other rcode makes the attempt not_assessed). */
  rcode: string;
  /** One string per TXT record at the name, its character-strings concatenated (RFC 7208 3.3, RFC 6376 3.6.2.2). */
  records: string[];
}

/** A completed look-up of a/mx/exists: only what void-lookup counting needs (RFC 7208 4.6.4). */
export interface CountedLookupResult {
  rcode: string;
  /** Records of the asked type (after following CNAMEs in the reply). */
  answerCount: number;
}

/** One DNS query made for an SPF a/mx/exists term. */
export interface SpfTermQuery {
  type: 'A' | 'AAAA' | 'MX';
  name: string;
  attempt: ProbeAttempt<CountedLookupResult>;
}

/** Why the probe did not follow a DNS-lookup term. */
export type SpfNotQueriedReason =
  /** ptr needs the connecting client's address; there is none outside an SMTP session. */
  | 'ptr_needs_client_ip'
  /** The domain-spec holds macros (RFC 7208 7) that need an SMTP session to expand. */
  | 'macro'
  /** The target is already being evaluated higher up this branch: an include/redirect loop. */
  | 'loop'
  /** Following it would nest deeper than the probe's depth bound (10). */
  | 'depth_limit'
  /** The probe's budget of lookup terms per domain (50) was spent. */
  | 'lookup_budget';

/** What happened to one DNS-lookup term. */
export type SpfTermOutcome =
  /** a, mx, exists: the queries made. */
  | { kind: 'queried'; queries: SpfTermQuery[] }
  /** include, redirect: the target's SPF node. */
  | { kind: 'followed'; node: SpfNode }
  | { kind: 'not_queried'; reason: SpfNotQueriedReason };

/** A term that RFC 7208 4.6.4 counts against the limit of 10 DNS lookups. */
export interface SpfLookupTerm {
  mechanism: 'include' | 'a' | 'mx' | 'ptr' | 'exists' | 'redirect';
  /** The term as written in the record. */
  text: string;
  /** The domain looked up (lower case), or null when it could not be expanded (macros, ptr). */
  target: string | null;
  outcome: SpfTermOutcome;
}

/** One domain's SPF record in the evaluation tree (the apex, or an include/redirect target). */
export interface SpfNode {
  domain: string;
  via: 'apex' | 'include' | 'redirect';
  /** 0 for the apex. */
  depth: number;
  /** The TXT look-up of `domain`. */
  txt: ProbeAttempt<TxtLookupResult>;
  /** Those TXT records that start with `v=spf1` (RFC 7208 4.5). */
  spfRecords: string[];
  /**
   * The DNS-lookup terms of the record, in order, that an evaluation can reach (RFC 7208 4.6.4):
   * mechanisms before the first `all` (5.1: later ones are never tested), and `redirect` when the
   * record has no `all` (6.1). Empty unless there is exactly one SPF record and it parses.
   */
  terms: SpfLookupTerm[];
}

/** One DKIM selector tried. */
export interface DkimSelectorLookup {
  selector: string;
  /** `<selector>._domainkey.<apex>`. */
  name: string;
  txt: ProbeAttempt<TxtLookupResult>;
}

export interface MxRecord {
  preference: number;
  /** Exchange host, lower case without trailing dot; '' for the root (null MX, RFC 7505). */
  exchange: string;
}

export interface MxLookupResult {
  rcode: string;
  records: MxRecord[];
}

/** Everything the e-mail authentication checks need about one apex domain. */
export interface EmailAuthObservation {
  /** The apex, lower case, without trailing dot. */
  domain: string;
  /** TXT records at the apex. */
  apexTxt: ProbeAttempt<TxtLookupResult>;
  /** Every apex TXT record starting with `v=spf1` (empty when apexTxt failed). */
  spfRecords: string[];
  /**
   * The SPF evaluation tree as fetched, rooted at the apex. Null when the apex TXT look-up failed or
   * the apex has not exactly one syntactically valid SPF record (then nothing is evaluated: RFC 7208
   * 4.5 and 4.6 make those a permerror before any lookup).
   */
  spfTree: SpfNode | null;
  /** TXT look-up of `_dmarc.<apex>` (RFC 7489 6.1). */
  dmarc: { name: string; txt: ProbeAttempt<TxtLookupResult> };
  /** One entry per COMMON_DKIM_SELECTORS, in that order. */
  dkim: DkimSelectorLookup[];
  /** MX look-up of the apex. */
  mx: ProbeAttempt<MxLookupResult>;
}
