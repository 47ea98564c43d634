/**
 * JavaScript libraries and their known vulnerabilities, from retire.js's vulnerability repository
 * (data/retirejs/jsrepository.json: a dated snapshot, source and licence in data/retirejs/README.md).
 * The web probe reads a library's version from a script's URL, file name or banner with the repository's
 * extractors; the check looks the version up in the same repository's vulnerable ranges. Versions are
 * compared as retire.js compares them (dot- and dash-separated parts, numbers numerically, a number
 * ranking above a word: 1.9.0 > 1.9.0b1... see `compareVersions`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One vulnerable range of a library. */
export interface LibraryVulnerability {
  /** Versions below this are affected... */
  below: string;
  /** ...from this one on, when set. */
  atOrAbove?: string;
  severity: string;
  summary?: string;
  cves: string[];
  info: string[];
}

interface RepositoryEntry {
  vulnerabilities?: Array<{
    below?: string;
    atOrAbove?: string;
    severity?: string;
    identifiers?: { summary?: string; CVE?: string[] };
    info?: string[];
  }>;
  extractors?: { filename?: string[]; uri?: string[]; filecontent?: string[] };
}

interface CompiledLibrary {
  name: string;
  filename: RegExp[];
  uri: RegExp[];
  filecontent: RegExp[];
  vulnerabilities: LibraryVulnerability[];
}

/** retire.js's placeholder for the version in an extractor, and what it stands for. */
const VERSION_PLACEHOLDER = /§§version§§/g;
const VERSION_PATTERN = '[0-9][0-9.a-z_\\-]+';
/** Bytes of a file's head the content extractors read: banners sit at the top. */
export const LIBRARY_HEAD_BYTES = 32 * 1024;

let libraries: CompiledLibrary[] | undefined;

/** Where the vendored repository is: the package root, from src/ or from dist/src/. */
function repositoryPath(): string {
  for (const up of ['../../', '../../../']) {
    const path = fileURLToPath(new URL(`${up}data/retirejs/jsrepository.json`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('the vendored retire.js repository data/retirejs/jsrepository.json is missing from the installation');
}

function compile(patterns: readonly string[] | undefined): RegExp[] {
  const out: RegExp[] = [];
  for (const pattern of patterns ?? []) {
    try {
      out.push(new RegExp(pattern.replace(VERSION_PLACEHOLDER, VERSION_PATTERN)));
    } catch {
      // A pattern in a syntax JavaScript does not accept is skipped, as retire.js would fail on it too.
    }
  }
  return out;
}

/** The repository's libraries, compiled once. */
export function jsLibraries(): readonly CompiledLibrary[] {
  if (libraries) return libraries;
  const data = JSON.parse(readFileSync(repositoryPath(), 'utf8')) as Record<string, RepositoryEntry>;
  libraries = Object.entries(data)
    .filter(([name]) => name !== 'retire-example')
    .map(([name, entry]) => ({
      name,
      filename: compile(entry.extractors?.filename),
      uri: compile(entry.extractors?.uri),
      filecontent: compile(entry.extractors?.filecontent),
      vulnerabilities: (entry.vulnerabilities ?? [])
        .filter((v) => typeof v.below === 'string')
        .map((v) => ({
          below: v.below!,
          ...(v.atOrAbove ? { atOrAbove: v.atOrAbove } : {}),
          severity: v.severity ?? 'medium',
          ...(v.identifiers?.summary ? { summary: v.identifiers.summary } : {}),
          cves: v.identifiers?.CVE ?? [],
          info: v.info ?? [],
        })),
    }));
  return libraries;
}

export interface LibraryVersion {
  library: string;
  version: string;
  via: 'filename' | 'uri' | 'filecontent';
}

function firstMatch(regexes: readonly RegExp[], text: string): string | undefined {
  for (const regex of regexes) {
    const match = regex.exec(text);
    // The version pattern also takes a `.min` that belongs to the file name (`jquery-2.2.4.min.js`).
    const version = match?.[1]?.replace(/\.min$/, '');
    if (version) return version;
  }
  return undefined;
}

/** Libraries a script URL names with a version (`/1.12.4/jquery.min.js`, `jquery-1.12.4.min.js`). */
export function librariesFromUrl(url: string): LibraryVersion[] {
  let path = url;
  try {
    path = new URL(url, 'http://x.invalid/').pathname;
  } catch {
    // A URL that does not parse is matched as written.
  }
  const file = path.slice(path.lastIndexOf('/') + 1);
  const out: LibraryVersion[] = [];
  for (const lib of jsLibraries()) {
    const fromName = firstMatch(lib.filename, file);
    if (fromName) out.push({ library: lib.name, version: fromName, via: 'filename' });
    else {
      const fromUri = firstMatch(lib.uri, path);
      if (fromUri) out.push({ library: lib.name, version: fromUri, via: 'uri' });
    }
  }
  return out;
}

/** Libraries a file's head announces in its banner (`/*! jQuery v1.12.4`). */
export function librariesFromContent(head: string): LibraryVersion[] {
  const text = head.slice(0, LIBRARY_HEAD_BYTES);
  const out: LibraryVersion[] = [];
  for (const lib of jsLibraries()) {
    const version = firstMatch(lib.filecontent, text);
    if (version) out.push({ library: lib.name, version, via: 'filecontent' });
  }
  return out;
}

/** The known vulnerabilities of `library` at `version` (none for a library the repository lacks). */
export function libraryVulnerabilities(library: string, version: string): LibraryVulnerability[] {
  const lib = jsLibraries().find((l) => l.name === library);
  if (!lib) return [];
  return lib.vulnerabilities.filter(
    (v) =>
      compareVersions(version, v.below) < 0 &&
      (v.atOrAbove === undefined || compareVersions(version, v.atOrAbove) >= 0),
  );
}

/** A part of a version: a number, or a word (`beta1`, `rc`). */
function comparable(part: string | undefined): number | string {
  if (part === undefined || part === '') return 0;
  return /^\d+$/.test(part) ? Number(part) : part;
}

/**
 * Orders two versions as retire.js does: split on dots and dashes, numbers compared as numbers, words
 * as text, and a number above a word in the same place (1.9.0 after 1.9.0b1's `0b1`; 3.0.0 after
 * 3.0.0-rc.1). Returns a negative number, zero or a positive number.
 */
export function compareVersions(a: string, b: string): number {
  const left = a.split(/[.-]/);
  const right = b.split(/[.-]/);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = comparable(left[i]);
    const y = comparable(right[i]);
    if (typeof x !== typeof y) return typeof x === 'number' ? 1 : -1;
    if (x > y) return 1;
    if (x < y) return -1;
  }
  return 0;
}
