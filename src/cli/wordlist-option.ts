/** `vitals scan --wordlist FILE` / `--no-wordlist`: which host labels discovery tries. */
import { DEFAULT_WORDLIST } from '../probes/dns/wordlist.js';
import { withContext } from '../core/errors.js';
import { describeSkipped, readWordlistFile } from '../probes/dns/wordlist-file.js';

export interface WordlistChoice {
  /** Labels to try; null when the wordlist is off. */
  labels: readonly string[] | null;
  /** The file the labels came from, or null for the built-in list (or none). */
  file: string | null;
  /** A warning about skipped lines, to print on standard error. */
  warning: string | null;
}

/** Maps the option (commander gives a path, `false` for `--no-wordlist`, or nothing) onto labels. */
export function chooseWordlist(option: string | boolean | undefined): WordlistChoice {
  if (option === false) return { labels: null, file: null, warning: null };
  if (typeof option !== 'string') return { labels: DEFAULT_WORDLIST, file: null, warning: null };
  try {
    const parsed = readWordlistFile(option);
    const skipped = describeSkipped(parsed);
    return { labels: parsed.labels, file: option, warning: skipped ? `--wordlist ${option}: ${skipped}` : null };
  } catch (error) {
    throw withContext(error, '--wordlist ');
  }
}
