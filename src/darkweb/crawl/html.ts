/**
 * Just enough HTML reading for a crawler: links, title, author and date markup, and a rough text view
 * for classifying the page. Regular expressions over hostile input are kept linear (no nested
 * quantifiers) and the input is capped by the fetcher.
 */

// One entity decoder for the whole dark-web pipeline: the ingester's (HTML section 13.5 rules).
import { decodeEntities } from '../ingest/html-to-text.js';

/** Attributes of one start tag's source text (`<a href="x" class=y>`). */
export function parseAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const pattern = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  // Skip the tag name itself.
  const body = tag.replace(/^<\s*[a-z0-9]+/i, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(pattern)) {
    const name = m[1]!.toLowerCase();
    if (!attributes.has(name)) attributes.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attributes;
}

/** Removes comments, scripts, styles and templates: their content is neither text nor links. */
function stripInvisible(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|template|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ');
}

/** Start tags named `name` (lower case), as source text. */
function startTags(html: string, name: string): string[] {
  return html.match(new RegExp(`<${name}\\b[^>]*>`, 'gi')) ?? [];
}

/**
 * Absolute http(s) URLs of the page's links (`<a href>`, `<area href>`), resolved against `<base href>`
 * or the page URL, without fragments, deduplicated in document order.
 */
export function extractLinks(html: string, pageUrl: URL): URL[] {
  const visible = stripInvisible(html);
  let base = pageUrl;
  const baseHref = startTags(visible, 'base')
    .map((t) => parseAttributes(t).get('href'))
    .find((h) => h !== undefined);
  if (baseHref) {
    try {
      base = new URL(baseHref, pageUrl);
    } catch {
      // A broken <base> is ignored, as browsers do.
    }
  }
  const seen = new Set<string>();
  const links: URL[] = [];
  for (const tag of [...startTags(visible, 'a'), ...startTags(visible, 'area')]) {
    const href = parseAttributes(tag).get('href')?.trim();
    if (!href) continue;
    let url: URL;
    try {
      url = new URL(href, base);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    url.hash = '';
    if (!seen.has(url.href)) {
      seen.add(url.href);
      links.push(url);
    }
  }
  return links;
}

/** Text content of an HTML fragment: tags dropped, entities decoded, white space collapsed. */
export function htmlToText(html: string): string {
  return decodeEntities(
    stripInvisible(html)
      .replace(/<(br|p|div|li|tr|h[1-6]|pre|article|section)\b[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, ' '),
  )
    .replace(/[ \t\f\v\r]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
}

/** Inner text of the first element `name` (e.g. title, h1). */
function firstElementText(html: string, name: string): string | undefined {
  const m = new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}\\s*>`, 'i').exec(html);
  if (!m) return undefined;
  const text = htmlToText(m[1]!).replace(/\s+/g, ' ').trim();
  return text.length > 0 ? text.slice(0, 500) : undefined;
}

/** The page title: `<title>`, else the first `<h1>`. */
export function extractTitle(html: string): string | undefined {
  const visible = stripInvisible(html);
  return firstElementText(visible, 'title') ?? firstElementText(visible, 'h1');
}

/** Inner text of the first element whose class list has a word matching `classPattern`. */
function textOfClass(html: string, classPattern: RegExp): string | undefined {
  const lower = html.toLowerCase();
  for (const m of html.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/gi)) {
    const cls = parseAttributes(m[0]).get('class');
    if (!cls?.split(/\s+/).some((c) => classPattern.test(c))) continue;
    const name = m[1]!.toLowerCase();
    const from = m.index + m[0].length;
    const close = lower.indexOf(`</${name}`, from);
    if (close < 0) continue;
    // The element's own datetime/title attribute beats its text (e.g. <span class="date" title="...">).
    const attrs = parseAttributes(m[0]);
    const text = attrs.get('datetime') ?? htmlToText(html.slice(from, close)).replace(/\s+/g, ' ').trim();
    if (text.length > 0) return text.slice(0, 200);
  }
  return undefined;
}

/** The author where the page marks it up: `<meta name=author>`, or an element classed author/username/poster. */
export function extractAuthor(html: string): string | undefined {
  const visible = stripInvisible(html);
  for (const tag of startTags(visible, 'meta')) {
    const a = parseAttributes(tag);
    if (a.get('name')?.toLowerCase() === 'author' && a.get('content')?.trim())
      return a.get('content')!.trim().slice(0, 200);
  }
  return textOfClass(visible, /^(author|username|user-?name|poster|post-?author|vendor|seller)$/i);
}

/**
 * The posting date where the page marks it up (`<time datetime>`, article:published_time, or an element
 * classed date/posted/timestamp), as ISO-8601; implausible dates (before 1990, or in the future) are dropped.
 */
export function extractPostedAt(html: string, now: Date = new Date()): string | undefined {
  const visible = stripInvisible(html);
  const candidates: string[] = [];
  for (const tag of startTags(visible, 'meta')) {
    const a = parseAttributes(tag);
    const key = (a.get('property') ?? a.get('name') ?? '').toLowerCase();
    if ((key === 'article:published_time' || key === 'date') && a.get('content')) candidates.push(a.get('content')!);
  }
  for (const tag of startTags(visible, 'time')) {
    const dt = parseAttributes(tag).get('datetime');
    if (dt) candidates.push(dt);
  }
  const classed = textOfClass(visible, /^(date|posted|post-?date|timestamp|published)$/i);
  if (classed) candidates.push(classed);
  for (const candidate of candidates) {
    const iso = toIsoDate(candidate.trim(), now);
    if (iso) return iso;
  }
  return undefined;
}

function toIsoDate(text: string, now: Date): string | undefined {
  // Only unambiguous forms: ISO-8601 dates/date-times, and RFC 2822-style "12 Mar 2024".
  if (
    !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) &&
    !/^\d{1,2} [A-Z][a-z]{2} \d{4}/.test(text)
  )
    return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}/.test(text);
  // A date-time without an offset is taken as UTC rather than this machine's zone.
  const isoText =
    text.length === 10
      ? `${text}T00:00:00Z`
      : /(Z|[+-]\d{2}:?\d{2})$/.test(text)
        ? text.replace(' ', 'T')
        : `${text.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso ? isoText : text);
  if (!Number.isFinite(ms)) return undefined;
  if (ms < Date.UTC(1990, 0, 1) || ms > now.getTime() + 86_400_000) return undefined;
  return new Date(ms).toISOString();
}
