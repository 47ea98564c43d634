/**
 * Readers turn paths into streams of documents with resumable positions: JSONL files (one document
 * per line, resumable at a byte offset), HTML files, plain-text pastes and Telegram JSON chat exports
 * (`result.json`). Folders are walked (sorted, hidden entries and symbolic links skipped, bounded depth).
 *
 * Each item carries `next`: where its source resumes once that item is committed. The ingester writes
 * it as the source's checkpoint in the same transaction as the batch, so a re-run after a crash
 * continues exactly after the last committed item.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { DarkwebDocumentInput, SourceType } from '../types.js';
import { MAX_DOCUMENT_CHARS, parsePostedAt, validateDocumentInput } from './document-input.js';
import { FILE_CAPS, FileTooLargeError, readCappedTextFile } from '../../core/capped-file.js';
import { readHtmlPage } from '../html/html-page.js';
import { pickSourceType, scorePage } from '../crawl/source-type.js';
import { AppError } from '../../core/errors.js';

/** A path the user gave cannot be read (missing, not a file, binary, nested too deep). */
export class IngestInputError extends AppError {
  override readonly name = 'IngestInputError';
  readonly code = 'ingest-input-invalid';
}

/** Kinds of sources the readers understand. */
export type SourceKind = 'jsonl' | 'html' | 'paste' | 'telegram';

/** A resumable position in a source. */
export interface SourcePosition {
  /** JSONL: bytes consumed. HTML, paste, Telegram: the file size when read (0 = not started). */
  byteOffset: number;
  /** JSONL: lines consumed. Telegram: messages consumed. HTML, paste: 1 when done. */
  line: number;
}

/** One step through a source: a document, a rejected record, or only progress. */
export interface SourceItem {
  sourceKey: string;
  /** Where the source resumes once this item is committed. */
  next: SourcePosition;
  doc?: DarkwebDocumentInput;
  /** Why the record at this position was not a document (reported, position still advances). */
  rejected?: string;
  /** Where the record was, for messages: `file:line`. */
  where: string;
}

/** A file to read. */
export interface SourceFile {
  path: string;
  kind: SourceKind;
  /** Checkpoint key: the kind and the absolute path. */
  sourceKey: string;
  size: number;
}

/** Defaults for documents whose files carry no metadata (HTML and paste files). */
export interface SourceDefaults {
  /** `source` of HTML and paste documents; default: the canonical URL's host, else the file name. */
  source?: string;
  /** Default: `paste` for text files, `forum` for HTML. */
  sourceType?: SourceType;
}

/** Longest JSONL line accepted; longer lines are skipped and reported (bounded memory). */
const MAX_LINE_BYTES = MAX_DOCUMENT_CHARS * 2;
/** Deepest folder nesting walked. */
const MAX_FOLDER_DEPTH = 32;

const KIND_BY_EXTENSION: Record<string, SourceKind> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'telegram',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.txt': 'paste',
  '.text': 'paste',
  '.paste': 'paste',
  '.log': 'paste',
};

/** What walking the paths found. */
export interface SourcePlan {
  files: SourceFile[];
  /** Files inside folders that no reader handles (images, archives...). */
  skipped: string[];
}

