/**
 * RFC 7208 (SPF) record parser. Pure: takes the text of one TXT record (its strings already
 * concatenated without separators, RFC 7208 3.3) and returns its terms and every syntax error with the
 * offset where the offending term starts. The grammar is RFC 7208 section 12.
 */
import { isIPv6 } from 'node:net';

/** SPF qualifiers (RFC 7208 4.6.2); a directive without one means `+`. */
export type SpfQualifier = '+' | '-' | '~' | '?';

/** The eight mechanisms of RFC 7208 section 5. */
export const SPF_MECHANISMS = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'] as const;
export type SpfMechanismName = (typeof SPF_MECHANISMS)[number];

/** Mechanisms and modifiers whose evaluation costs a DNS query (RFC 7208 4.6.4). */
export const SPF_LOOKUP_TERMS = ['include', 'a', 'mx', 'ptr', 'exists', 'redirect'] as const;
export type SpfLookupTermName = (typeof SPF_LOOKUP_TERMS)[number];

export interface SpfMechanism {
  kind: 'mechanism';
  name: SpfMechanismName;
  /** Effective qualifier (`+` when none was written). */
  qualifier: SpfQualifier;
  /** Whether the qualifier was written out. */
  explicitQualifier: boolean;
  /** domain-spec of include, exists, and of a/mx/ptr when given; undefined otherwise. */
  domainSpec?: string;
  /** Network of ip4/ip6. */
  network?: string;
  /** CIDR prefix length for IPv4 (ip4, a, mx) when written. */
  ip4Cidr?: number;
  /** CIDR prefix length for IPv6 (ip6, a, mx) when written. */
  ip6Cidr?: number;
  /** Offset of the term in the record. */
  position: number;
  /** The term as written. */
  text: string;
}

export interface SpfModifier {
  kind: 'modifier';
  /** Modifier name in lower case (`redirect`, `exp`, or an unknown one, which RFC 7208 6 says to ignore). */
  name: string;
  value: string;
  position: number;
  text: string;
}

export type SpfTerm = SpfMechanism | SpfModifier;

export type SpfSyntaxErrorCode =
  | 'not_spf'
  | 'invalid_character'
  | 'unknown_mechanism'
  | 'malformed_term'
  | 'bad_ip4'
  | 'bad_ip6'
  | 'bad_cidr'
  | 'empty_domain_spec'
  | 'bad_domain_spec'
  | 'bad_macro'
  | 'duplicate_modifier';

export interface SpfSyntaxError {
  code: SpfSyntaxErrorCode;
  /** Offset (0-based) in the record where the offending term starts. */
  position: number;
  /** The offending term (or the whole record for `not_spf`). */
  term: string;
  message: string;
}

export interface SpfParseResult {
  /** True when the record has no syntax error (RFC 7208: any error is a permerror). */
  valid: boolean;
  terms: SpfTerm[];
  mechanisms: SpfMechanism[];
  modifiers: SpfModifier[];
  errors: SpfSyntaxError[];
  /** Legal but suspicious constructs (e.g. `include=x`, an unknown modifier that looks like a typo). */
  warnings: string[];
}

const VERSION = /^v=spf1(?= |$)/i;
/** RFC 7208 12: name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ). */
const MODIFIER = /^([A-Za-z][A-Za-z0-9\-_.]*)=(.*)$/s;
const MECHANISM = /^([+\-~?]?)([A-Za-z][A-Za-z0-9\-_.]*)(.*)$/s;
/** qnum without leading zeros (RFC 7208 12). */
const QNUM = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])';
const IP4 = new RegExp(`^${QNUM}\\.${QNUM}\\.${QNUM}\\.${QNUM}$`);
const IP4_CIDR = /^\/(0|[1-9][0-9]?)$/;
const IP6_CIDR = /^\/(0|[1-9][0-9]{0,2})$/;
/** dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ]. */
const DUAL_CIDR = /^(?:\/(0|[1-9][0-9]?))?(?:\/\/(0|[1-9][0-9]{0,2}))?$/;

/** Returns true when `record` begins with the SPF version section (RFC 7208 4.5: `v=spf1` then SP or end). */
export function isSpfRecord(record: string): boolean {
  return VERSION.test(record);
}

