/**
 * Generated material for the dark-web benchmarks: organizations from the lab's name generator, their
 * search terms, forum/paste-like text written to a file as a stream, and the line-aware scan that
 * counts matching lines exactly as `grep -c` does. Everything is seeded, so every run sees the same
 * bytes.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { generateIdentities, type OrgIdentity } from '../src/lab/world/names.js';
import { RESERVED_SLUGS } from '../src/lab/world/infrastructure.js';
import type { AhoCorasick } from '../src/darkweb/match/aho-corasick.js';
import type { OrgPatternInput } from '../src/darkweb/match/org-matcher.js';
import { seededRandom } from '../src/core/seeded-random.js';

export { seededRandom };

const NEWLINE = 0x0a;

/** `count` fictional healthcare organizations (name, acronym and short-name aliases, `<slug>.test`). */
export function benchOrganizations(count: number, seed = 20_260_301): OrgIdentity[] {
  return generateIdentities(seed, count, RESERVED_SLUGS);
}

/** An alias made of initials ("NRH"): the org matcher takes it only in its exact case, on word boundaries. */
export function isAcronym(alias: string): boolean {
  return /^[A-Z0-9&]{2,6}$/.test(alias);
}

/**
 * The watch-list terms as plain substrings, for `grep -F -i -f`: names, aliases and domains, without
 * acronyms (as case-insensitive substrings "RIC" is in "price": no one would put it in a grep
 * watch-list), without duplicates after ASCII case folding.
 */
export function substringPatterns(orgs: readonly OrgIdentity[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const org of orgs) {
    for (const term of [org.name, ...org.aliases.filter((a) => !isAcronym(a)), org.domain]) {
      const key = term.toLowerCase();
      if (term === '' || term.includes('\n') || seen.has(key)) continue;
      seen.add(key);
      out.push(term);
    }
  }
  return out;
}

/** The organizations as the org matcher takes them (as `createDocumentAnalyzer` builds them). */
export function orgMatcherInputs(orgs: readonly OrgIdentity[]): OrgPatternInput[] {
  return orgs.map((o) => ({ name: o.name, aliases: o.aliases, domains: [o.domain], sector: o.sector }));
}

const FORUM_WORDS = (
  'the a of to and in is for on with that this it you i we they be have has was are not but or if so just ' +
  'selling access data dump db leak leaked price btc xmr escrow vps rdp shell panel admin combo fresh valid ' +
  'records patients hospital clinic forum thread reply quote bump pm me tox jabber vouch legit scam proof ' +
  'sample logs stealer cookies bank cards fullz ssn dob mrn billing insurance exploit citrix vpn fortinet ' +
  'domain users network backup encrypted ransom negotiation deadline files published victim bulk discount ' +
  'anyone know where how much still working tested today yesterday last week update new old price drop'
).split(' ');
const SYLLABLES = 'ka lo mi ra ne to su vi da re po li zu ma te ni go ba ke sa fi ro de mu'.split(' ');
const MAIL_HOSTS = ['mail.example', 'inbox.example', 'webmail.example', 'post.example', 'box.example'];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A made-up word of 2 to 4 syllables ("kalomi"): a handle, a product, a slang term. */
function nonceWord(random: () => number): string {
  let w = '';
  for (let i = 0, n = 2 + Math.floor(random() * 3); i < n; i++) w += pick(SYLLABLES, random);
  return w;
}

/** A run of 3 to 9 words, mostly forum vocabulary, some made-up words and numbers. */
function wordRun(random: () => number): string {
  const words: string[] = [];
  for (let i = 0, n = 3 + Math.floor(random() * 7); i < n; i++) {
    const r = random();
    words.push(
      r < 0.8 ? pick(FORUM_WORDS, random) : r < 0.93 ? nonceWord(random) : String(Math.floor(random() * 100_000)),
    );
  }
  return words.join(' ');
}

/** How a line starts: a forum post header, a quote, a combo-list entry, an onion link, or nothing. */
function linePrefix(random: () => number): string {
  const r = random();
  const user = `${nonceWord(random)}${Math.floor(random() * 1000)}`;
  if (r < 0.35) {
    const day = 1 + Math.floor(random() * 28);
    const hour = Math.floor(random() * 24);
    return (
      `[2025-0${1 + Math.floor(random() * 9)}-${String(day).padStart(2, '0')} ` +
      `${String(hour).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}] <${user}> `
    );
  }
  if (r < 0.5) return `> ${user} wrote: `;
  if (r < 0.65) return `${user}@${pick(MAIL_HOSTS, random)}:${nonceWord(random)}${Math.floor(random() * 100)}! `;
  if (r < 0.72) {
    let onion = '';
    for (let i = 0; i < 16; i++) onion += 'abcdefghijklmnopqrstuvwxyz234567'[Math.floor(random() * 32)];
    return `http://${onion}.onion/thread/${Math.floor(random() * 1e6)} `;
  }
  return '';
}

/** The term written with a different case: all upper case, or every letter's case swapped. */
function recased(term: string, random: () => number): string {
  if (random() < 0.5 && term.toUpperCase() !== term) return term.toUpperCase();
  let out = '';
  for (const ch of term) out += ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
  return out;
}

/** One of an organization's terms as a post would carry it: name, short name, domain or an address at it. */
function plantedTerm(org: OrgIdentity, random: () => number): string {
  const r = random();
  const shortNames = org.aliases.filter((a) => !isAcronym(a));
  if (r < 0.4 || shortNames.length === 0) return org.name;
  if (r < 0.6) return pick(shortNames, random);
  if (r < 0.8) return org.domain;
  return `${pick(['admin', 'it', 'billing', 'j.smith', 'hr'], random)}@${org.domain}`;
}

