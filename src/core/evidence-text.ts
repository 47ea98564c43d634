/**
 * Evidence is text for people to read, and bounded: what a hostile server answers (a 64 KB
 * `version.bind`, a wildcard with hundreds of TXT records) must not become megabytes in the store.
 * Every cut says so where it happens: a string ends in `…(truncated, N bytes)`, a list in
 * `…(N more)`, and a finding's evidence that had to be cut carries `truncated: true`.
 */

/** Longest evidence string kept, in characters. */
export const MAX_EVIDENCE_STRING_CHARS = 2048;
/** Most items kept of an evidence list. */
export const MAX_EVIDENCE_LIST_ITEMS = 100;
/** Largest evidence of one finding, in bytes of JSON. */
export const MAX_EVIDENCE_JSON_BYTES = 16 * 1024;
/** Deepest nesting kept (evidence is a few levels deep; deeper is cut). */
const MAX_DEPTH = 8;

/** `text` cut to `maxChars` characters, with the original size in UTF-8 bytes noted at the cut. */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}…(truncated, ${Buffer.byteLength(text, 'utf8')} bytes)`;
}

interface Limits {
  chars: number;
  items: number;
}

/**
 * Evidence within the caps: strings and lists cut as above, and if the JSON is still over
 * `MAX_EVIDENCE_JSON_BYTES`, cut harder until it fits. Evidence within the caps comes back equal.
 */
export function capEvidence(evidence: Record<string, unknown>): Record<string, unknown> {
  let limits: Limits = { chars: MAX_EVIDENCE_STRING_CHARS, items: MAX_EVIDENCE_LIST_ITEMS };
  for (;;) {
    const state = { cut: false };
    const capped = capValue(evidence, limits, 0, state) as Record<string, unknown>;
    const result = state.cut ? { ...capped, truncated: true } : capped;
    const bytes = Buffer.byteLength(JSON.stringify(result), 'utf8');
    if (bytes <= MAX_EVIDENCE_JSON_BYTES) return result;
    if (limits.chars <= 16 && limits.items <= 1) {
      const json = JSON.stringify(evidence);
      return { truncated: true, excerpt: truncateText(json, MAX_EVIDENCE_JSON_BYTES / 4) };
    }
    limits = { chars: Math.max(16, limits.chars >> 2), items: Math.max(1, limits.items >> 2) };
  }
}

function capValue(value: unknown, limits: Limits, depth: number, state: { cut: boolean }): unknown {
  if (typeof value === 'string') {
    if (value.length <= limits.chars) return value;
    state.cut = true;
    return truncateText(value, limits.chars);
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) {
    state.cut = true;
    return '…(truncated, nested too deep)';
  }
  if (ArrayBuffer.isView(value)) {
    // Bytes are shown in hex rather than as JSON's array of numbers (six times longer).
    return capValue(
      Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex'),
      limits,
      depth,
      state,
    );
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return capValue(toJSON.call(value), limits, depth, state);
  if (Array.isArray(value)) {
    const kept = value.slice(0, limits.items).map((item) => capValue(item, limits, depth + 1, state));
    if (value.length > limits.items) {
      state.cut = true;
      kept.push(`…(${value.length - limits.items} more)`);
    }
    return kept;
  }
  const entries = Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries.slice(0, limits.items)) out[key] = capValue(item, limits, depth + 1, state);
  if (entries.length > limits.items) {
    state.cut = true;
    out['…'] = `${entries.length - limits.items} more`;
  }
  return out;
}