/** Parses one SPF record per RFC 7208 section 12, collecting every syntax error. */
export function parseSpf(record: string): SpfParseResult {
  const result: SpfParseResult = { valid: false, terms: [], mechanisms: [], modifiers: [], errors: [], warnings: [] };
  if (!VERSION.test(record)) {
    result.errors.push({
      code: 'not_spf',
      position: 0,
      term: record.slice(0, 16),
      message: 'record does not start with "v=spf1"',
    });
    return result;
  }
  const seenModifiers = new Set<string>();
  // Terms are separated by one or more SP (RFC 7208 12: terms = *( 1*SP ( directive / modifier ) )).
  const termPattern = / +|[^ ]+/g;
  const body = record.slice(6);
  let match: RegExpExecArray | null;
  while ((match = termPattern.exec(body)) !== null) {
    const text = match[0];
    if (text.startsWith(' ')) continue;
    const position = 6 + match.index;
    const error = parseTerm(text, position, result, seenModifiers);
    if (error) result.errors.push(error);
  }
  result.valid = result.errors.length === 0;
  return result;
}

function parseTerm(
  text: string,
  position: number,
  result: SpfParseResult,
  seenModifiers: Set<string>,
): SpfSyntaxError | null {
  const fail = (code: SpfSyntaxErrorCode, message: string): SpfSyntaxError => ({ code, position, term: text, message });
  // Only visible ASCII may appear in a term (macro-literal is %x21-7E); tabs or 8-bit bytes are errors.
  if (!/^[\x21-\x7e]+$/.test(text)) return fail('invalid_character', 'term contains a character outside visible ASCII');

  const modifier = MODIFIER.exec(text);
  if (modifier) {
    const name = modifier[1]!.toLowerCase();
    const value = modifier[2]!;
    if (name === 'redirect' || name === 'exp') {
      // RFC 7208 6: redirect and exp MUST NOT appear more than once each.
      if (seenModifiers.has(name)) return fail('duplicate_modifier', `"${name}" appears more than once (RFC 7208 6)`);
      seenModifiers.add(name);
      const domainError = checkDomainSpec(value);
      if (domainError) return fail(domainError.code, `${name}: ${domainError.message}`);
    } else {
      const macroError = checkMacroString(value);
      if (macroError) return fail('bad_macro', `modifier ${name}: ${macroError}`);
      if ((SPF_MECHANISMS as readonly string[]).includes(name)) {
        result.warnings.push(`"${text}" is parsed as an unknown modifier (ignored); "${name}:" was probably meant`);
      }
    }
    const parsed: SpfModifier = { kind: 'modifier', name, value, position, text };
    result.terms.push(parsed);
    result.modifiers.push(parsed);
    return null;
  }

  const directive = MECHANISM.exec(text);
  if (!directive) return fail('malformed_term', 'neither a mechanism nor a modifier');
  const explicitQualifier = directive[1] !== '';
  const qualifier = (directive[1] || '+') as SpfQualifier;
  const name = directive[2]!.toLowerCase();
  const rest = directive[3]!;
  if (!(SPF_MECHANISMS as readonly string[]).includes(name)) {
    return fail('unknown_mechanism', `unknown mechanism "${name}" (RFC 7208 5)`);
  }
  if (rest !== '' && !rest.startsWith(':') && !rest.startsWith('/')) {
    return fail('malformed_term', `unexpected "${rest}" after mechanism "${name}"`);
  }
  const mechanism: SpfMechanism = {
    kind: 'mechanism',
    name: name as SpfMechanismName,
    qualifier,
    explicitQualifier,
    position,
    text,
  };
  const error = parseMechanismArgument(mechanism, rest);
  if (error) return fail(error.code, error.message);
  result.terms.push(mechanism);
  result.mechanisms.push(mechanism);
  return null;
}

interface ArgumentError {
  code: SpfSyntaxErrorCode;
  message: string;
}

