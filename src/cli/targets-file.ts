/**
 * Targets the way scanner users hand them over (nmap -iL, nuclei -l): a file with one domain per line,
 * `#` starting a comment, blank lines ignored; `-` means standard input, either as the file
 * (`-l -`) or as a target on the command line (`vitals scan -`). Every bad line is reported with its
 * number before any work starts.
 */
import { describeBytes, FILE_CAPS } from '../core/capped-file.js';
import { AppError } from '../core/errors.js';
import { normalizeDomain } from '../core/names.js';
import { CliError } from './errors.js';
import { readInputFile } from './options.js';

/** At most this many bad lines are listed; the rest are counted. */
const LISTED_PROBLEMS = 20;

/** Where the name `-` reads from; a parameter so tests can hand in text. */
export type StdinReader = () => Promise<string>;

/** The domains of a target list, normalized, in file order, without duplicates; throws listing every bad line. */
export function parseTargetList(text: string, source: string): string[] {
  const domains = new Set<string>();
  const problems: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const hash = raw.indexOf('#');
    const entry = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    if (entry === '') continue;
    try {
      domains.add(normalizeDomain(entry));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push(`line ${index + 1}: ${error.message}`);
    }
  }
  if (problems.length > 0) {
    const listed = problems.slice(0, LISTED_PROBLEMS).map((p) => `\n  ${p}`);
    const more = problems.length > LISTED_PROBLEMS ? `\n  ... and ${problems.length - LISTED_PROBLEMS} more` : '';
    throw new CliError(
      `${source}: ${problems.length} bad ${problems.length === 1 ? 'line' : 'lines'}:${listed.join('')}${more}`,
    );
  }
  return [...domains];
}

/** Reads all of standard input as UTF-8 text, up to the size cap of target lists. */
export async function readStandardInput(cap: number = FILE_CAPS.list): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > cap) throw new CliError(`standard input holds more than ${describeBytes(cap)}, the size cap of a list`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The domains to scan from the command line: `args` (where `-` stands for standard input) and the
 * `-l FILE` list (where `-` is standard input too). Standard input is read once, whichever asks for it.
 */
export async function collectTargetDomains(
  args: readonly string[],
  listFile: string | undefined,
  readStdin: StdinReader = readStandardInput,
): Promise<string[]> {
  let stdinText: Promise<string> | undefined;
  const stdin = (): Promise<string> => (stdinText ??= readStdin());
  const domains = new Set<string>();
  for (const arg of args) {
    if (arg !== '-') {
      domains.add(normalizeDomain(arg));
      continue;
    }
    const fromStdin = parseTargetList(await stdin(), 'standard input');
    if (fromStdin.length === 0) throw new CliError('standard input: no targets in it (only blank lines or comments)');
    for (const d of fromStdin) domains.add(d);
  }
  if (listFile !== undefined) {
    const fromList =
      listFile === '-'
        ? parseTargetList(await stdin(), '-l standard input')
        : parseTargetList(readInputFile(listFile, FILE_CAPS.list, '-l'), `-l ${listFile}`);
    if (fromList.length === 0) throw new CliError(`-l ${listFile}: no targets in it (only blank lines or comments)`);
    for (const d of fromList) domains.add(d);
  }
  return [...domains];
}