/** Expand paths (files and folders) into the files to read, in a stable order. */
export async function planSources(paths: readonly string[]): Promise<SourcePlan> {
  const plan: SourcePlan = { files: [], skipped: [] };
  const seen = new Set<string>();
  const addFile = (path: string, kind: SourceKind, size: number): void => {
    if (seen.has(path)) return;
    seen.add(path);
    // Said before anything is ingested; reading checks the cap again on the opened file.
    if (kind === 'telegram' && size > FILE_CAPS.telegramExport)
      throw new IngestInputError(
        new FileTooLargeError(path, size, FILE_CAPS.telegramExport, 'Telegram export').message,
      );
    // The resume point belongs to this file's content, not just its name: a file replaced under the
    // same path starts over, while a file that only grew (an appended JSONL log) keeps its head and resumes.
    plan.files.push({ path, kind, sourceKey: `${kind}:${path}:${headFingerprint(path)}`, size });
  };
  const walk = async (folder: string, depth: number): Promise<void> => {
    if (depth > MAX_FOLDER_DEPTH)
      throw new IngestInputError(`${folder}: folders nested deeper than ${MAX_FOLDER_DEPTH} levels`);
    const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path, depth + 1);
      else if (entry.isFile()) {
        // In a folder, a file without a known extension counts only when its content is JSONL
        // documents (`split` output: xaa, xab...); other unknown files stay skipped.
        const kind =
          KIND_BY_EXTENSION[extname(entry.name).toLowerCase()] ??
          ((await sniffKind(path).catch(() => 'binary')) === 'jsonl' ? 'jsonl' : undefined);
        if (kind === undefined) plan.skipped.push(path);
        else addFile(path, kind, (await stat(path)).size);
      }
    }
  };
  for (const given of paths) {
    const path = resolve(given);
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new IngestInputError(`${given}: ${error.code === 'ENOENT' ? 'no such file or folder' : error.message}`);
    });
    if (info.isDirectory()) await walk(path, 0);
    else if (info.isFile())
      addFile(path, KIND_BY_EXTENSION[extname(path).toLowerCase()] ?? (await kindOfUnknownFile(path)), info.size);
    else throw new IngestInputError(`${given}: not a regular file or folder`);
  }
  return plan;
}

/** How many bytes of a file of unknown extension are read to tell JSONL from a paste. */
const SNIFF_BYTES = 1024 * 1024;
/** Complete lines of that head tried as documents. */
const SNIFF_LINES = 3;

/**
 * The kind of a file whose extension says nothing: `binary` when its first 8 KiB hold a NUL; JSONL
 * when it opens a JSON object and one of its first complete lines is a valid document; else a paste.
 */
