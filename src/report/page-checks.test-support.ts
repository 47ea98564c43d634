/** Checks every report page must pass: self-contained (nothing to load, no script) and well escaped. */
import assert from 'node:assert/strict';

/** Every start tag of the page, as written. */
function startTags(page: string): string[] {
  return page.match(/<[a-zA-Z][^>]*>/g) ?? [];
}

export function assertSelfContained(page: string): void {
  assert.ok(page.startsWith('<!DOCTYPE html>'), 'a whole HTML document');
  assert.doesNotMatch(page, /https?:\/\//i, 'no http(s) address anywhere in the page');
  assert.doesNotMatch(page, /<script\b/i, 'no script, inline or loaded');
  for (const tag of startTags(page)) {
    assert.doesNotMatch(tag, /^<(link|iframe|object|embed|img|base)\b/i, `nothing embedded from elsewhere: ${tag}`);
    assert.doesNotMatch(tag, /\s(src|srcset)\s*=/i, `no src attribute: ${tag}`);
    const href = /\shref\s*=\s*"([^"]*)"/i.exec(tag);
    if (href !== null) assert.match(href[1]!, /^#/, `only links inside the page: ${tag}`);
    assert.doesNotMatch(tag, /\son[a-z]+\s*=/i, `no event handler: ${tag}`);
  }
  for (const url of page.match(/url\(([^)]*)\)/g) ?? []) assert.match(url, /^url\(#/, `only local references: ${url}`);
  assert.doesNotMatch(page, /@import/i, 'no imported style sheet');
}

/** The hostile name appears only escaped: as text, never as markup. */
export function assertEscaped(page: string, name: string): void {
  assert.ok(!page.includes(name), 'the raw name never reaches the page');
  const escaped = name
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
  assert.ok(page.includes(escaped), 'the name is shown, escaped');
}

/** The number of server-rendered charts in the page. */
export function chartCount(page: string): number {
  return (page.match(/<svg\b/g) ?? []).length;
}

/** The text of a page as a reader sees it: no style sheet, no tags, entities decoded, spaces collapsed. */
export function visibleText(page: string): string {
  return page
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
