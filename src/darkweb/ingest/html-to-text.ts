/**
 * HTML to plain text with a small linear tokenizer (no npm dependency): script, style, noscript and
 * template contents are dropped, comments skipped, character references decoded, block elements turned
 * into line breaks, `<pre>` kept verbatim. Hostile markup (unclosed tags, stray `<`) degrades to text;
 * every step advances the cursor, so the work is linear in the input.
 */

/** What an HTML page yields. */
export interface HtmlText {
  /** The `<title>`, whitespace-collapsed; undefined when absent or empty. */
  title?: string;
  /** The visible text, one line per block. */
  text: string;
  /** `<link rel=canonical>` or `<meta property=og:url>` when present. */
  canonicalUrl?: string;
  /** `<meta property=article:published_time>` (or `<time datetime>` of the first `time` element). */
  publishedAt?: string;
}

/** Raw-text elements whose content is never visible text (HTML Living Standard section 13.1.2). */
const DROPPED_ELEMENTS = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'svg', 'math']);

/** Elements that start a new line. */
const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
  'body',
  'html',
  'head',
  'title',
  'option',
  'legend',
]);

/** Cells are separated by a tab so table rows stay on one line. */
const CELL_ELEMENTS = new Set(['td', 'th']);

/** Named character references seen in practice; anything else is left as written. */
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  shy: '',
  zwj: '',
  zwnj: '',
  thinsp: ' ',
  ensp: ' ',
  emsp: ' ',
  iexcl: '¡',
  iquest: '¿',
  eacute: 'é',
  egrave: 'è',
  aacute: 'á',
  agrave: 'à',
  oacute: 'ó',
  uacute: 'ú',
  iacute: 'í',
  ntilde: 'ñ',
  ccedil: 'ç',
  uuml: 'ü',
  ouml: 'ö',
  auml: 'ä',
  szlig: 'ß',
};

/** Decode character references (`&amp;`, `&#233;`, `&#xE9;`); invalid code points become U+FFFD. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,9}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      // NUL, surrogates and values past U+10FFFF are parse errors replaced by U+FFFD (HTML section 13.2.5.80).
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()];
    return named ?? whole;
  });
}

interface Tag {
  name: string;
  closing: boolean;
  attributes: string;
  /** Index just past the tag's `>`. */
  end: number;
}

/** Parse the tag starting at `<` at index `at`; undefined when this `<` does not open a tag. */
function readTag(html: string, at: number): Tag | undefined {
  let i = at + 1;
  const closing = html[i] === '/';
  if (closing) i += 1;
  const nameMatch = /^[a-zA-Z][a-zA-Z0-9:-]*/.exec(html.slice(i, i + 64));
  if (nameMatch === null) return undefined;
  const name = nameMatch[0].toLowerCase();
  i += nameMatch[0].length;
  const attributesStart = i;
  // Find the closing `>` outside quoted attribute values.
  let quote: string | undefined;
  for (; i < html.length; i++) {
    const ch = html[i];
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '>') {
      return { name, closing, attributes: html.slice(attributesStart, i), end: i + 1 };
    }
  }
  // Unterminated tag: the rest of the document is the tag (browsers drop it too).
  return { name, closing, attributes: html.slice(attributesStart), end: html.length };
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(attributes);
  if (match === null) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '').trim();
}

/** Index of the `>` ending `</name ...>` at or after `from`, case-insensitively; -1 when absent. */
function findEndTag(
  html: string,
  lowerHtml: string,
  name: string,
  from: number,
): { start: number; end: number } | undefined {
  const start = lowerHtml.indexOf(`</${name}`, from);
  if (start === -1) return undefined;
  const close = html.indexOf('>', start);
  return { start, end: close === -1 ? html.length : close + 1 };
}

/** Convert an HTML document to text (see the module comment). */
export function htmlToText(html: string): HtmlText {
  const lower = html.toLowerCase();
  const parts: string[] = [];
  const result: HtmlText = { text: '' };
  let pre = 0;
  let i = 0;
  const pushText = (raw: string): void => {
    const decoded = decodeEntities(raw);
    parts.push(pre > 0 ? decoded : decoded.replace(/[ \t\n\r\f\u00a0]+/g, ' '));
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      pushText(html.slice(i));
      break;
    }
    if (lt > i) pushText(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close === -1 ? html.length : close + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      // Doctype, CDATA or processing instruction: nothing visible.
      const close = html.indexOf('>', lt);
      i = close === -1 ? html.length : close + 1;
      continue;
    }
    const tag = readTag(html, lt);
    if (tag === undefined) {
      parts.push('<');
      i = lt + 1;
      continue;
    }
    i = tag.end;
    if (!tag.closing && DROPPED_ELEMENTS.has(tag.name) && !tag.attributes.trimEnd().endsWith('/')) {
      const end = findEndTag(html, lower, tag.name, i);
      i = end === undefined ? html.length : end.end;
      continue;
    }
    if (!tag.closing && tag.name === 'title') {
      const end = findEndTag(html, lower, 'title', i);
      const title = decodeEntities(html.slice(i, end?.start ?? html.length))
        .replace(/\s+/g, ' ')
        .trim();
      if (title !== '' && result.title === undefined) result.title = title;
      i = end === undefined ? html.length : end.end;
      continue;
    }
    if (!tag.closing && (tag.name === 'link' || tag.name === 'meta')) {
      const rel = attribute(tag.attributes, 'rel')?.toLowerCase();
      const property = (attribute(tag.attributes, 'property') ?? attribute(tag.attributes, 'name'))?.toLowerCase();
      if (tag.name === 'link' && rel === 'canonical') result.canonicalUrl ??= attribute(tag.attributes, 'href');
      if (tag.name === 'meta' && property === 'og:url') result.canonicalUrl ??= attribute(tag.attributes, 'content');
      if (tag.name === 'meta' && property === 'article:published_time')
        result.publishedAt ??= attribute(tag.attributes, 'content');
      continue;
    }
    if (!tag.closing && tag.name === 'time') result.publishedAt ??= attribute(tag.attributes, 'datetime');
    if (tag.name === 'pre') pre = Math.max(0, pre + (tag.closing ? -1 : 1));
    if (BLOCK_ELEMENTS.has(tag.name)) parts.push('\n');
    else if (CELL_ELEMENTS.has(tag.name) && !tag.closing) parts.push('\t');
    else if (tag.name === 'img' && !tag.closing) {
      const alt = attribute(tag.attributes, 'alt');
      if (alt) parts.push(` ${alt} `);
    }
  }
  result.text = parts
    .join('')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return result;
}
