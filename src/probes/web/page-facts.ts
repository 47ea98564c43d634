/**
 * Reads the facts the web checks need from an HTML page in one linear pass of htmlparser2's tokenizer:
 * forms and password fields, script sources with their integrity attributes, sub-resource URLs, meta
 * http-equiv headers, the title, the generator, links and a little visible text. Nothing is executed and
 * no element stack is kept (deeply nested hostile markup costs time linear in its length).
 */
import { Tokenizer } from 'htmlparser2';
import { HtmlTagReader } from '../../core/html-tag-reader.js';
import type { FormFacts, PageFacts } from './web.types.js';

/** Visible text kept for fingerprints. */
const TEXT_LIMIT = 4096;
/** Most items of each list kept (a hostile page can hold millions of tags). */
const LIST_LIMIT = 200;
/** Longest attribute value kept. */
const VALUE_LIMIT = 2048;
/** Inline script text scanned for WebRTC set-up. */
const INLINE_SCRIPT_LIMIT = 64 * 1024;

const RESOURCE_ATTRIBUTES: Readonly<Record<string, string>> = {
  img: 'src',
  iframe: 'src',
  frame: 'src',
  audio: 'src',
  video: 'src',
  source: 'src',
  track: 'src',
  embed: 'src',
  object: 'data',
  script: 'src',
};

const WEBRTC_PATTERN = /RTCPeerConnection|\b(?:turns?|stun):[^\s"'`,;)]+/g;

class FactsReader extends HtmlTagReader {
  readonly facts: PageFacts = {
    forms: [],
    scripts: [],
    inlineScripts: 0,
    resources: [],
    metaHeaders: [],
    text: '',
    links: [],
    webrtc: [],
  };
  private form: FormFacts | undefined;
  private inTitle = false;
  private title = '';
  private inScript = false;
  private inStyle = false;
  private scriptText = '';
  private text = '';

  constructor(html: string) {
    super(html, VALUE_LIMIT);
  }

  onopentagend(): void {
    this.open(false);
  }
  onselfclosingtag(): void {
    this.open(true);
  }
  onclosetag(start: number, end: number): void {
    const name = this.html.slice(start, end).toLowerCase();
    if (name === 'title') this.inTitle = false;
    if (name === 'style') this.inStyle = false;
    if (name === 'script' && this.inScript) {
      this.inScript = false;
      this.readInlineScript();
    }
    if (name === 'form') this.form = undefined;
  }
  ontext(start: number, end: number): void {
    this.addText(this.html.slice(start, Math.min(end, start + TEXT_LIMIT + INLINE_SCRIPT_LIMIT)));
  }
  ontextentity(codePoint: number): void {
    this.addText(String.fromCodePoint(codePoint));
  }

  private addText(text: string): void {
    if (this.inScript) {
      if (this.scriptText.length < INLINE_SCRIPT_LIMIT) this.scriptText += text;
      return;
    }
    if (this.inStyle) return;
    if (this.inTitle) {
      if (this.title.length < VALUE_LIMIT) this.title += text;
      return;
    }
    if (this.text.length < TEXT_LIMIT) this.text += text;
  }

  private open(selfClosing: boolean): void {
    const { tagName: tag, attributes, facts } = this;
    const get = (name: string): string | undefined => attributes.get(name);
    if (tag === 'title') this.inTitle = !selfClosing;
    else if (tag === 'style') this.inStyle = !selfClosing;
    else if (tag === 'form') {
      const form: FormFacts = {
        action: (get('action') ?? '').trim(),
        method: (get('method') ?? 'get').trim().toLowerCase(),
        hasPassword: false,
      };
      if (facts.forms.length < LIST_LIMIT) facts.forms.push(form);
      this.form = form;
    } else if (tag === 'input') {
      if ((get('type') ?? '').trim().toLowerCase() === 'password') {
        if (this.form) this.form.hasPassword = true;
        // A password field outside any form still sends the password somewhere: the page itself.
        else if (facts.forms.length < LIST_LIMIT) facts.forms.push({ action: '', method: 'post', hasPassword: true });
      }
    } else if (tag === 'meta') {
      const equiv = get('http-equiv')?.trim().toLowerCase();
      const content = get('content');
      if (equiv && content !== undefined && facts.metaHeaders.length < LIST_LIMIT)
        facts.metaHeaders.push([equiv, content]);
      const name = get('name')?.trim().toLowerCase();
      if (name === 'referrer' && content !== undefined) facts.metaHeaders.push(['referrer', content]);
      if (name === 'generator' && content) facts.generator ??= content.trim();
    } else if (tag === 'a') {
      const href = get('href');
      if (href !== undefined && facts.links.length < LIST_LIMIT) facts.links.push(href.trim());
    } else if (tag === 'link') {
      const rel = (get('rel') ?? '').toLowerCase().split(/\s+/);
      const href = get('href');
      if (href && (rel.includes('stylesheet') || rel.includes('icon')) && facts.resources.length < LIST_LIMIT)
        facts.resources.push({ element: 'link', url: href.trim() });
    }
    if (tag === 'script') {
      const src = get('src')?.trim();
      if (src) {
        if (facts.scripts.length < LIST_LIMIT) {
          const integrity = get('integrity');
          const crossorigin = get('crossorigin');
          facts.scripts.push({
            src,
            ...(integrity !== undefined ? { integrity } : {}),
            ...(crossorigin !== undefined ? { crossorigin } : {}),
          });
        }
      } else if (!selfClosing) {
        facts.inlineScripts += 1;
        this.inScript = true;
        this.scriptText = '';
      }
    }
    const attribute = RESOURCE_ATTRIBUTES[tag];
    const url = attribute === undefined ? undefined : get(attribute)?.trim();
    if (url && facts.resources.length < LIST_LIMIT) facts.resources.push({ element: tag, url });
  }

  private readInlineScript(): void {
    for (const match of this.scriptText.matchAll(WEBRTC_PATTERN)) {
      if (this.facts.webrtc.length >= 20) break;
      if (!this.facts.webrtc.includes(match[0])) this.facts.webrtc.push(match[0]);
    }
    this.scriptText = '';
  }

  finish(): PageFacts {
    if (this.inScript) this.readInlineScript();
    const title = collapse(this.title);
    if (title) this.facts.title = title;
    this.facts.text = collapse(this.text).slice(0, TEXT_LIMIT);
    return this.facts;
  }
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The facts of one HTML page (see the module comment). */
export function readPageFacts(html: string): PageFacts {
  const reader = new FactsReader(html);
  const tokenizer = new Tokenizer({ decodeEntities: true }, reader);
  tokenizer.write(html);
  tokenizer.end();
  return reader.finish();
}
