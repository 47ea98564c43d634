/**
 * SPF macro expansion (RFC 7208 section 7). A macro-string names parts of the SMTP session (sender,
 * client address, HELO name...) that are spliced into domain names and explanations. Expansion is
 * async because `%{p}` needs DNS look-ups.
 */
import { isIPv4 } from 'node:net';

/** Macro letters (RFC 7208 7.2); `c`, `r` and `t` are allowed only in explanations (exp=). */
const DOMAIN_LETTERS = new Set(['s', 'l', 'o', 'd', 'i', 'p', 'h', 'v']);
const EXP_ONLY_LETTERS = new Set(['c', 'r', 't']);
const DELIMITERS = new Set(['.', '-', '+', ',', '/', '_', '=']);
/** RFC 7208 7.3: an expanded domain name longer than this is cut from the left, label by label. */
const MAX_DOMAIN_LENGTH = 253;

export interface MacroContext {
  /** <sender>: `local@domain` (postmaster@helo when MAIL FROM was empty). */
  sender: string;
  /** <domain> being evaluated now (changes with include and redirect). */
  domain: string;
  /** Client address as given (IPv4 dotted quad or IPv6 text). */
  ip: string;
  /** HELO/EHLO name. */
  helo: string;
  /** Receiving host's name for %{r}; "unknown" when not given. */
  receiver: string;
  /** Unix seconds for %{t}. */
  now: number;
  /** Resolves %{p}: the validated domain name of the client address, or "unknown". */
  validatedName: () => Promise<string>;
}

export type MacroExpansion = { ok: true; value: string } | { ok: false; error: string };

/**
 * Expands a macro-string. `mode` is `domain` for domain-specs (c, r, t are errors there; the result is
 * shortened to 253 characters) and `exp` for explanation strings (spaces are literal there).
 */
export async function expandMacros(text: string, ctx: MacroContext, mode: 'domain' | 'exp'): Promise<MacroExpansion> {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!;
    if (ch !== '%') {
      const code = ch.charCodeAt(0);
      const literal = (code >= 0x21 && code <= 0x7e) || (mode === 'exp' && ch === ' ');
      if (!literal) return { ok: false, error: `character 0x${code.toString(16)} is not allowed in a macro-string` };
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '%') out += '%';
    else if (next === '_') out += ' ';
    else if (next === '-') out += '%20';
    if (next === '%' || next === '_' || next === '-') {
      i += 2;
      continue;
    }
    if (next !== '{') return { ok: false, error: `"%" must be followed by "{", "%", "_" or "-" at offset ${i}` };
    const close = text.indexOf('}', i + 2);
    if (close < 0) return { ok: false, error: `unterminated macro at offset ${i}` };
    const expanded = await expandOne(text.slice(i + 2, close), ctx, mode);
    if (!expanded.ok) return expanded;
    out += expanded.value;
    i = close + 1;
  }
  return { ok: true, value: mode === 'domain' ? shorten(out) : out };
}

async function expandOne(body: string, ctx: MacroContext, mode: 'domain' | 'exp'): Promise<MacroExpansion> {
  const match = /^([a-zA-Z])([0-9]*)(r?)(.*)$/s.exec(body);
  const letterRaw = match?.[1];
  if (!match || letterRaw === undefined) return { ok: false, error: `invalid macro "%{${body}}"` };
  const letter = letterRaw.toLowerCase();
  const known = DOMAIN_LETTERS.has(letter) || EXP_ONLY_LETTERS.has(letter);
  if (!known) return { ok: false, error: `unknown macro letter "${letterRaw}"` };
  if (mode === 'domain' && EXP_ONLY_LETTERS.has(letter)) {
    return { ok: false, error: `macro letter "${letter}" is allowed only in explanations (RFC 7208 7.2)` };
  }
  const digits = match[2]!;
  const reverse = match[3] === 'r';
  const delimiters = match[4]!;
  for (const d of delimiters) if (!DELIMITERS.has(d)) return { ok: false, error: `invalid delimiter "${d}"` };
  if (digits !== '' && Number(digits) === 0) return { ok: false, error: 'a macro digit transformer must be non-zero' };

  const value = await letterValue(letter, ctx);
  const separators = delimiters === '' ? ['.'] : [...delimiters];
  let parts = splitOn(value, separators);
  if (reverse) parts = parts.reverse();
  if (digits !== '') parts = parts.slice(Math.max(0, parts.length - Number(digits)));
  const joined = parts.join('.');
  // An upper-case letter asks for URL escaping (RFC 7208 7.3).
  return { ok: true, value: letterRaw === letter ? joined : urlEscape(joined) };
}

async function letterValue(letter: string, ctx: MacroContext): Promise<string> {
  const at = ctx.sender.lastIndexOf('@');
  switch (letter) {
    case 's':
      return ctx.sender;
    case 'l':
      return at > 0 ? ctx.sender.slice(0, at) : 'postmaster';
    case 'o':
      return at >= 0 ? ctx.sender.slice(at + 1) : ctx.sender;
    case 'd':
      return ctx.domain;
    case 'i':
      return dottedAddress(ctx.ip);
    case 'p':
      return ctx.validatedName();
    case 'v':
      return isIPv4(ctx.ip) ? 'in-addr' : 'ip6';
    case 'h':
      return ctx.helo;
    case 'c':
      return ctx.ip;
    case 'r':
      return ctx.receiver;
    default:
      return String(ctx.now);
  }
}

/**
 * %{i}: IPv4 as is; IPv6 as 32 dot-separated nibbles (RFC 7208 7.3), upper case as pyspf and the RFC 7208
 * test suite write them (DNS names are case-insensitive, so only explanations show the difference).
 */
export function dottedAddress(ip: string): string {
  if (isIPv4(ip)) return ip;
  return expandIPv6(ip).toUpperCase().split('').join('.');
}

/** The 32 hexadecimal digits of an IPv6 address, lower case. */
export function expandIPv6(ip: string): string {
  let text = ip.toLowerCase();
  // An embedded dotted quad (::ffff:1.2.3.4) becomes two hextets.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    const hex = (x: number, y: number): string => ((x << 8) | y).toString(16);
    text = `${text.slice(0, quad.index)}${hex(a, b)}:${hex(c, d)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailParts];
  return groups.map((g) => g.padStart(4, '0')).join('');
}

function splitOn(value: string, separators: string[]): string[] {
  const parts: string[] = [];
  let current = '';
  for (const ch of value) {
    if (separators.includes(ch)) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** RFC 3986 escaping of everything but the unreserved characters. */
function urlEscape(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'latin1')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** RFC 7208 7.3: drop left-most labels until the name fits in 253 characters. */
function shorten(name: string): string {
  let current = name;
  while (current.length > MAX_DOMAIN_LENGTH) {
    const dot = current.indexOf('.');
    if (dot < 0) return current;
    current = current.slice(dot + 1);
  }
  return current;
}
