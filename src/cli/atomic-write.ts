/**
 * `-o FILE`: output goes to a temporary file in the same folder and is renamed over FILE only when it
 * is complete, so a reader (or a CI step) never sees half a document, and an interrupted or failed run
 * (Ctrl-C, SIGTERM, an error) leaves an existing FILE as it was and no temporary file behind.
 */
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { CliError } from './errors.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export class AtomicFile {
  private fd: number | null;
  private readonly temporary: string;
  private state: 'open' | 'committed' | 'discarded' = 'open';
  private readonly onSignal = (signal: NodeJS.Signals): void => this.interrupted(signal);
  private readonly onExit = (): void => this.discard();

  /** Creates the temporary file next to `path` (fails early if the folder is missing or not writable). */
  constructor(
    readonly path: string,
    flag = '-o',
  ) {
    this.temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.fd = openSync(this.temporary, 'wx', 0o666);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'no such folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
      throw new CliError(`${flag} ${path}: cannot write there (${why})`);
    }
    // A file being replaced keeps its permissions.
    try {
      chmodSync(this.temporary, statSync(path).mode & 0o7777);
    } catch {
      // No file to replace yet: the new one gets the usual permissions (0666 less the umask).
    }
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
    process.on('exit', this.onExit);
  }

  write(text: string | Uint8Array): void {
    if (this.fd === null) return;
    if (typeof text === 'string') writeSync(this.fd, text);
    else for (let done = 0; done < text.length; ) done += writeSync(this.fd, text, done);
  }

  /** Flushes the temporary file to disk and renames it over the target; throws if the run was interrupted. */
  commit(): void {
    if (this.state !== 'open' || this.fd === null) throw new CliError(`${this.path} not written: interrupted`);
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.temporary, this.path);
    this.state = 'committed';
    this.stopListening();
  }

  /** Removes the temporary file; the target stays as it was. Safe to call more than once. */
  discard(): void {
    if (this.state !== 'open') return;
    this.state = 'discarded';
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    try {
      unlinkSync(this.temporary);
    } catch {
      // Already gone.
    }
    this.stopListening();
  }

  private interrupted(signal: NodeJS.Signals): void {
    this.discard();
    // When nothing else handles the signal, end the process as the signal would have (exit 130 for Ctrl-C).
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }

  private stopListening(): void {
    for (const signal of SIGNALS) process.off(signal, this.onSignal);
    process.off('exit', this.onExit);
  }
}
