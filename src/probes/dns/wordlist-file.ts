/**
 * Reading a wordlist of host labels: one entry per line, `#` starts a comment, blank lines are
 * ignored. An entry is a label (`vpn`) or a relative name of several labels (`www.blog`), as the
 * published subdomain lists contain them. Entries are lower-cased and deduplicated; lines that are not
 * relative DNS names are skipped and reported, so a list with a few stray lines still works.
 */
import { describeBytes, FileTooLargeError, FILE_CAPS, readCappedTextFile } from '../../core/capped-file.js';
import { AppError } from '../../core/errors.js';

/** Largest wordlist file accepted, as for other lists (the 110,000-label published list is about 1.1 MB). */
export const WORDLIST_MAX_BYTES = FILE_CAPS.list;
/** Most entries a wordlist may hold; every entry is one or two queries per scanned domain. */
export const WORDLIST_MAX_ENTRIES = 1_000_000;

export interface SkippedLine {
  /** 1-based line number. */
  line: number;
  text: string;
  reason: string;
}

export interface ParsedWordlist {
  /** Unique entries in file order, lower case. */
  labels: string[];
  duplicates: number;
  skipped: SkippedLine[];
}

/** A wordlist that cannot be used at all; the message names the file and the problem. */
export class WordlistError extends AppError {
  override readonly name = 'WordlistError';
  readonly code = 'wordlist-invalid';
}

/** One DNS label: letters, digits, hyphens inside, and `_` as service labels use it (RFC 2181 section 11). */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Why `entry` (lower case) is not a relative DNS name, or null when it is one. */
export function wordlistEntryProblem(entry: string): string | null {
  if (entry.endsWith('.')) return 'ends with a dot (an absolute name, not a label)';
  if (entry.startsWith('.') || entry.includes('..')) return 'has an empty label';
  if (entry.length > 200) return 'is longer than 200 characters';
  for (const label of entry.split('.')) {
    if (label.length > 63) return `label "${label.slice(0, 20)}…" is longer than 63 characters`;
    if (label.startsWith('-') || label.endsWith('-')) return `label "${label}" starts or ends with a hyphen`;
    if (!LABEL.test(label)) return 'has a character other than a letter, digit, hyphen, underscore or dot';
  }
  return null;
}

/** Parses wordlist text (see the module comment). */
export function parseWordlist(text: string): ParsedWordlist {
  const seen = new Set<string>();
  const labels: string[] = [];
  const skipped: SkippedLine[] = [];
  let duplicates = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i]!.indexOf('#');
    const entry = (hash === -1 ? lines[i]! : lines[i]!.slice(0, hash)).trim().toLowerCase();
    if (entry === '') continue;
    const problem = wordlistEntryProblem(entry);
    if (problem) {
      skipped.push({ line: i + 1, text: entry, reason: problem });
      continue;
    }
    if (seen.has(entry)) {
      duplicates++;
      continue;
    }
    seen.add(entry);
    labels.push(entry);
  }
  return { labels, duplicates, skipped };
}

/** Reads and parses a wordlist file, refusing binary files, files over the caps and lists with no entry. */
export function readWordlistFile(path: string): ParsedWordlist {
  let text: string;
  try {
    text = readCappedTextFile(path, WORDLIST_MAX_BYTES, 'wordlist');
  } catch (error) {
    if (error instanceof FileTooLargeError) {
      const size = error.size === undefined ? 'more' : describeBytes(error.size);
      throw new WordlistError(`${path}: ${size} is over the size cap of ${describeBytes(error.cap)}`);
    }
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : (error as Error).message;
    throw new WordlistError(`${path}: ${why}`);
  }
  if (text.includes('\0')) throw new WordlistError(`${path}: a binary file, not a list of labels`);
  const parsed = parseWordlist(text);
  if (parsed.labels.length === 0) {
    const first = parsed.skipped[0];
    const hint = first ? ` (line ${first.line}: "${first.text}" ${first.reason})` : '';
    throw new WordlistError(`${path}: no host labels in the file${hint}`);
  }
  if (parsed.labels.length > WORDLIST_MAX_ENTRIES)
    throw new WordlistError(`${path}: ${parsed.labels.length} labels is over the cap of ${WORDLIST_MAX_ENTRIES}`);
  return parsed;
}

/** One line saying what was skipped, for a warning: the count and the first few lines with their reasons. */
export function describeSkipped(parsed: ParsedWordlist, shown = 3): string | null {
  if (parsed.skipped.length === 0) return null;
  const examples = parsed.skipped
    .slice(0, shown)
    .map((s) => `line ${s.line} "${s.text.slice(0, 40)}" ${s.reason}`)
    .join('; ');
  const more = parsed.skipped.length > shown ? '; …' : '';
  return `skipped ${parsed.skipped.length} line(s) that are not host labels: ${examples}${more}`;
}
