/**
 * check_host() of RFC 7208: evaluates the SPF policy of a domain for a client address and sender, with
 * every limit the RFC sets (10 DNS-querying terms, 2 void look-ups, 10 MX and 10 PTR names), macros,
 * include and redirect, and exp= explanations. It records a trace of the terms it evaluated and the
 * DNS questions each cost, so `vitals spf check` can show why a result came out as it did.
 */
import { isIPv4, isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';
import { isSpfRecord, parseSpf, type SpfMechanism, type SpfModifier } from '../spf.js';
import { expandMacros, expandIPv6, type MacroContext } from './macro.js';
import { type SpfDns, trimDot } from './spf-dns.js';

export const SPF_RESULTS = ['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror'] as const;
export type SpfResult = (typeof SPF_RESULTS)[number];

export interface CheckHostRequest {
  /** Client address (IPv4 or IPv6 text). */
  ip: string;
  /** MAIL FROM address; empty for a bounce, in which case postmaster@<helo> is used (RFC 7208 2.4). */
  sender: string;
  /** HELO/EHLO name. */
  helo: string;
  /** Domain to evaluate; defaults to the sender's domain. */
  domain?: string;
  /** Receiving host for %{r} in explanations. */
  receiver?: string;
  /** Unix seconds for %{t}; defaults to now. */
  now?: number;
}

export interface CheckHostOptions {
  /** Explanation when the policy gives none or its exp= cannot be used. */
  defaultExplanation?: string;
}

/** One evaluated term (or record look-up) and what it cost. */
export interface SpfTraceStep {
  /** 0 for the first domain, +1 per include or redirect. */
  depth: number;
  domain: string;
  /** The term as written, or `(record)` for the record look-up itself. */
  term: string;
  outcome: string;
  /** DNS questions this step asked, as `TYPE name`. */
  queries: string[];
}

export interface CheckHostOutcome {
  result: SpfResult;
  /** Set for `fail`: the domain's exp= text expanded, or the default explanation. */
  explanation?: string;
  /** Why the result came out: the matching term, or the error. */
  reason: string;
  /** DNS-querying terms counted against the limit of 10. */
  lookups: number;
  voidLookups: number;
  trace: SpfTraceStep[];
}

const MAX_LOOKUPS = 10;
const MAX_VOID_LOOKUPS = 2;
const MAX_MX_NAMES = 10;
const MAX_PTR_NAMES = 10;
export const DEFAULT_EXPLANATION = 'SPF: the sending address is not authorized by the domain';

interface Verdict {
  result: SpfResult;
  reason: string;
  explanation?: string;
}

type Match =
  | { kind: 'match' }
  | { kind: 'no_match' }
  | { kind: 'error'; result: 'permerror' | 'temperror'; reason: string };

const QUALIFIER_RESULT: Record<string, SpfResult> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

/** Runs check_host() for the request; never throws for DNS or policy trouble (those are results). */
export async function checkHost(
  request: CheckHostRequest,
  dns: SpfDns,
  options: CheckHostOptions = {},
): Promise<CheckHostOutcome> {
  return new Evaluation(request, dns, options).run();
}

class Evaluation {
  #lookups = 0;
  #voids = 0;
  readonly #trace: SpfTraceStep[] = [];
  readonly #ip: ipaddr.IPv4 | ipaddr.IPv6 | null;
  readonly #ipText: string;
  readonly #sender: string;
  readonly #helo: string;
  readonly #dns: SpfDns;
  readonly #request: CheckHostRequest;
  readonly #defaultExplanation: string;
  #validatedName: Promise<string> | null = null;

  constructor(request: CheckHostRequest, dns: SpfDns, options: CheckHostOptions) {
    this.#request = request;
    this.#dns = dns;
    this.#defaultExplanation = options.defaultExplanation ?? DEFAULT_EXPLANATION;
    this.#ip = parseClientAddress(request.ip);
    this.#ipText = this.#ip ? this.#ip.toString() : request.ip;
    this.#helo = request.helo;
    // RFC 7208 2.4 and 4.3: an empty MAIL FROM is checked as postmaster@HELO; a missing local-part is
    // taken as "postmaster".
    const sender = request.sender === '' ? `postmaster@${request.helo}` : request.sender;
    this.#sender = sender.startsWith('@') ? `postmaster${sender}` : sender;
  }

  async run(): Promise<CheckHostOutcome> {
    const verdict = await this.#evaluateStart();
    return {
      ...verdict,
      lookups: this.#lookups,
      voidLookups: this.#voids,
      trace: this.#trace,
    };
  }

  async #evaluateStart(): Promise<Verdict> {
    if (!this.#ip) return { result: 'permerror', reason: `"${this.#request.ip}" is not an IP address` };
    const domain = trimDot(this.#request.domain ?? this.#sender.slice(this.#sender.lastIndexOf('@') + 1));
    // RFC 7208 4.3: a malformed or single-label domain, or a domain literal, gives "none" straight away.
    const problem = domainProblem(domain);
    if (problem) return { result: 'none', reason: `${domain}: ${problem}` };
    return this.#evaluate(domain, 0);
  }

  async #evaluate(domain: string, depth: number): Promise<Verdict> {
    const step = this.#step(depth, domain, '(record)');
    step.queries.push(`TXT ${domain}`);
    const txt = await this.#dns.txt(domain);
    if (txt.kind === 'temperror') return this.#end(step, 'temperror', txt.detail);
    const records = txt.kind === 'found' ? txt.records.filter(isSpfRecord) : [];
    if (records.length === 0) return this.#end(step, 'none', `${domain} has no SPF record`);
    if (records.length > 1) return this.#end(step, 'permerror', `${domain} has ${records.length} SPF records`);
    const record = records[0]!;
    step.outcome = `v=spf1 record: ${record}`;
    // RFC 7208 3.1: SPF records are 7-bit ASCII.
    if (/[^\x00-\x7f]/.test(record)) return this.#end(step, 'permerror', `${domain}: non-ASCII SPF record`);
    const parsed = parseSpf(record);
    if (!parsed.valid) {
      const first = parsed.errors[0]!;
      return this.#end(step, 'permerror', `${domain}: ${first.message} ("${first.term}")`);
    }
    const ctx = this.#macroContext(domain);
    for (const mechanism of parsed.mechanisms) {
      const termStep = this.#step(depth, domain, mechanism.text);
      const match = await this.#match(mechanism, domain, depth, ctx, termStep);
      if (match.kind === 'error') return this.#end(termStep, match.result, match.reason);
      termStep.outcome = match.kind === 'match' ? 'match' : 'no match';
      if (match.kind === 'match') {
        const result = QUALIFIER_RESULT[mechanism.qualifier]!;
        const reason = `${domain}: "${mechanism.text}" matched`;
        if (result !== 'fail') return { result, reason };
        const exp = parsed.modifiers.find((m) => m.name === 'exp');
        return { result, reason, explanation: await this.#explanation(exp, ctx, depth, domain) };
      }
    }
    // RFC 7208 6.1: redirect applies only when no mechanism matched and the record has no "all".
    const redirect = parsed.modifiers.find((m) => m.name === 'redirect');
    if (!redirect || parsed.mechanisms.some((m) => m.name === 'all')) {
      return { result: 'neutral', reason: `${domain}: no mechanism matched (default neutral)` };
    }
    const redirectStep = this.#step(depth, domain, redirect.text);
    const limit = this.#countLookup();
    if (limit) return this.#end(redirectStep, 'permerror', limit);
    const target = await this.#target(redirect.value, ctx);
    if (!target.ok) return this.#end(redirectStep, 'permerror', `redirect: ${target.error}`);
    redirectStep.outcome = `redirect to ${target.value}`;
    const verdict = await this.#evaluate(target.value, depth + 1);
    // RFC 7208 6.1: a redirect to a domain without an SPF record is a permerror, not "none".
    if (verdict.result === 'none') return { result: 'permerror', reason: `redirect target: ${verdict.reason}` };
    return verdict;
  }

  async #match(
    mechanism: SpfMechanism,
    domain: string,
    depth: number,
    ctx: MacroContext,
    step: SpfTraceStep,
  ): Promise<Match> {
    const ip = this.#ip!;
    switch (mechanism.name) {
      case 'all':
        return { kind: 'match' };
      case 'ip4':
      case 'ip6': {
        const network = parseNetwork(mechanism.network!);
        const bits = mechanism.name === 'ip4' ? (mechanism.ip4Cidr ?? 32) : (mechanism.ip6Cidr ?? 128);
        return network && inNetwork(ip, network, bits) ? { kind: 'match' } : { kind: 'no_match' };
      }
      case 'include':
        return this.#include(mechanism, depth, ctx);
      default:
        break;
    }
    const limit = this.#countLookup();
    if (limit) return { kind: 'error', result: 'permerror', reason: limit };
    const target =
      mechanism.domainSpec === undefined
        ? { ok: true as const, value: domain }
        : await this.#target(mechanism.domainSpec, ctx);
    // A name that macro expansion made malformed (a HELO of "JUMPIN' JUPITER") matches nothing; the
    // record's syntax was checked before expansion (RFC 7208 7.1).
    if (!target.ok) {
      step.outcome = `no match: ${target.error}`;
      return { kind: 'no_match' };
    }
    switch (mechanism.name) {
      case 'a':
        return this.#matchAddresses([target.value], mechanism, step, false);
      case 'mx':
        return this.#matchMx(target.value, mechanism, step);
      case 'ptr':
        return this.#matchPtr(target.value, step);
      default:
        return this.#matchExists(target.value, step);
    }
  }

  async #include(mechanism: SpfMechanism, depth: number, ctx: MacroContext): Promise<Match> {
    const limit = this.#countLookup();
    if (limit) return { kind: 'error', result: 'permerror', reason: limit };
    const target = await this.#target(mechanism.domainSpec!, ctx);
    if (!target.ok) return { kind: 'error', result: 'permerror', reason: `${mechanism.text}: ${target.error}` };
    const verdict = await this.#evaluate(target.value, depth + 1);
    // RFC 7208 5.2: pass matches; fail, softfail and neutral do not; errors propagate; none is a permerror.
    switch (verdict.result) {
      case 'pass':
        return { kind: 'match' };
      case 'fail':
      case 'softfail':
      case 'neutral':
        return { kind: 'no_match' };
      case 'temperror':
        return { kind: 'error', result: 'temperror', reason: `include:${target.value}: ${verdict.reason}` };
      default:
        return { kind: 'error', result: 'permerror', reason: `include:${target.value}: ${verdict.reason}` };
    }
  }

  /** a and the address part of mx: look up A (IPv4 client) or AAAA (IPv6 client) of each name. */
  async #matchAddresses(names: string[], mechanism: SpfMechanism, step: SpfTraceStep, fromMx: boolean): Promise<Match> {
    const ip = this.#ip!;
    const v4 = ip.kind() === 'ipv4';
    const bits = v4 ? (mechanism.ip4Cidr ?? 32) : (mechanism.ip6Cidr ?? 128);
    for (const name of names) {
      step.queries.push(`${v4 ? 'A' : 'AAAA'} ${name}`);
      const reply = v4 ? await this.#dns.a(name) : await this.#dns.aaaa(name);
      if (reply.kind === 'temperror') return { kind: 'error', result: 'temperror', reason: reply.detail };
      if (reply.kind === 'void') {
        // The a mechanism's own look-up counts as void; an MX host without addresses does not (RFC 7208 4.6.4).
        if (!fromMx) {
          const limit = this.#countVoid();
          if (limit) return { kind: 'error', result: 'permerror', reason: limit };
        }
        continue;
      }
      for (const address of reply.records) {
        const parsed = parseClientAddress(address);
        if (parsed && inNetwork(ip, parsed, bits)) return { kind: 'match' };
      }
    }
    return { kind: 'no_match' };
  }

  async #matchMx(name: string, mechanism: SpfMechanism, step: SpfTraceStep): Promise<Match> {
    step.queries.push(`MX ${name}`);
    const reply = await this.#dns.mx(name);
    if (reply.kind === 'temperror') return { kind: 'error', result: 'temperror', reason: reply.detail };
    if (reply.kind === 'void') {
      const limit = this.#countVoid();
      return limit ? { kind: 'error', result: 'permerror', reason: limit } : { kind: 'no_match' };
    }
    // RFC 7208 4.6.4: evaluating one mx must not query more than 10 address records.
    if (reply.records.length > MAX_MX_NAMES) {
      return {
        kind: 'error',
        result: 'permerror',
        reason: `${name} has ${reply.records.length} MX records (more than ${MAX_MX_NAMES})`,
      };
    }
    const hosts = [...reply.records]
      .sort((x, y) => x.preference - y.preference)
      .map((r) => r.exchange)
      .filter((host) => host !== '' && host !== '.');
    return this.#matchAddresses(hosts, mechanism, step, true);
  }

  async #matchPtr(target: string, step: SpfTraceStep): Promise<Match> {
    const names = await this.#validatedNames(step);
    if (names.kind === 'error') return { kind: 'error', result: 'permerror', reason: names.reason };
    const wanted = target.toLowerCase();
    const hit = names.names.some((n) => {
      const lower = n.toLowerCase();
      return lower === wanted || lower.endsWith(`.${wanted}`);
    });
    return hit ? { kind: 'match' } : { kind: 'no_match' };
  }

  async #matchExists(name: string, step: SpfTraceStep): Promise<Match> {
    // RFC 7208 5.7: always an A query, whatever the client's address family.
    step.queries.push(`A ${name}`);
    const reply = await this.#dns.a(name);
    if (reply.kind === 'temperror') return { kind: 'error', result: 'temperror', reason: reply.detail };
    if (reply.kind === 'void') {
      const limit = this.#countVoid();
      return limit ? { kind: 'error', result: 'permerror', reason: limit } : { kind: 'no_match' };
    }
    return { kind: 'match' };
  }

  /**
   * The client's validated host names (RFC 7208 5.5): PTR names (at most 10) whose A or AAAA records
   * include the client address. A failed PTR look-up validates nothing.
   */
  async #validatedNames(
    step: SpfTraceStep,
  ): Promise<{ kind: 'ok'; names: string[] } | { kind: 'error'; reason: string }> {
    const ip = this.#ip!;
    const reverse = reverseName(ip);
    step.queries.push(`PTR ${reverse}`);
    const reply = await this.#dns.ptr(reverse);
    if (reply.kind === 'void') {
      const limit = this.#countVoid();
      if (limit) return { kind: 'error', reason: limit };
    }
    if (reply.kind !== 'found') return { kind: 'ok', names: [] };
    const v4 = ip.kind() === 'ipv4';
    const validated: string[] = [];
    for (const name of reply.records.slice(0, MAX_PTR_NAMES)) {
      step.queries.push(`${v4 ? 'A' : 'AAAA'} ${name}`);
      const addresses = v4 ? await this.#dns.a(name) : await this.#dns.aaaa(name);
      if (addresses.kind !== 'found') continue;
      if (addresses.records.some((a) => sameAddress(parseClientAddress(a), ip))) validated.push(name);
    }
    return { kind: 'ok', names: validated };
  }

  async #explanation(exp: SpfModifier | undefined, ctx: MacroContext, depth: number, domain: string): Promise<string> {
    if (!exp) return this.#defaultExplanation;
    const step = this.#step(depth, domain, exp.text);
    const target = await this.#target(exp.value, ctx);
    if (!target.ok) return this.#explained(step, this.#defaultExplanation, target.error);
    step.queries.push(`TXT ${target.value}`);
    const txt = await this.#dns.txt(target.value);
    if (txt.kind !== 'found' || txt.records.length !== 1) {
      return this.#explained(step, this.#defaultExplanation, 'no single explanation record');
    }
    const text = txt.records[0]!;
    if (/[^\x20-\x7e]/.test(text)) return this.#explained(step, this.#defaultExplanation, 'non-ASCII explanation');
    const expanded = await expandMacros(text, { ...ctx, domain }, 'exp');
    if (!expanded.ok) return this.#explained(step, this.#defaultExplanation, expanded.error);
    return this.#explained(step, expanded.value, 'explanation expanded');
  }

  #explained(step: SpfTraceStep, explanation: string, outcome: string): string {
    step.outcome = outcome;
    return explanation;
  }

  async #target(spec: string, ctx: MacroContext): Promise<{ ok: true; value: string } | { ok: false; error: string }> {
    const expanded = await expandMacros(spec, ctx, 'domain');
    if (!expanded.ok) return expanded;
    const name = trimDot(expanded.value);
    const problem = domainProblem(name);
    return problem ? { ok: false, error: `"${name}": ${problem}` } : { ok: true, value: name };
  }

  #macroContext(domain: string): MacroContext {
    return {
      sender: this.#sender,
      domain,
      ip: this.#ipText,
      helo: this.#helo,
      receiver: this.#request.receiver ?? 'unknown',
      now: this.#request.now ?? Math.floor(Date.now() / 1000),
      validatedName: () => {
        this.#validatedName ??= this.#macroValidatedName(domain);
        return this.#validatedName;
      },
    };
  }

  /** %{p}: a validated name, preferring one at or below the current domain; "unknown" otherwise. */
  async #macroValidatedName(domain: string): Promise<string> {
    const step = this.#step(0, domain, '%{p}');
    const names = await this.#validatedNames(step);
    if (names.kind === 'error' || names.names.length === 0) return 'unknown';
    const lower = domain.toLowerCase();
    const preferred = names.names.find((n) => n.toLowerCase() === lower || n.toLowerCase().endsWith(`.${lower}`));
    return preferred ?? names.names[0]!;
  }

  #countLookup(): string | null {
    this.#lookups++;
    return this.#lookups > MAX_LOOKUPS ? `more than ${MAX_LOOKUPS} DNS-querying terms (RFC 7208 4.6.4)` : null;
  }

  #countVoid(): string | null {
    this.#voids++;
    return this.#voids > MAX_VOID_LOOKUPS ? `more than ${MAX_VOID_LOOKUPS} void look-ups (RFC 7208 4.6.4)` : null;
  }

  #step(depth: number, domain: string, term: string): SpfTraceStep {
    const step: SpfTraceStep = { depth, domain, term, outcome: '', queries: [] };
    this.#trace.push(step);
    return step;
  }

  #end(step: SpfTraceStep, result: SpfResult, reason: string): Verdict {
    step.outcome = `${result}: ${reason}`;
    return { result, reason };
  }
}

