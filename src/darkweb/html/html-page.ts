/**
 * One HTML reader for the whole dark-web pipeline (crawler and ingest): a single pass of htmlparser2's
 * tokenizer, which decodes character references (HTML section 13.5) and is linear in the input.
 * htmlparser2's tree-building `Parser` is deliberately not used: it keeps open elements in an array
 * searched and shifted at the front on every tag, quadratic on deeply nested unclosed markup. This
 * reader keeps no element stack, only counters, so every token costs time proportional to its length.
 *
 * It yields the visible text (script, style, noscript, template, iframe, object, svg and math dropped,
 * block elements on their own lines, `<pre>` verbatim, cells separated by tabs, image alt text), the
 * title, the first heading, links, the canonical URL, the author and date markup.
 */
import { Tokenizer } from 'htmlparser2';
import { HtmlTagReader } from '../../core/html-tag-reader.js';
import {
  AUTHOR_CLASS,
  BLOCK_ELEMENTS,
  CELL_ELEMENTS,
  DATE_CLASS,
  DROPPED_ELEMENTS,
  VOID_ELEMENTS,
} from './html-elements.js';

/** What one page says, read in one pass. */
export interface HtmlPage {
  /** The `<title>`, whitespace-collapsed; undefined when absent or empty. */
  title?: string;
  /** Text of the first `<h1>`, whitespace-collapsed. */
  firstHeading?: string;
  /** The visible text, one line per block. */
  text: string;
  /** `<link rel=canonical>` or `<meta property=og:url>` when present. */
  canonicalUrl?: string;
  /** The first `<meta property=article:published_time>` or `<time datetime>`, as written. */
  publishedAt?: string;
  /** `<meta name=author>`, else the text of the first element classed author, username, poster... */
  author?: string;
  /**
   * Date markup as written, most reliable first: `<meta>` article:published_time and date, then
   * `<time datetime>`, then an element classed date, posted, timestamp...
   */
  dateCandidates: string[];
  /** The first `<base href>`. */
  baseHref?: string;
  /** `href` of `<a>` elements, then of `<area>` elements, in document order, as written. */
  hrefs: string[];
}

/** Longest title, heading, author or classed date kept; longer markup is cut (hostile pages). */
const CAPTURE_LIMIT = 1000;

/** Text of one element being collected until its end tag (same-name elements inside are counted). */
interface Capture {
  element: string;
  depth: number;
  text: string;
}

const NON_SPACE = /\S/;

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Tokenizer callbacks that build an `HtmlPage`: counters and a few captures, no element stack. */
class PageReader extends HtmlTagReader {
  readonly page: HtmlPage = { text: '', dateCandidates: [], hrefs: [] };
  private readonly parts: string[] = [];
  /** Non-`<pre>` text not yet whitespace-collapsed: decoded pieces, then a raw input range. */
  private flowing: string[] = [];
  private rawStart = 0;
  private rawEnd = 0;
  /** Line breaks owed before the next visible content (block boundaries collapse, as in innerText). */
  private pendingBreaks = 0;
  /** Whether visible content has been emitted (no breaks before the first). */
  private started = false;
  private dropped = 0;
  private readonly droppedByName = new Map<string, number>();
  private pre = 0;
  private title: Capture | undefined;
  private heading: Capture | undefined;
  private authorCapture: Capture | undefined;
  private dateCapture: Capture | undefined;
  private classedAuthor: string | undefined;
  private metaAuthor: string | undefined;
  private readonly metaDates: string[] = [];
  private readonly timeDates: string[] = [];
  private classedDate: string | undefined;
  private readonly areaHrefs: string[] = [];