function parseMechanismArgument(mechanism: SpfMechanism, rest: string): ArgumentError | null {
  switch (mechanism.name) {
    case 'all':
      return rest === '' ? null : { code: 'malformed_term', message: '"all" takes no argument' };
    case 'include':
    case 'exists': {
      if (!rest.startsWith(':'))
        return { code: 'empty_domain_spec', message: `"${mechanism.name}" requires ":domain"` };
      const spec = rest.slice(1);
      const error = checkDomainSpec(spec);
      if (error) return error;
      mechanism.domainSpec = spec;
      return null;
    }
    case 'ptr': {
      if (rest === '') return null;
      if (!rest.startsWith(':')) return { code: 'malformed_term', message: '"ptr" takes no CIDR length' };
      const spec = rest.slice(1);
      const error = checkDomainSpec(spec);
      if (error) return error;
      mechanism.domainSpec = spec;
      return null;
    }
    case 'a':
    case 'mx': {
      let spec = '';
      let cidr = rest;
      if (rest.startsWith(':')) {
        // The domain-spec ends where a trailing dual-cidr-length begins: "/" is a legal macro-literal, so
        // `a:foo:bar/baz.example.com` is all domain-spec (RFC 7208 12).
        const slash = findCidrStart(rest);
        spec = rest.slice(1, slash);
        cidr = rest.slice(slash);
        const error = checkDomainSpec(spec);
        if (error) return error;
        mechanism.domainSpec = spec;
      }
      if (cidr !== '') {
        const dual = DUAL_CIDR.exec(cidr);
        if (!dual || (dual[1] === undefined && dual[2] === undefined)) {
          return { code: 'bad_cidr', message: `malformed CIDR length "${cidr}"` };
        }
        if (dual[1] !== undefined) {
          const v4 = Number(dual[1]);
          if (v4 > 32) return { code: 'bad_cidr', message: `IPv4 CIDR length ${v4} exceeds 32` };
          mechanism.ip4Cidr = v4;
        }
        if (dual[2] !== undefined) {
          const v6 = Number(dual[2]);
          if (v6 > 128) return { code: 'bad_cidr', message: `IPv6 CIDR length ${v6} exceeds 128` };
          mechanism.ip6Cidr = v6;
        }
      }
      return null;
    }
    case 'ip4': {
      if (!rest.startsWith(':') || rest.length === 1) return { code: 'bad_ip4', message: '"ip4" requires ":network"' };
      const slash = rest.indexOf('/');
      const network = slash === -1 ? rest.slice(1) : rest.slice(1, slash);
      if (!IP4.test(network)) return { code: 'bad_ip4', message: `"${network}" is not a dotted-quad IPv4 address` };
      mechanism.network = network;
      if (slash !== -1) {
        const cidr = IP4_CIDR.exec(rest.slice(slash));
        if (!cidr || Number(cidr[1]) > 32)
          return { code: 'bad_cidr', message: `bad IPv4 CIDR length "${rest.slice(slash)}"` };
        mechanism.ip4Cidr = Number(cidr[1]);
      }
      return null;
    }
    case 'ip6': {
      if (!rest.startsWith(':') || rest.length === 1) return { code: 'bad_ip6', message: '"ip6" requires ":network"' };
      const slash = rest.indexOf('/');
      const network = slash === -1 ? rest.slice(1) : rest.slice(1, slash);
      // Zone identifiers ("%eth0") are not part of RFC 4291 text form.
      if (network.includes('%') || !isIPv6(network))
        return { code: 'bad_ip6', message: `"${network}" is not an IPv6 address` };
      mechanism.network = network;
      if (slash !== -1) {
        const cidr = IP6_CIDR.exec(rest.slice(slash));
        if (!cidr || Number(cidr[1]) > 128)
          return { code: 'bad_cidr', message: `bad IPv6 CIDR length "${rest.slice(slash)}"` };
        mechanism.ip6Cidr = Number(cidr[1]);
      }
      return null;
    }
  }
}

/** Index in `rest` (which starts with ":") where a trailing dual-cidr-length starts, or its length. */
function findCidrStart(rest: string): number {
  const trailing = /(?:\/[0-9]+)?(?:\/\/[0-9]+)?$/.exec(rest);
  const start = trailing && trailing[0] !== '' ? trailing.index : rest.length;
  // A "/" inside a macro ("%{d2/}") is a delimiter, not a CIDR length.
  return rest.lastIndexOf('%{', start) > rest.lastIndexOf('}', start) ? rest.length : Math.max(1, start);
}

