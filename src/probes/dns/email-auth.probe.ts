/**
 * E-mail authentication probe: fetches the apex's SPF record and walks its include/redirect tree,
 * `_dmarc`, the common DKIM selectors and MX through the configured recursive resolver. Network work
 * only; judging is in src/checks/dns_health/email-auth.check.ts.
 *
 * Everything independent is asked at once (apex TXT, DMARC, 18 DKIM selectors, MX), and the SPF tree
 * is walked one nesting level at a time with each level's look-ups in parallel, so an organization
 * costs a handful of round trips. Identical questions are asked once per probe.
 */
import type { Answer } from 'dns-packet';
import type { ProbeAttempt, ProbeErrorReason } from '../../core/types.js';
import { hasMacro, isSpfRecord, lookupTerms, parseSpf } from '../../email-auth/spf.js';
import type { SpfModifier, SpfMechanism } from '../../email-auth/spf.js';
import { followAnswerChain } from './answer-chain.js';
import type { DnsQueryResult } from '../../net/dns/dns-client.types.js';
import type { DnsProbeContext } from './dns-probe-context.js';
import { COMMON_DKIM_SELECTORS } from './email-auth.types.js';
import type {
  CountedLookupResult,
  DkimSelectorLookup,
  EmailAuthObservation,
  MxLookupResult,
  MxRecord,
  SpfLookupTerm,
  SpfNode,
  SpfTermQuery,
  TxtLookupResult,
} from './email-auth.types.js';
import { canonicalName } from '../../core/names.js';

/** Deepest include/redirect nesting followed (the apex is depth 0). Deeper means > 10 lookups anyway. */
export const SPF_MAX_DEPTH = 10;
/** Most DNS-lookup terms followed per domain; RFC 7208 4.6.4 stops at 10, so 50 is ample for evidence. */
export const SPF_MAX_FOLLOWED_TERMS = 50;
/** Most records kept from one reply: a hostile server may send thousands. */
const MAX_RECORDS_PER_REPLY = 64;

/** Probes SPF (with its include/redirect tree), DMARC, common DKIM selectors and MX of `domain`. */
export async function probeEmailAuth(domain: string, ctx: DnsProbeContext): Promise<EmailAuthObservation> {
  const apex = canonicalName(domain);
  const lookups = new LookupCache(ctx);

  const apexTxtPromise = lookups.txt(apex);
  const dmarcName = `_dmarc.${apex}`;
  const dmarcPromise = lookups.txt(dmarcName);
  const dkimPromise = Promise.all(
    COMMON_DKIM_SELECTORS.map(async (selector): Promise<DkimSelectorLookup> => {
      const name = `${selector}._domainkey.${apex}`;
      return { selector, name, txt: await lookups.txt(name) };
    }),
  );
  const mxPromise = lookups.mx(apex);

  const apexTxt = await apexTxtPromise;
  const spfRecords = apexTxt.status === 'completed' ? apexTxt.result.records.filter(isSpfRecord) : [];
  const spfTree =
    spfRecords.length === 1 && parseSpf(spfRecords[0]!).valid ? await walkSpfTree(apex, apexTxt, lookups) : null;

  const [dmarcTxt, dkim, mx] = await Promise.all([dmarcPromise, dkimPromise, mxPromise]);
  return { domain: apex, apexTxt, spfRecords, spfTree, dmarc: { name: dmarcName, txt: dmarcTxt }, dkim, mx };
}

interface PendingNode {
  node: SpfNode;
  /** Domains on the path from the apex to this node, for loop detection. */
  ancestors: ReadonlySet<string>;
  txt: Promise<ProbeAttempt<TxtLookupResult>>;
}

/**
 * Walks the SPF tree breadth-first: each level's TXT look-ups run in parallel, and the budget of
 * followed terms is spent in record order, so the result does not depend on reply timing.
 */