async function sniffKind(path: string): Promise<'jsonl' | 'paste' | 'binary'> {
  const handle = await open(path, 'r');
  let head: Buffer;
  let wholeFile: boolean;
  try {
    const first = await handle.read(Buffer.alloc(8192), 0, 8192, 0);
    head = first.buffer.subarray(0, first.bytesRead);
    if (head.includes(0)) return 'binary';
    // Only a head with a line that opens a JSON object is worth reading further.
    if (!/^(\uFEFF)?\s*\{|\n\s*\{/.test(head.toString('utf8'))) return 'paste';
    const more = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    head = more.buffer.subarray(0, more.bytesRead);
    wholeFile = more.bytesRead < SNIFF_BYTES;
  } finally {
    await handle.close();
  }
  const lines = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\n');
  // The last piece is a complete line only when the whole file was read.
  if (!wholeFile) lines.pop();
  const candidates = lines.filter((line) => line.trim() !== '').slice(0, SNIFF_LINES);
  return candidates.some(isDocumentLine) ? 'jsonl' : 'paste';
}

function isDocumentLine(line: string): boolean {
  const text = line.trim();
  if (!text.startsWith('{')) return false;
  try {
    validateDocumentInput(JSON.parse(text));
    return true;
  } catch {
    return false;
  }
}

/** A named file of unknown extension: JSONL or a paste by its content; refused when binary. */
async function kindOfUnknownFile(path: string): Promise<SourceKind> {
  const kind = await sniffKind(path);
  if (kind === 'binary')
    throw new IngestInputError(`${path}: binary file (expected JSONL, HTML, text or a Telegram result.json)`);
  return kind;
}

/** Read one file from `from` (a checkpoint) onwards. */
export function readSource(
  file: SourceFile,
  from: SourcePosition,
  defaults: SourceDefaults = {},
): AsyncGenerator<SourceItem> {
  switch (file.kind) {
    case 'jsonl':
      return readJsonl(file, from);
    case 'telegram':
      return readTelegramExport(file, from);
    case 'html':
      return readWholeFile(file, from, (content) => htmlDocument(file.path, content, defaults));
    case 'paste':
      return readWholeFile(file, from, (content) => pasteDocument(file.path, content, defaults));
  }
}

/** JSONL: one document per line; resumes at a byte offset (the checkpoint is always a line start). */
async function* readJsonl(file: SourceFile, from: SourcePosition): AsyncGenerator<SourceItem> {
  let offset = from.byteOffset;
  let line = from.line;
  // A file shorter than its checkpoint was replaced: start over (content hashes drop what is already stored).
  if (offset > file.size) {
    offset = 0;
    line = 0;
  }
  const stream = createReadStream(file.path, { start: offset, highWaterMark: 1 << 20 });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;
  const finishLine = (bytes: Buffer | undefined, length: number): SourceItem => {
    offset += length;
    line += 1;
    const item: SourceItem = {
      sourceKey: file.sourceKey,
      next: { byteOffset: offset, line },
      where: `${file.path}:${line}`,
    };
    if (bytes === undefined) {
      item.rejected = `line longer than ${MAX_LINE_BYTES} bytes`;
      return item;
    }
    let text = bytes.toString('utf8');
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') return item;
    try {
      item.doc = validateDocumentInput(JSON.parse(text));
    } catch (error) {
      item.rejected = error instanceof SyntaxError ? `invalid JSON: ${error.message}` : (error as Error).message;
    }
    return item;
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      const piece = chunk.subarray(start, end);
      if (!oversized) {
        if (pendingBytes + piece.length > MAX_LINE_BYTES) {
          oversized = true;
          pending = [];
        } else pending.push(piece);
      }
      pendingBytes += piece.length;
      if (newline === -1) break;
      const bytes = oversized ? undefined : pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      yield finishLine(bytes, pendingBytes + 1);
      pending = [];
      pendingBytes = 0;
      oversized = false;
      start = newline + 1;
    }
  }
  // A last line without a newline still counts.
  if (pendingBytes > 0) yield finishLine(oversized ? undefined : Buffer.concat(pending), pendingBytes);
}

/** HTML and paste files are one document each; done once their checkpoint holds their current size. */
async function* readWholeFile(
  file: SourceFile,
  from: SourcePosition,
  toDocument: (content: string) => DarkwebDocumentInput,
): AsyncGenerator<SourceItem> {
  if (from.line >= 1 && from.byteOffset === file.size) return;
  const next = { byteOffset: file.size, line: 1 };
  const item: SourceItem = { sourceKey: file.sourceKey, next, where: file.path };
  let content: string | undefined;
  try {
    content = readCappedTextFile(file.path, FILE_CAPS.singleDocument, 'document');
  } catch (error) {
    if (!(error instanceof FileTooLargeError)) throw error;
    item.rejected = error.message;
  }
  if (content !== undefined) {
    try {
      item.doc = toDocument(content);
    } catch (error) {
      item.rejected = (error as Error).message;
    }
  }
  yield item;
}

function htmlDocument(path: string, html: string, defaults: SourceDefaults): DarkwebDocumentInput {
  const page = readHtmlPage(html);
  let host: string | undefined;
  if (page.canonicalUrl !== undefined) {
    try {
      host = new URL(page.canonicalUrl).hostname || undefined;
    } catch {
      // Not a URL: ignored, like a browser would.
    }
  }
  // Without --source-type, a saved page is typed as a crawled one would be (crawl/source-type.ts): from
  // the words of its address (or file name), title and text, so a leak site's victim list or a market
  // listing is not read as a forum post.
  let address: URL;
  try {
    address = new URL(page.canonicalUrl ?? `file:///${encodeURIComponent(basename(path))}`);
  } catch {
    address = new URL(`file:///${encodeURIComponent(basename(path))}`);
  }
  const doc: DarkwebDocumentInput = {
    source: defaults.source ?? host ?? basename(path),
    source_type:
      defaults.sourceType ??
      pickSourceType(
        scorePage({ url: address, text: page.text, ...(page.title === undefined ? {} : { title: page.title }) }),
        'html',
      ),
    text: page.text,
  };
  if (page.title !== undefined) doc.title = page.title;
  if (page.canonicalUrl !== undefined && host !== undefined) doc.url = page.canonicalUrl;
  if (page.publishedAt !== undefined) {
    try {
      doc.posted_at = parsePostedAt(page.publishedAt);
    } catch {
      // A page's own date markup is often wrong; the document is still worth keeping without it.
    }
  }
  return doc;
}

function pasteDocument(path: string, text: string, defaults: SourceDefaults): DarkwebDocumentInput {
  return {
    source: defaults.source ?? basename(path),
    source_type: defaults.sourceType ?? 'paste',
    text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
  };
}

/** Telegram Desktop's text field: a string, or an array of strings and `{type, text}` fragments. */
export function telegramText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  let out = '';
  for (const fragment of value) {
    if (typeof fragment === 'string') out += fragment;
    else if (
      typeof fragment === 'object' &&
      fragment !== null &&
      typeof (fragment as { text?: unknown }).text === 'string'
    ) {
      out += (fragment as { text: string }).text;
    }
  }
  return out;
}

