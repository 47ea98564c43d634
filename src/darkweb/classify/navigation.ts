/**
 * Drops site-navigation lines ("Breach Bazaar · Home · Rules · Escrow") that HTML-to-text extraction
 * keeps from a page's `<nav>`: a menu word on every page of a market or forum says nothing about the
 * post, so it must not weigh like the post's own "escrow accepted".
 */
import { NAVIGATION } from './rules.js';

/** Longest line examined as a possible menu; a longer line is prose (and splitting it would cost). */
const MAX_NAV_LINE = 300;

/** Whether one line of text is a navigation bar by the rules in NAVIGATION. */
export function isNavigationLine(line: string): boolean {
  if (line.length > MAX_NAV_LINE) return false;
  const items = line
    .split(NAVIGATION.separator)
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
  if (items.length < NAVIGATION.minItems) return false;
  let navWords = 0;
  for (const item of items) {
    if (item.split(/\s+/).length > NAVIGATION.maxItemWords) return false;
    if (NAVIGATION.words.has(item)) navWords += 1;
  }
  return navWords >= NAVIGATION.minNavWords && navWords >= NAVIGATION.minNavShare * items.length;
}

/** The text without its navigation lines (other lines, and their order, unchanged). */
export function stripNavigationLines(text: string): string {
  // Cheap pre-check: a menu needs separators; most documents have none of these characters.
  if (!/[·|•»›]|&middot;|\s\/\s/.test(text)) return text;
  return text
    .split('\n')
    .filter((line) => !isNavigationLine(line))
    .join('\n');
}