  onopentagend(): void {
    this.openTag(false);
  }
  onselfclosingtag(): void {
    this.openTag(true);
  }
  onclosetag(start: number, end: number): void {
    this.closeTag(this.html.slice(start, end).toLowerCase());
  }
  ontext(start: number, end: number): void {
    this.addText(start, end);
  }
  ontextentity(codePoint: number): void {
    this.addText(String.fromCodePoint(codePoint));
  }
  private openTag(selfClosing: boolean): void {
    const name = this.tagName;
    const attributes = this.attributes;
    if (DROPPED_ELEMENTS.has(name)) {
      if (!selfClosing) {
        this.dropped += 1;
        this.droppedByName.set(name, (this.droppedByName.get(name) ?? 0) + 1);
      }
      return;
    }
    if (this.dropped > 0) return;
    this.readMetadata(name, attributes);
    for (const capture of [this.heading, this.authorCapture, this.dateCapture])
      if (capture !== undefined && capture.element === name) capture.depth += 1;
    if (name === 'title') {
      // Title text (RCDATA) is never body text; only the first non-empty title is kept.
      this.title = { element: name, depth: 1, text: '' };
      return;
    }
    if (name === 'h1' && this.page.firstHeading === undefined && this.heading === undefined)
      this.heading = { element: name, depth: 1, text: '' };
    this.startClassCaptures(name, attributes);
    if (name === 'pre') this.pre += 1;
    if (name === 'br') this.push('\n');
    else if (BLOCK_ELEMENTS.has(name)) this.requireBreaks(name === 'p' ? 2 : 1);
    else if (CELL_ELEMENTS.has(name)) this.push('\t');
    else if (name === 'img') {
      const alt = attributes.get('alt')?.trim();
      if (alt) this.push(` ${alt} `);
    }
  }

  private closeTag(name: string): void {
    const droppedHere = this.droppedByName.get(name);
    if (droppedHere !== undefined) {
      if (droppedHere > 0) {
        this.droppedByName.set(name, droppedHere - 1);
        this.dropped -= 1;
      }
      return;
    }
    if (this.dropped > 0) return;
    if (name === 'title' && this.title !== undefined) {
      this.page.title ??= collapse(this.title.text) || undefined;
      this.title = undefined;
      return;
    }
    this.heading = this.endCapture(this.heading, name, (text) => (this.page.firstHeading = text));
    this.authorCapture = this.endCapture(this.authorCapture, name, (text) => (this.classedAuthor = text));
    this.dateCapture = this.endCapture(this.dateCapture, name, (text) => (this.classedDate = text));
    if (name === 'pre') this.pre = Math.max(0, this.pre - 1);
    if (name === 'br') this.push('\n');
    else if (BLOCK_ELEMENTS.has(name)) this.requireBreaks(name === 'p' ? 2 : 1);
  }

  /** Closes `capture` on its element's end tag; an empty capture lets the next element try. */
  private endCapture(capture: Capture | undefined, name: string, done: (text: string) => void): Capture | undefined {
    if (capture === undefined || capture.element !== name) return capture;
    capture.depth -= 1;
    if (capture.depth > 0) return capture;
    const text = collapse(capture.text);
    if (text !== '') done(text);
    return undefined;
  }

  /** Links, base, canonical URL, author and dates from a start tag's attributes. */
  private readMetadata(name: string, attributes: Map<string, string>): void {
    const page = this.page;
    if (name === 'a' || name === 'area') {
      const href = attributes.get('href');
      if (href !== undefined) (name === 'a' ? page.hrefs : this.areaHrefs).push(href);
    } else if (name === 'base') {
      page.baseHref ??= attributes.get('href');
    } else if (name === 'link') {
      if (attributes.get('rel')?.trim().toLowerCase() === 'canonical')
        page.canonicalUrl ??= attributes.get('href')?.trim();
    } else if (name === 'meta') {
      const key = (attributes.get('property') ?? attributes.get('name'))?.trim().toLowerCase();
      const content = attributes.get('content')?.trim();
      if (!content) return;
      if (key === 'og:url') page.canonicalUrl ??= content;
      if (key === 'author') this.metaAuthor ??= content;
      if (key === 'article:published_time') page.publishedAt ??= content;
      if (key === 'article:published_time' || key === 'date') this.metaDates.push(content);
    } else if (name === 'time') {
      const datetime = attributes.get('datetime')?.trim();
      if (datetime) {
        page.publishedAt ??= datetime;
        this.timeDates.push(datetime);
      }
    }
  }

  /** Starts collecting the text of the first element classed as an author or a date. */
  private startClassCaptures(name: string, attributes: Map<string, string>): void {
    const classes = attributes.get('class')?.split(/\s+/);
    if (classes === undefined) return;
    // An element's own datetime attribute beats its text (`<span class="date" datetime="...">`).
    const datetime = attributes.get('datetime')?.trim();
    const canHoldText = !VOID_ELEMENTS.has(name);
    if (
      this.classedAuthor === undefined &&
      this.authorCapture === undefined &&
      classes.some((c) => AUTHOR_CLASS.test(c))
    ) {
      if (datetime) this.classedAuthor = datetime;
      else if (canHoldText) this.authorCapture = { element: name, depth: 1, text: '' };
    }
    if (this.classedDate === undefined && this.dateCapture === undefined && classes.some((c) => DATE_CLASS.test(c))) {
      if (datetime) this.classedDate = datetime;
      else if (canHoldText) this.dateCapture = { element: name, depth: 1, text: '' };
    }
  }

