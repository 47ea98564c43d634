/**
 * Where Vitals keeps its state, from `--home`, `VITALS_HOME` or `~/.vitals`, and the database to use:
 * PostgreSQL when `VITALS_DATABASE_URL` is set, else SQLite in the home folder.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface HomeOption {
  home?: string;
}

export function resolveHome(options: HomeOption): string {
  const chosen = options.home ?? process.env.VITALS_HOME;
  return chosen && chosen.trim() !== '' ? resolve(chosen) : join(homedir(), '.vitals');
}

export function databaseUrl(): string | undefined {
  const url = process.env.VITALS_DATABASE_URL;
  return url && url.trim() !== '' ? url.trim() : undefined;
}

/** A human description of where the data lives, for messages. */
export function describeDataLocation(home: string): string {
  const url = databaseUrl();
  if (url) return `PostgreSQL at ${redactUrl(url)} (VITALS_DATABASE_URL)`;
  return `${join(home, 'vitals.db')} (SQLite; VITALS_HOME=${home})`;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
