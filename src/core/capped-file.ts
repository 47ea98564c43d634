/**
 * Files the user hands in (trust anchors, CT logs, organization lists, chat exports) are read whole, so
 * each kind has a size cap. The cap is checked on the opened descriptor (fstat, then a read that stops
 * one byte past the cap), never by a stat before the open: a file swapped or grown in between, a FIFO
 * or /dev/zero cannot make Vitals read more than the cap.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AppError } from './errors.js';

const MIB = 1024 * 1024;

/** Size caps of the files users hand in, in bytes (documented in README.md). */
export const FILE_CAPS = {
  /** DNSSEC trust anchors (`--trust-anchor`): the IANA root file is under 2 KB. */
  trustAnchor: 1 * MIB,
  /** A PEM certificate chain or key (`serve --tls-cert`, `--tls-key`): a long chain is a few tens of KB. */
  pem: 1 * MIB,
  /** Certificate Transparency names (`--ct`): crt.sh's JSON for a large organization runs to tens of MB. */
  ctLog: 64 * MIB,
  /** Organizations to import (`orgs import`, .csv or .json). */
  organizations: 20 * MIB,
  /** A Telegram Desktop export (`result.json`), parsed whole (V8 strings stop near 512 MiB). */
  telegramExport: 400 * MIB,
  /** One HTML page or text paste, ingested as one document. */
  singleDocument: 64 * MIB,
  /** Lists of targets or exclusions, one entry a line. */
  list: 16 * MIB,
  /** PEM certificates to trust (`--ca`): a full public root store is about 250 KB. */
  caBundle: 4 * MIB,
  /** A threat feed (`feeds import`): a million-entry netset is about 16 MB, URLhaus's full CSV about 100 MB. */
  feed: 256 * MIB,
  /** `vulns import`: the KEV catalog is about 1.3 MB; an NVD API 2.0 page of 2,000 CVEs tens of MB. */
  vulnerabilities: 256 * MIB,
} as const;

/** A user's file is larger than its cap. */
export class FileTooLargeError extends AppError {
  override readonly name = 'FileTooLargeError';
  readonly code = 'file-too-large';
  constructor(
    readonly path: string,
    /** The file's size; undefined for a stream, or a file that grew while read, known only to exceed the cap. */
    readonly size: number | undefined,
    readonly cap: number,
    readonly what: string,
  ) {
    super(
      size === undefined
        ? `${what} ${path} holds more than ${describeBytes(cap)}, its size cap`
        : `${what} ${path} is ${describeBytes(size)}, more than its size cap of ${describeBytes(cap)}`,
    );
  }
}

/** `20971520` → `20,971,520 bytes (20 MiB)`. */
export function describeBytes(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  if (bytes >= MIB) return `${exact} (${Number((bytes / MIB).toFixed(1))} MiB)`;
  if (bytes >= 1024) return `${exact} (${Number((bytes / 1024).toFixed(1))} KiB)`;
  return exact;
}

const CHUNK_BYTES = 1 << 20;

/** Reads `path` as UTF-8, refusing it with `FileTooLargeError` beyond `cap` bytes. `what` names it in errors. */
export function readCappedTextFile(path: string, cap: number, what: string): string {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    if (info.isFile() && info.size > cap) throw new FileTooLargeError(path, info.size, cap, what);
    // Read at most one byte past the cap: that byte tells "exactly the cap" from "more".
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, cap + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > cap) throw new FileTooLargeError(path, undefined, cap, what);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