/**
 * Parses an address. A client address that is IPv4-mapped IPv6 (::ffff:a.b.c.d) is the IPv4 address it
 * carries (RFC 7208 5: it matches ip4 only); any other IPv6 text, `::1.1.1.1` included, stays IPv6.
 */
function parseClientAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const parsed = parseNetwork(text);
  if (parsed?.kind() !== 'ipv6') return parsed;
  const v6 = parsed as ipaddr.IPv6;
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/**
 * An address taken literally, with no IPv4-mapped folding. ipaddr.js's own parser reads `::1.1.1.1` as
 * IPv4-mapped, so IPv6 text goes through expandIPv6.
 */
function parseNetwork(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (isIPv4(text)) return ipaddr.IPv4.parse(text);
  if (!isIPv6(text)) return null;
  const hex = expandIPv6(text);
  return new ipaddr.IPv6(Array.from({ length: 8 }, (_, i) => Number.parseInt(hex.slice(i * 4, i * 4 + 4), 16)));
}

function inNetwork(ip: ipaddr.IPv4 | ipaddr.IPv6, network: ipaddr.IPv4 | ipaddr.IPv6, bits: number): boolean {
  if (ip.kind() !== network.kind()) return false;
  return ip.match(network as never, bits);
}

function sameAddress(a: ipaddr.IPv4 | ipaddr.IPv6 | null, b: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return a !== null && a.kind() === b.kind() && a.toNormalizedString() === b.toNormalizedString();
}

function reverseName(ip: ipaddr.IPv4 | ipaddr.IPv6): string {
  if (ip.kind() === 'ipv4') return `${ip.toString().split('.').reverse().join('.')}.in-addr.arpa`;
  return `${expandIPv6(ip.toString()).split('').reverse().join('.')}.ip6.arpa`;
}

/** Why a name cannot be an SPF target (RFC 7208 4.3): empty or long labels, one label, a literal. */
function domainProblem(name: string): string | null {
  if (name === '') return 'empty domain';
  if (name.startsWith('[')) return 'a domain literal is not a domain';
  const labels = name.split('.');
  if (labels.length < 2) return 'not a fully qualified domain';
  if (labels.some((l) => l === '')) return 'empty label';
  if (labels.some((l) => l.length > 63)) return 'label longer than 63 characters';
  return null;
}
