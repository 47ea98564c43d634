/**
 * The home folder holds an inventory of weaknesses and dark-web intelligence: it is private to the user
 * (folders 0700, database files 0600), whichever command creates it first. The modes are set with
 * chmod after creation because the umask may be anything (a 0002 or 0000 umask would leave files
 * group- or world-readable), and folders or files left too open by an older version are tightened.
 */
import { chmodSync, closeSync, fchmodSync, fstatSync, mkdirSync, openSync, statSync } from 'node:fs';
import { AppError } from './errors.js';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The folder is shared by design (sticky, like /tmp): Vitals keeps its state in a folder of its own. */
export class SharedFolderError extends AppError {
  override readonly name = 'SharedFolderError';
  readonly code = 'shared-folder';
}

/** Create `dir` (and missing parents) if needed, and make it 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // Tightening /tmp or /var/tmp would break every other user of the machine: refuse them instead.
  if ((statSync(dir).mode & 0o1000) !== 0) {
    throw new SharedFolderError(
      `${dir} is a shared folder (sticky bit, like /tmp): choose a folder of its own as the Vitals home ` +
        '(--home or VITALS_HOME), e.g. a new folder inside it',
    );
  }
  restrict(dir, PRIVATE_DIR_MODE);
}

/** Create `file` empty with mode 0600 if it is missing, else tighten it to 0600; never truncates. */
export function ensurePrivateFile(file: string): void {
  // 'a' creates without truncating; the mode applies only to a new file and passes through the umask,
  // so the descriptor is set explicitly: there is no moment at which the file is readable by others.
  const fd = openSync(file, 'a', PRIVATE_FILE_MODE);
  try {
    if ((fstatSync(fd).mode & 0o777) !== PRIVATE_FILE_MODE) fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

/** Tighten `file` to 0600 if it exists (SQLite's `-wal` and `-shm` come and go with connections). */
export function tightenIfPresent(file: string): void {
  restrict(file, PRIVATE_FILE_MODE);
}

function restrict(path: string, mode: number): void {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (current === mode) return;
  try {
    chmodSync(path, mode);
  } catch (error) {
    // A folder or file owned by another user cannot be changed by us; it stays as its owner set it.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}