/** A macro-expand (RFC 7208 7.1); the letter is checked separately. */
const MACRO_EXPAND = /^%\{([a-zA-Z])[0-9]*[rR]?[.\-+,/_=]*\}/;
/** Macro letters of RFC 7208 7.2; `c`, `r` and `t` only in explanation text, never in a domain-spec. */
const MACRO_LETTERS = 'slodiphcrtv';
const EXPLANATION_ONLY_LETTERS = 'crt';

/** Checks a macro-string (RFC 7208 7.1); returns an error message or null. */
function checkMacroString(value: string, inDomainSpec = false): string | null {
  for (let i = 0; i < value.length; ) {
    if (value[i] !== '%') {
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === '%' || next === '_' || next === '-') {
      i += 2;
      continue;
    }
    const expand = MACRO_EXPAND.exec(value.slice(i));
    if (!expand) return `invalid macro at "${value.slice(i, i + 8)}"`;
    const letter = expand[1]!.toLowerCase();
    if (!MACRO_LETTERS.includes(letter)) return `unknown macro letter "${expand[1]}"`;
    if (inDomainSpec && EXPLANATION_ONLY_LETTERS.includes(letter)) {
      return `macro "%{${expand[1]}}" is allowed only in explanation text (RFC 7208 7.1)`;
    }
    i += expand[0].length;
  }
  return null;
}

/**
 * toplabel (RFC 7208 7.1): alphanumeric with at least one letter, or with an inner hyphen; 1-63 chars.
 * An all-numeric top label (`a:111.222.33.44`) is an IP address written where a domain belongs.
 */
const TOPLABEL = /^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])$/;

/** Checks a domain-spec (RFC 7208 7.1: macro-string domain-end). */
function checkDomainSpec(spec: string): ArgumentError | null {
  if (spec === '') return { code: 'empty_domain_spec', message: 'empty domain-spec' };
  const macroError = checkMacroString(spec, true);
  if (macroError) return { code: 'bad_macro', message: macroError };
  // domain-end = ( "." toplabel [ "." ] ) / macro-expand
  if (/%\{[^}]*\}$/.test(spec)) return null;
  const trimmed = spec.endsWith('.') ? spec.slice(0, -1) : spec;
  const lastDot = trimmed.lastIndexOf('.');
  if (lastDot <= 0)
    return {
      code: 'bad_domain_spec',
      message: `"${spec}" is not a fully qualified domain (needs "." and a top label)`,
    };
  const toplabel = trimmed.slice(lastDot + 1);
  if (toplabel.length > 63 || !TOPLABEL.test(toplabel)) {
    return { code: 'bad_domain_spec', message: `"${spec}" ends in an invalid top label "${toplabel}"` };
  }
  if (trimmed.includes('..')) return { code: 'bad_domain_spec', message: `"${spec}" has an empty label` };
  return null;
}

/** True when a domain-spec contains macros, so it cannot be expanded without an SMTP session. */
export function hasMacro(spec: string): boolean {
  return spec.includes('%');
}

/**
 * The mechanism that decides the result for mail matching nothing else: the first `all` (RFC 7208 5.1:
 * mechanisms after `all` are never tested), or undefined when the record has none.
 */
export function firstAll(parsed: SpfParseResult): SpfMechanism | undefined {
  return parsed.mechanisms.find((m) => m.name === 'all');
}

/** The `redirect` modifier, or undefined. */
export function redirectOf(parsed: SpfParseResult): SpfModifier | undefined {
  return parsed.modifiers.find((m) => m.name === 'redirect');
}

/**
 * The DNS-lookup terms a full evaluation of this record can reach, in order (RFC 7208 4.6.4):
 * include, a, mx, ptr, exists before the first `all`, then `redirect` only when there is no `all`
 * (RFC 7208 6.1: redirect is ignored when the record has an `all` mechanism).
 */
export function lookupTerms(parsed: SpfParseResult): SpfTerm[] {
  const out: SpfTerm[] = [];
  let sawAll = false;
  for (const term of parsed.terms) {
    if (term.kind !== 'mechanism') continue;
    if (term.name === 'all') {
      sawAll = true;
      break;
    }
    if ((SPF_LOOKUP_TERMS as readonly string[]).includes(term.name)) out.push(term);
  }
  const redirect = redirectOf(parsed);
  if (!sawAll && redirect) out.push(redirect);
  return out;
}
