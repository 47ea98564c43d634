/**
 * Builders for EmailAuthObservation in tests (MDN Observatory's emptyRequests pattern): a known-good
 * observation, and small builders so each test changes exactly one thing.
 */
import type { ProbeAttempt } from '../../core/types.js';
import { COMMON_DKIM_SELECTORS } from '../../probes/dns/email-auth.types.js';
import type {
  CountedLookupResult,
  EmailAuthObservation,
  MxRecord,
  SpfLookupTerm,
  SpfNode,
  SpfNotQueriedReason,
  SpfTermQuery,
  TxtLookupResult,
} from '../../probes/dns/email-auth.types.js';
import { dkimRsaRecord } from '../../email-auth/dkim.test-support.js';
import { isSpfRecord, parseSpf } from '../../email-auth/spf.js';

export const GOOD_DOMAIN = 'good-clinic.test';

export function completed<T>(result: T): ProbeAttempt<T> {
  return { status: 'completed', result };
}

export function timedOut(detail = 'no reply in 2000 ms'): ProbeAttempt<never> {
  return { status: 'not_assessed', reason: 'timeout', detail };
}

export function txtResult(records: string[], rcode = 'NOERROR'): ProbeAttempt<TxtLookupResult> {
  return completed({ rcode, records });
}

export const NXDOMAIN_TXT: ProbeAttempt<TxtLookupResult> = {
  status: 'completed',
  result: { rcode: 'NXDOMAIN', records: [] },
};

/** An SPF node whose TXT look-up returned `txt`; `terms` are its lookup terms as the probe would record them. */
export function spfNode(
  domain: string,
  via: SpfNode['via'],
  depth: number,
  txt: ProbeAttempt<TxtLookupResult>,
  terms: SpfLookupTerm[] = [],
): SpfNode {
  const spfRecords = txt.status === 'completed' ? txt.result.records.filter(isSpfRecord) : [];
  return { domain, via, depth, txt, spfRecords, terms };
}

/** An include or redirect term that was followed to `node`. */
export function followedTerm(mechanism: 'include' | 'redirect', node: SpfNode): SpfLookupTerm {
  const text = mechanism === 'include' ? `include:${node.domain}` : `redirect=${node.domain}`;
  return { mechanism, text, target: node.domain, outcome: { kind: 'followed', node } };
}

/** One query result for an a/mx/exists term. */
export function termQuery(type: SpfTermQuery['type'], name: string, rcode: string, answerCount: number): SpfTermQuery {
  return { type, name, attempt: completed<CountedLookupResult>({ rcode, answerCount }) };
}

/** An a/mx/exists term with its queries. */
export function queriedTerm(mechanism: 'a' | 'mx' | 'exists', target: string, queries: SpfTermQuery[]): SpfLookupTerm {
  return { mechanism, text: `${mechanism}:${target}`, target, outcome: { kind: 'queried', queries } };
}

/** An a term whose target resolves (one A record). */
export function resolvingA(target: string): SpfLookupTerm {
  return queriedTerm('a', target, [termQuery('A', target, 'NOERROR', 1)]);
}

/** An a term whose target does not exist (a void lookup). */
export function nxdomainA(target: string): SpfLookupTerm {
  return queriedTerm('a', target, [termQuery('A', target, 'NXDOMAIN', 0)]);
}

export function notQueriedTerm(
  mechanism: SpfLookupTerm['mechanism'],
  text: string,
  reason: SpfNotQueriedReason,
  target: string | null = null,
): SpfLookupTerm {
  return { mechanism, text, target, outcome: { kind: 'not_queried', reason } };
}

/**
 * The apex-SPF part of an observation for these apex TXT records. The tree (with `terms` at the apex)
 * exists only when there is exactly one valid SPF record, as the probe builds it.
 */
export function apexSpf(
  records: string | string[],
  terms: SpfLookupTerm[] = [],
  domain = GOOD_DOMAIN,
): Pick<EmailAuthObservation, 'apexTxt' | 'spfRecords' | 'spfTree'> {
  const list = typeof records === 'string' ? [records] : records;
  const apexTxt = txtResult(list);
  const spfRecords = list.filter(isSpfRecord);
  const single = spfRecords.length === 1 && parseSpf(spfRecords[0]!).valid;
  return { apexTxt, spfRecords, spfTree: single ? spfNode(domain, 'apex', 0, apexTxt, terms) : null };
}

/** The DMARC part of an observation. */
export function dmarcOf(
  txt: ProbeAttempt<TxtLookupResult> | string[],
  domain = GOOD_DOMAIN,
): Pick<EmailAuthObservation, 'dmarc'> {
  return { dmarc: { name: `_dmarc.${domain}`, txt: Array.isArray(txt) ? txtResult(txt) : txt } };
}

/** The DKIM part: the given selectors answer as given, every other common selector is NXDOMAIN. */
export function dkimOf(
  bySelector: Record<string, string[] | ProbeAttempt<TxtLookupResult>>,
  domain = GOOD_DOMAIN,
): Pick<EmailAuthObservation, 'dkim'> {
  return {
    dkim: COMMON_DKIM_SELECTORS.map((selector) => {
      const given = bySelector[selector];
      const txt = given === undefined ? NXDOMAIN_TXT : Array.isArray(given) ? txtResult(given) : given;
      return { selector, name: `${selector}._domainkey.${domain}`, txt };
    }),
  };
}

export function mxOf(records: MxRecord[], rcode = 'NOERROR'): Pick<EmailAuthObservation, 'mx'> {
  return { mx: completed({ rcode, records }) };
}

/** A known-good observation: SPF -all through one include, DMARC reject with rua, a 2048-bit DKIM key, an MX. */
export function emailAuthObservation(overrides: Partial<EmailAuthObservation> = {}): EmailAuthObservation {
  const include = spfNode(`_spf.${GOOD_DOMAIN}`, 'include', 1, txtResult(['v=spf1 ip4:192.0.2.0/24 -all']));
  return {
    domain: GOOD_DOMAIN,
    ...apexSpf(`v=spf1 include:_spf.${GOOD_DOMAIN} -all`, [followedTerm('include', include)]),
    ...dmarcOf([`v=DMARC1; p=reject; rua=mailto:dmarc@${GOOD_DOMAIN}`]),
    ...dkimOf({ selector1: [dkimRsaRecord(2048)] }),
    ...mxOf([{ preference: 10, exchange: `mail.${GOOD_DOMAIN}` }]),
    ...overrides,
  };
}
