/** Reads a feed file from disk under its size cap and parses it (feed-file.ts). */
import { basename, extname } from 'node:path';
import { FILE_CAPS, readCappedTextFile } from '../../core/capped-file.js';
import { AppError } from '../../core/errors.js';
import { FeedImportError, parseFeedText, toFeedImport, type FeedImport } from './feed-file.js';
import type { FeedFormat } from './feed-types.js';

/** The default feed name of a file: its base name without the extension (`firehol_level1`). */
export function feedNameOf(path: string): string {
  return basename(path, extname(path));
}

export function readFeedFile(
  path: string,
  options: { name?: string; category?: string; format?: FeedFormat; now: Date },
): FeedImport {
  let text: string;
  try {
    text = readCappedTextFile(path, FILE_CAPS.feed, 'feed file');
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new FeedImportError(
      `${path}: cannot read the file: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const name = (options.name ?? feedNameOf(path)).trim();
  if (!/^[\w.@+-]{1,100}$/.test(name))
    throw new FeedImportError(`feed name "${name}" must be 1 to 100 letters, digits or . _ - @ + (give --name)`);
  return toFeedImport(path, parseFeedText(text, options.format), {
    name,
    now: options.now,
    ...(options.category !== undefined ? { category: options.category } : {}),
  });
}