  /** Text as an input range (`start`, `end`) or, for a character reference, decoded. */
  private addText(start: number | string, end = 0): void {
    if (this.dropped > 0) return;
    const fromInput = typeof start === 'number';
    // A text token can be one character long ("<<<<"): contiguous input ranges are merged rather
    // than sliced one by one, so memory and time stay linear.
    const needsSlice = this.title ?? this.heading ?? this.authorCapture ?? this.dateCapture ?? this.pre > 0;
    const text = fromInput ? (needsSlice ? this.html.slice(start, end) : '') : start;
    if (this.title !== undefined) {
      if (this.title.text.length < CAPTURE_LIMIT) this.title.text += text.slice(0, CAPTURE_LIMIT);
      return;
    }
    for (const capture of [this.heading, this.authorCapture, this.dateCapture])
      if (capture !== undefined && capture.text.length < CAPTURE_LIMIT) capture.text += text.slice(0, CAPTURE_LIMIT);
    if (this.pre > 0) {
      this.push(text);
      return;
    }
    const visible = NON_SPACE.test(fromInput ? this.html.slice(start, end) : text);
    if (visible) {
      if (this.pendingBreaks > 0) this.emitBreaks();
      this.started = true;
    }
    if (fromInput) {
      if (start !== this.rawEnd) {
        this.takeRaw();
        this.rawStart = start;
      }
      this.rawEnd = end;
    } else {
      this.takeRaw();
      this.flowing.push(text);
    }
  }

  /** Moves the pending raw input range into `flowing`. */
  private takeRaw(): void {
    if (this.rawEnd > this.rawStart) this.flowing.push(this.html.slice(this.rawStart, this.rawEnd));
    this.rawStart = this.rawEnd = 0;
  }

  private flush(): void {
    this.takeRaw();
    if (this.flowing.length === 0) return;
    this.parts.push(this.flowing.join('').replace(/[ \t\n\r\f\u00a0]+/g, ' '));
    this.flowing = [];
  }

  /** Visible content other than flowing text: owed breaks go first (tabs stay on the current line). */
  private push(text: string): void {
    if (text !== '\t' && this.pendingBreaks > 0) this.emitBreaks();
    this.flush();
    this.parts.push(text);
    this.started ||= text !== '\t';
  }

  /** A block boundary: `n` line breaks before the next content, not added to ones already owed. */
  private requireBreaks(n: number): void {
    if (this.started) this.pendingBreaks = Math.max(this.pendingBreaks, n);
  }

  private emitBreaks(): void {
    const breaks = this.pendingBreaks;
    this.pendingBreaks = 0;
    this.flush();
    this.parts.push('\n'.repeat(breaks));
  }

  finish(): HtmlPage {
    this.flush();
    const page = this.page;
    // An unclosed title or heading still counts, with what it held.
    if (this.title !== undefined) page.title ??= collapse(this.title.text) || undefined;
    if (this.heading !== undefined) page.firstHeading = collapse(this.heading.text) || undefined;
    if (page.title === undefined) delete page.title;
    if (page.firstHeading === undefined) delete page.firstHeading;
    const author = this.metaAuthor ?? this.classedAuthor;
    if (author !== undefined) page.author = author;
    page.dateCandidates = [...this.metaDates, ...this.timeDates];
    if (this.classedDate !== undefined) page.dateCandidates.push(this.classedDate);
    page.hrefs.push(...this.areaHrefs);
    page.text = this.parts
      .join('')
      .split('\n')
      .map((line) => line.trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    return page;
  }
}

/** Read an HTML page in one linear pass (see the module comment). */
export function readHtmlPage(html: string): HtmlPage {
  const reader = new PageReader(html);
  const tokenizer = new Tokenizer({ decodeEntities: true }, reader);
  tokenizer.write(html);
  tokenizer.end();
  return reader.finish();
}
