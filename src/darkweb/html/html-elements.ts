/** Element and class-name tables of the HTML reader (html-page.ts). */

/** Elements whose content is never visible text: raw text, scripting-enabled fallbacks, embedded documents. */
export const DROPPED_ELEMENTS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'noembed',
  'noframes',
  'object',
  'svg',
  'math',
]);

/** Elements that start a new line. */
export const BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
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
  'option',
  'legend',
]);

/** Table cells: separated by a tab, so a table row stays on one line. */
export const CELL_ELEMENTS: ReadonlySet<string> = new Set(['td', 'th']);

/** Elements that have no end tag and hold no text (HTML section 13.1.2). */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Class names that mark a post's author on forums and markets. */
export const AUTHOR_CLASS = /^(author|username|user-?name|poster|post-?author|vendor|seller)$/i;

/** Class names that mark a post's date. */
export const DATE_CLASS = /^(date|posted|post-?date|timestamp|published)$/i;
