/**
 * What the crawler keeps of an HTML page: text, title, author, posting date and the links to follow,
 * all from one linear read of the page (../html/html-page.ts).
 */
import { type HtmlPage, readHtmlPage } from '../html/html-page.js';

/** A fetched page, as the crawler stores and follows it. */
export interface CrawledPage {
  /** `<title>`, else the first `<h1>`; at most 500 characters. */
  title?: string;
  /** `<meta name=author>`, or an element classed author/username/poster; at most 200 characters. */
  author?: string;
  /** ISO-8601 posting date from the page's date markup; implausible dates are dropped. */
  postedAt?: string;
  text: string;
  /** Absolute http(s) links without fragments, deduplicated, `<a>` before `<area>`. */
  links: URL[];
}

/** Read a fetched page; `now` bounds plausible posting dates. */
export function readCrawledPage(html: string, pageUrl: URL, now: Date = new Date()): CrawledPage {
  const page = readHtmlPage(html);
  // One line per block, paragraphs not set apart: the crawler's text only feeds source-type scoring
  // (the stored document is converted from the HTML by ingestion).
  const out: CrawledPage = { text: page.text.replace(/\n{2,}/g, '\n'), links: resolveLinks(page, pageUrl) };
  const title = page.title ?? page.firstHeading;
  if (title !== undefined) out.title = title.slice(0, 500);
  if (page.author !== undefined) out.author = page.author.slice(0, 200);
  for (const candidate of page.dateCandidates) {
    const iso = toIsoDate(candidate.trim(), now);
    if (iso === undefined) continue;
    out.postedAt = iso;
    break;
  }
  return out;
}

/** Links resolved against `<base href>` (when valid) or the page URL; http(s) only. */
function resolveLinks(page: HtmlPage, pageUrl: URL): URL[] {
  let base = pageUrl;
  if (page.baseHref) {
    try {
      base = new URL(page.baseHref, pageUrl);
    } catch {
      // A broken <base> is ignored, as browsers do.
    }
  }
  const seen = new Set<string>();
  const links: URL[] = [];
  for (const raw of page.hrefs) {
    const href = raw.trim();
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