/** What `writeForumText` wrote. */
export interface ForumTextStats {
  bytes: number;
  lines: number;
  /** Lines that carry an organization's term on purpose (about `mentionRate` of all lines). */
  plantedLines: number;
  /** Of those, lines whose term was written in a different case. */
  recasedLines: number;
}

/** Options of `writeForumText`. */
export interface ForumTextOptions {
  /** Stop after the line that reaches this many bytes. */
  bytes: number;
  orgs: readonly OrgIdentity[];
  seed?: number;
  /** Share of lines carrying a term; default 0.01. */
  mentionRate?: number;
  /** Share of those written in a different case; default 0.5. */
  recasedRate?: number;
}

/**
 * Writes forum/paste-like ASCII lines to `path`, streaming in 4 MB blocks (the text is never whole in
 * memory). Lines are built from pools of prefixes and word runs so a gigabyte takes seconds.
 */
export function writeForumText(path: string, options: ForumTextOptions): ForumTextStats {
  const random = seededRandom(options.seed ?? 7);
  const mentionRate = options.mentionRate ?? 0.01;
  const recasedRate = options.recasedRate ?? 0.5;
  const prefixes = Array.from({ length: 8192 }, () => linePrefix(random));
  const runs = Array.from({ length: 16_384 }, () => wordRun(random));
  const stats: ForumTextStats = { bytes: 0, lines: 0, plantedLines: 0, recasedLines: 0 };
  const fd = openSync(path, 'w');
  try {
    let block: string[] = [];
    let blockLength = 0;
    const flush = (): void => {
      const buffer = Buffer.from(block.join(''), 'latin1');
      writeSync(fd, buffer);
      stats.bytes += buffer.length;
      block = [];
      blockLength = 0;
    };
    while (stats.bytes + blockLength < options.bytes) {
      let line = pick(prefixes, random) + pick(runs, random);
      if (random() < 0.6) line += ` ${pick(runs, random)}`;
      if (random() < mentionRate) {
        let term = plantedTerm(pick(options.orgs, random), random);
        if (random() < recasedRate) {
          term = recased(term, random);
          stats.recasedLines += 1;
        }
        stats.plantedLines += 1;
        line = random() < 0.5 ? `${line} ${term}` : `${term} ${line}`;
      }
      line += '\n';
      block.push(line);
      blockLength += line.length;
      stats.lines += 1;
      if (blockLength >= 4 * 1024 * 1024) flush();
    }
    if (block.length > 0) flush();
  } finally {
    closeSync(fd);
  }
  return stats;
}

/** Copies the first lines of `from` into `to`, at most `maxBytes` (cut after a newline); returns the bytes copied. */
export function copyLinePrefix(from: string, to: string, maxBytes: number): number {
  const buffer = Buffer.alloc(maxBytes);
  const input = openSync(from, 'r');
  let filled = 0;
  try {
    while (filled < maxBytes) {
      const n = readSync(input, buffer, filled, maxBytes - filled, filled);
      if (n === 0) break;
      filled += n;
    }
  } finally {
    closeSync(input);
  }
  const cut = buffer.lastIndexOf(NEWLINE, filled - 1) + 1;
  const output = openSync(to, 'w');
  try {
    writeSync(output, buffer, 0, cut);
  } finally {
    closeSync(output);
  }
  return cut;
}

/**
 * Calls `onBlock` with the file's content in large blocks that each end at a newline (so no line,
 * hence no match, straddles two blocks). A line longer than the block size is an error: the benchmark
 * text has none.
 */
export function forEachLineBlock(
  path: string,
  onBlock: (block: Buffer) => void,
  blockBytes = 16 * 1024 * 1024,
): number {
  const buffer = Buffer.alloc(blockBytes);
  const fd = openSync(path, 'r');
  let total = 0;
  let carried = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, carried, blockBytes - carried, null);
      const filled = carried + n;
      if (n === 0) {
        // The last line may lack its newline; grep counts it all the same.
        if (filled > 0) onBlock(buffer.subarray(0, filled));
        total += filled;
        break;
      }
      const cut = buffer.lastIndexOf(NEWLINE, filled - 1) + 1;
      if (cut === 0) throw new Error(`a line longer than ${blockBytes} bytes in ${path}`);
      onBlock(buffer.subarray(0, cut));
      total += cut;
      carried = filled - cut;
      buffer.copyWithin(0, cut, filled);
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

/**
 * Counts the lines of `path` holding at least one occurrence of a pattern of `automaton` (what
 * `grep -c` prints). The automaton must not match across a newline (no pattern contains one, and it
 * was built without `whitespaceAsSpace`).
 */
export function countMatchingLines(
  automaton: AhoCorasick,
  path: string,
  options: { wholeWords?: boolean } = {},
): { bytes: number; matchingLines: number } {
  let matchingLines = 0;
  const bytes = forEachLineBlock(path, (block) => {
    // Matches come in order of end offset: a match ending after the newline that closed the last
    // counted line starts a new matching line.
    let countedUntil = -1;
    automaton.scan(
      block,
      (_id, end) => {
        if (end <= countedUntil) return;
        matchingLines += 1;
        const newline = block.indexOf(NEWLINE, end);
        countedUntil = newline < 0 ? block.length : newline;
      },
      options,
    );
  });
  return { bytes, matchingLines };
}
