/**
 * Streams a corpus to disk: `corpus.jsonl` (one document per line, the `vitals darkweb ingest`
 * format), `truth.jsonl` (one DocumentTruth per line, same order) and `truth.json` (the header:
 * seed, size, organizations, per-class counts and the format of the two other files). Truth is
 * JSON Lines because a million documents' truth does not fit comfortably in one JSON value.
 * Writes go through temporary files renamed at the end, so a reader never sees half a corpus.
 */
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type WriteStream,
} from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DocumentClass } from '../../../darkweb/types.js';
import {
  corpusHeader,
  generateCorpus,
  type CorpusHeader,
  type DocumentTruth,
  type GenerateCorpusOptions,
} from './generate.js';

/** Where a corpus lives. */
export interface CorpusFiles {
  corpus: string;
  truth: string;
  truthLines: string;
}

/** truth.json: the header plus totals. */
export interface CorpusTruthSummary extends CorpusHeader {
  format: string;
  files: { corpus: string; truthLines: string };
  documentsByClass: Record<string, number>;
  mentions: number;
  /**
   * Expected mentions (reposts excluded) per organization name and class; an organization never mentioned is absent.
   */
  mentionsByOrganization: Record<string, Partial<Record<DocumentClass, number>>>;
  traps: number;
  entities: { valid: number; invalid: number };
  duplicates: number;
}

/** File names inside `dir`. */
export function corpusFiles(dir: string): CorpusFiles {
  return { corpus: join(dir, 'corpus.jsonl'), truth: join(dir, 'truth.json'), truthLines: join(dir, 'truth.jsonl') };
}

async function write(stream: WriteStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/** Generates and writes the corpus under `dir`; returns the summary written to truth.json. */
export async function writeCorpus(
  dir: string,
  options: GenerateCorpusOptions,
  onProgress?: (done: number) => void,
): Promise<CorpusTruthSummary> {
  mkdirSync(dir, { recursive: true });
  const files = corpusFiles(dir);
  const tmp = (path: string): string => `${path}.${process.pid}.tmp`;
  const corpus = createWriteStream(tmp(files.corpus));
  const truthLines = createWriteStream(tmp(files.truthLines));
  const summary: CorpusTruthSummary = {
    ...corpusHeader(options),
    format:
      'corpus.jsonl: one ingestion document per line. truth.jsonl: one line per document, same order: ' +
      '{id, class, source_type, format, mentions: [{org, via, class}] (class: the document class for its ' +
      'targets, chatter for an organization named in passing), ' +
      'traps: [{org, kind, text}] (must not match), entities: [[type, value, valid]] (valid=false must not be ' +
      'reported), duplicate_of?}. ' +
      'organizations[].exposure: the classes each organization may be mentioned in (none: never mentioned) ' +
      'and its relative heat.',
    files: { corpus: 'corpus.jsonl', truthLines: 'truth.jsonl' },
    documentsByClass: {},
    mentions: 0,
    mentionsByOrganization: {},
    traps: 0,
    entities: { valid: 0, invalid: 0 },
    duplicates: 0,
  };
  try {
    // Lines are gathered into ~1 MB chunks: one write per chunk keeps a million documents fast.
    let corpusChunk = '';
    let truthChunk = '';
    let done = 0;
    for (const { document, truth } of generateCorpus(options)) {
      corpusChunk += `${JSON.stringify(document)}\n`;
      truthChunk += `${JSON.stringify(truth)}\n`;
      tally(summary, truth);
      done += 1;
      if (corpusChunk.length > 1 << 20) {
        await write(corpus, corpusChunk);
        await write(truthLines, truthChunk);
        corpusChunk = '';
        truthChunk = '';
        onProgress?.(done);
      }
    }
    await write(corpus, corpusChunk);
    await write(truthLines, truthChunk);
    await close(corpus);
    await close(truthLines);
    onProgress?.(done);
  } catch (error) {
    corpus.destroy();
    truthLines.destroy();
    rmSync(tmp(files.corpus), { force: true });
    rmSync(tmp(files.truthLines), { force: true });
    throw error;
  }
  renameSync(tmp(files.corpus), files.corpus);
  renameSync(tmp(files.truthLines), files.truthLines);
  const truthTmp = tmp(files.truth);
  const out = createWriteStream(truthTmp);
  await write(out, `${JSON.stringify(summary, null, 2)}\n`);
  await close(out);
  renameSync(truthTmp, files.truth);
  return summary;
}

function tally(summary: CorpusTruthSummary, truth: DocumentTruth): void {
  const cls: DocumentClass = truth.class;
  summary.documentsByClass[cls] = (summary.documentsByClass[cls] ?? 0) + 1;
  summary.mentions += truth.mentions.length;
  for (const { org, class: mentionClass } of truth.mentions) {
    const byOrg = summary.mentionsByOrganization;
    // Own keys only: a name such as "constructor" must not find Object.prototype's.
    const byClass = Object.hasOwn(byOrg, org) ? byOrg[org]! : (byOrg[org] = {});
    byClass[mentionClass] = (byClass[mentionClass] ?? 0) + 1;
  }
  summary.traps += truth.traps.length;
  for (const [, , valid] of truth.entities) summary.entities[valid ? 'valid' : 'invalid'] += 1;
  if (truth.duplicate_of !== undefined) summary.duplicates += 1;
}

/** Reads truth.json. */
export function readCorpusSummary(dir: string): CorpusTruthSummary {
  return JSON.parse(readFileSync(corpusFiles(dir).truth, 'utf8')) as CorpusTruthSummary;
}

/** Streams truth.jsonl, one DocumentTruth at a time. */
export async function* readCorpusTruth(dir: string): AsyncGenerator<DocumentTruth> {
  const lines = createInterface({ input: createReadStream(corpusFiles(dir).truthLines, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim() !== '') yield JSON.parse(line) as DocumentTruth;
}