async function walkSpfTree(
  apex: string,
  apexTxt: ProbeAttempt<TxtLookupResult>,
  lookups: LookupCache,
): Promise<SpfNode> {
  const root = newNode(apex, 'apex', 0, apexTxt);
  const termQueries: Promise<void>[] = [];
  let budget = SPF_MAX_FOLLOWED_TERMS;
  let level: PendingNode[] = [{ node: root, ancestors: new Set([apex]), txt: Promise.resolve(apexTxt) }];

  // Bounded: a level's children are only created at depth < SPF_MAX_DEPTH.
  while (level.length > 0) {
    const settled = await Promise.all(level.map(async (pending) => ({ pending, txt: await pending.txt })));
    const next: PendingNode[] = [];
    for (const { pending, txt } of settled) {
      const { node, ancestors } = pending;
      node.txt = txt;
      node.spfRecords = txt.status === 'completed' ? txt.result.records.filter(isSpfRecord) : [];
      // RFC 7208 4.5: no record or several records end evaluation (permerror) before any term is used.
      if (node.spfRecords.length !== 1) continue;
      const parsed = parseSpf(node.spfRecords[0]!);
      if (!parsed.valid) continue;

      for (const term of lookupTerms(parsed)) {
        const entry = describeTerm(term, node.domain);
        node.terms.push(entry);
        if (entry.outcome.kind === 'not_queried') continue;
        const target = entry.target!;
        const following = entry.mechanism === 'include' || entry.mechanism === 'redirect';
        if (following && ancestors.has(target)) {
          entry.outcome = { kind: 'not_queried', reason: 'loop' };
          continue;
        }
        if (following && node.depth >= SPF_MAX_DEPTH) {
          entry.outcome = { kind: 'not_queried', reason: 'depth_limit' };
          continue;
        }
        if (budget <= 0) {
          entry.outcome = { kind: 'not_queried', reason: 'lookup_budget' };
          continue;
        }
        budget--;
        if (following) {
          const via = entry.mechanism === 'include' ? 'include' : 'redirect';
          const child = newNode(target, via, node.depth + 1, {
            status: 'not_assessed',
            reason: 'other',
            detail: 'not fetched yet',
          });
          entry.outcome = { kind: 'followed', node: child };
          next.push({ node: child, ancestors: new Set([...ancestors, target]), txt: lookups.txt(target) });
        } else {
          termQueries.push(queryTerm(entry, target, lookups));
        }
      }
    }
    level = next;
  }
  await Promise.all(termQueries);
  return root;
}

function newNode(domain: string, via: SpfNode['via'], depth: number, txt: ProbeAttempt<TxtLookupResult>): SpfNode {
  return { domain, via, depth, txt, spfRecords: [], terms: [] };
}

/** Builds the tree entry for a lookup term; the outcome is provisional until it is queried or followed. */
function describeTerm(term: SpfMechanism | SpfModifier, currentDomain: string): SpfLookupTerm {
  const mechanism = term.name as SpfLookupTerm['mechanism'];
  if (mechanism === 'ptr') {
    return {
      mechanism,
      text: term.text,
      target: null,
      outcome: { kind: 'not_queried', reason: 'ptr_needs_client_ip' },
    };
  }
  // a and mx default to the current domain (RFC 7208 5.3, 5.4).
  const spec = term.kind === 'modifier' ? term.value : (term.domainSpec ?? currentDomain);
  if (hasMacro(spec))
    return { mechanism, text: term.text, target: null, outcome: { kind: 'not_queried', reason: 'macro' } };
  return { mechanism, text: term.text, target: canonicalName(spec), outcome: { kind: 'queried', queries: [] } };
}

/**
 * Resolves an a/mx/exists term as an SMTP receiver would, enough to tell a void lookup
 * (RFC 7208 4.6.4: NXDOMAIN, or NOERROR with no answer). `a` asks A first and AAAA only when the
 * name exists without A, since a name with either kind of address is not void; `exists` is always
 * an A query (RFC 7208 5.7).
 */
async function queryTerm(entry: SpfLookupTerm, target: string, lookups: LookupCache): Promise<void> {
  const queries: SpfTermQuery[] = [];
  if (entry.mechanism === 'mx') {
    queries.push({ type: 'MX', name: target, attempt: await lookups.count(target, 'MX') });
  } else {
    const a = await lookups.count(target, 'A');
    queries.push({ type: 'A', name: target, attempt: a });
    const nodata = a.status === 'completed' && a.result.rcode === 'NOERROR' && a.result.answerCount === 0;
    if (entry.mechanism === 'a' && nodata) {
      queries.push({ type: 'AAAA', name: target, attempt: await lookups.count(target, 'AAAA') });
    }
  }
  entry.outcome = { kind: 'queried', queries };
}