/** Telegram Desktop JSON export: `{name, id, messages: [{id, type, date, date_unixtime, from, text}]}`. */
async function* readTelegramExport(file: SourceFile, from: SourcePosition): AsyncGenerator<SourceItem> {
  // The export is one JSON value: it is parsed whole, and progress is the number of messages consumed.
  const start = from.byteOffset === file.size ? from.line : 0;
  // The cap is checked on the opened file as it is read (the plan's size may be stale).
  const text = readCappedTextFile(file.path, FILE_CAPS.telegramExport, 'Telegram export');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file.path}: invalid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { messages?: unknown }).messages)) {
    throw new Error(
      `${file.path}: not a Telegram chat export (no messages array); JSON documents go in .jsonl files, one per line`,
    );
  }
  const chat = parsed as { name?: unknown; id?: unknown; messages: unknown[] };
  const chatName =
    typeof chat.name === 'string' && chat.name.trim() !== '' ? chat.name.trim() : basename(file.path, '.json');
  const chatId =
    typeof chat.id === 'number' || typeof chat.id === 'string'
      ? String(chat.id)
      : chatName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  for (let index = start; index < chat.messages.length; index++) {
    const next = { byteOffset: file.size, line: index + 1 };
    const item: SourceItem = { sourceKey: file.sourceKey, next, where: `${file.path}#${index}` };
    const message = chat.messages[index];
    if (typeof message !== 'object' || message === null) {
      item.rejected = 'message is not an object';
      yield item;
      continue;
    }
    const m = message as Record<string, unknown>;
    // Service messages (joins, pins) carry no text worth keeping.
    if (m['type'] !== 'message') {
      yield item;
      continue;
    }
    const text = telegramText(m['text']);
    if (text.trim() === '') {
      yield item;
      continue;
    }
    const doc: DarkwebDocumentInput = { source: `telegram:${chatName}`, source_type: 'chat', text };
    if (typeof m['id'] === 'number' || typeof m['id'] === 'string') doc.id = `telegram-${chatId}-${String(m['id'])}`;
    if (typeof m['from'] === 'string' && m['from'] !== '') doc.author = m['from'];
    else if (typeof m['from_id'] === 'string') doc.author = m['from_id'];
    const unix = Number(m['date_unixtime']);
    // `date_unixtime` is exact; `date` is the exporting machine's local time with no zone (read as UTC).
    if (m['date_unixtime'] !== undefined && Number.isFinite(unix) && unix > 0)
      doc.posted_at = new Date(unix * 1000).toISOString();
    else if (typeof m['date'] === 'string') {
      try {
        doc.posted_at = parsePostedAt(/[zZ]|[+-]\d\d:?\d\d$/.test(m['date']) ? m['date'] : `${m['date']}Z`);
      } catch {
        // Undated message: kept without a date.
      }
    }
    item.doc = doc;
    yield item;
  }
}

/** SHA-256 (first 16 hex digits) of a file's first 64 KiB. */
function headFingerprint(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const read = readSync(fd, head, 0, head.length, 0);
    return createHash('sha256').update(head.subarray(0, read)).digest('hex').slice(0, 16);
  } finally {
    closeSync(fd);
  }
}
