/**
 * Content Security Policy reading (W3C CSP Level 3, §2.2 "Policies"): directives split on `;`, names
 * case-insensitive, the first of a repeated directive wins; fetch directives fall back to `default-src`
 * (§6.8.3 "Get the effective directive"). Used by the checks and by the Observatory-equivalent score.
 */

export interface CspPolicy {
  directives: Map<string, string[]>;
  /** Directive names that appeared more than once (the later ones are ignored). */
  duplicates: string[];
}

/** Parses one serialized policy. */
export function parseCsp(text: string): CspPolicy {
  const directives = new Map<string, string[]>();
  const duplicates: string[] = [];
  for (const token of text.split(';')) {
    const parts = token
      .trim()
      .split(/[\t\n\f\r ]+/)
      .filter(Boolean);
    const name = parts[0]?.toLowerCase();
    if (!name || !/^[a-z0-9-]+$/.test(name)) continue;
    if (directives.has(name)) {
      duplicates.push(name);
      continue;
    }
    directives.set(
      name,
      parts.slice(1).map((v) => v.toLowerCase()),
    );
  }
  return { directives, duplicates };
}

/** The sources that govern `directive` (falling back to default-src), or undefined when unrestricted. */
export function effectiveSources(policy: CspPolicy, directive: string): string[] | undefined {
  return policy.directives.get(directive) ?? policy.directives.get('default-src');
}

const BROAD = new Set(['*', 'http:', 'https:', 'data:', 'blob:', 'filesystem:']);

/** Whether a source list allows scripts from anywhere or inline without a nonce or hash. */
function scriptUnsafe(sources: readonly string[]): string[] {
  const reasons: string[] = [];
  const hasNonceOrHash = sources.some(
    (s) => /^'(?:nonce-|sha256-|sha384-|sha512-)/.test(s) || s === "'strict-dynamic'",
  );
  if (sources.includes("'unsafe-inline'") && !hasNonceOrHash) reasons.push("'unsafe-inline'");
  if (sources.includes("'unsafe-eval'")) reasons.push("'unsafe-eval'");
  for (const s of sources)
    if (BROAD.has(s) || s.startsWith('http://') || /^(?:https?:\/\/)?\*$/.test(s)) reasons.push(s);
  return reasons;
}

/** Why a policy fails to restrict scripts and objects, or uses http: sources anywhere; empty when safe. */
export function cspWeaknesses(policy: CspPolicy): string[] {
  const reasons: string[] = [];
  const script = effectiveSources(policy, 'script-src');
  if (script === undefined) reasons.push('no script-src or default-src: scripts from anywhere');
  else for (const r of scriptUnsafe(script)) reasons.push(`script-src ${r}`);
  const object = effectiveSources(policy, 'object-src');
  if (object === undefined) reasons.push('no object-src or default-src: plugins from anywhere');
  else for (const s of object) if (BROAD.has(s)) reasons.push(`object-src ${s}`);
  for (const [name, sources] of policy.directives) {
    if (name === 'report-uri' || name === 'report-to') continue;
    for (const s of sources) if (s === 'http:' || s.startsWith('http://')) reasons.push(`${name} ${s}`);
  }
  return [...new Set(reasons)];
}