/** Memoized look-ups through the resolver: one network question per (name, type) per probe. */
class LookupCache {
  private readonly responses = new Map<string, Promise<DnsQueryResult>>();

  constructor(private readonly ctx: DnsProbeContext) {}

  private ask(name: string, type: 'TXT' | 'MX' | 'A' | 'AAAA'): Promise<DnsQueryResult> {
    const key = `${type} ${name}`;
    let pending = this.responses.get(key);
    if (!pending) {
      pending = this.ctx.client.query(this.ctx.resolver, name, type, this.ctx.queryOptions).catch(
        // The client contract says it never throws for network trouble; a bug must still not sink the probe.
        (error: unknown): DnsQueryResult => ({
          ok: false,
          reason: 'network_error',
          detail: String(error),
          server: this.ctx.resolver,
        }),
      );
      this.responses.set(key, pending);
    }
    return pending;
  }

  async txt(name: string): Promise<ProbeAttempt<TxtLookupResult>> {
    return toAttempt(await this.ask(name, 'TXT'), name, 'TXT', (records) => ({
      records: records.map(txtToString).filter((s): s is string => s !== null),
    }));
  }

  async mx(name: string): Promise<ProbeAttempt<MxLookupResult>> {
    return toAttempt(await this.ask(name, 'MX'), name, 'MX', (records) => ({
      records: records.map(mxOf).filter((r): r is MxRecord => r !== null),
    }));
  }

  async count(name: string, type: 'A' | 'AAAA' | 'MX'): Promise<ProbeAttempt<CountedLookupResult>> {
    return toAttempt(await this.ask(name, type), name, type, (records) => ({ answerCount: records.length }));
  }
}

/** Turns a client result into a ProbeAttempt; only NOERROR and NXDOMAIN are answers about the name. */
function toAttempt<T extends object>(
  result: DnsQueryResult,
  name: string,
  type: 'TXT' | 'MX' | 'A' | 'AAAA',
  build: (records: Answer[]) => T,
): ProbeAttempt<T & { rcode: string }> {
  if (!result.ok) return { status: 'not_assessed', reason: result.reason, detail: `${type} ${name}: ${result.detail}` };
  const { rcode } = result.response;
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') {
    return { status: 'not_assessed', reason: rcodeReason(rcode), detail: `${type} ${name}: rcode ${rcode}` };
  }
  // A CNAME loop or runaway chain is a reply about nothing: not "no record" (never a missing finding).
  const walk = followAnswerChain(name, result.response.answers);
  if (!walk.ok) return { status: 'not_assessed', reason: 'malformed_reply', detail: `${type} ${name}: ${walk.detail}` };
  const records = result.response.answers
    .filter((a) => a.type === type && typeof a.name === 'string' && canonicalName(a.name) === walk.finalName)
    .slice(0, MAX_RECORDS_PER_REPLY);
  return { status: 'completed', result: { ...build(records), rcode } };
}

function rcodeReason(rcode: string): ProbeErrorReason {
  if (rcode === 'SERVFAIL') return 'servfail';
  if (rcode === 'REFUSED') return 'refused';
  return 'other';
}

/** A TXT record's character-strings joined without separator (RFC 7208 3.3); null if malformed. */
function txtToString(record: Answer): string | null {
  const data = (record as { data?: unknown }).data;
  const parts = Array.isArray(data) ? data : [data];
  let out = '';
  for (const part of parts) {
    // latin1 keeps every byte as one character, so non-ASCII bytes reach the parsers as errors.
    if (Buffer.isBuffer(part)) out += part.toString('latin1');
    else if (typeof part === 'string') out += part;
    else return null;
  }
  return out;
}

function mxOf(record: Answer): MxRecord | null {
  const data = (record as { data?: unknown }).data as { preference?: unknown; exchange?: unknown } | undefined;
  if (!data || typeof data.exchange !== 'string') return null;
  const preference = typeof data.preference === 'number' ? data.preference : 0;
  const exchange = data.exchange === '.' ? '' : canonicalName(data.exchange);
  return { preference, exchange };
}
