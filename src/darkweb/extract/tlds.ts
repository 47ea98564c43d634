/**
 * Top-level domains the extractors accept: the whole IANA root zone as the maintained `tlds` package
 * lists it (internationalized TLDs in their A-label form, `xn--…`), plus the special-use names people
 * write in examples and dumps: RFC 2606 / RFC 6761 `test`, `example`, `invalid`, `localhost`, RFC 7686
 * `onion`, and `i2p` (the Invisible Internet Project's pseudo-TLD, which dark-web posts name as often).
 * A hand-made list dropped every address under a TLD it forgot (issue #9 section 4).
 */
import { createRequire } from 'node:module';
import { domainToASCII } from 'node:url';

/** Special-use names (not in the root zone) that text uses as TLDs. */
export const SPECIAL_USE_TLDS: readonly string[] = ['test', 'example', 'invalid', 'localhost', 'onion', 'i2p'];

const ianaTlds = createRequire(import.meta.url)('tlds') as string[];

/**
 * TLDs that are also common file extensions (`setup.py`, `notes.md`, `run.sh`, `data.zip`, `clip.mov`):
 * a bare `x.md` is most likely a file, so the domain extractor needs URL context for these. `.cc` and `.ai`
 * are left out on purpose: carding shops and startups use them far more than C++ and Illustrator files
 * appear in forum text.
 */
export const FILE_LIKE_TLDS: ReadonlySet<string> = new Set([
  'py',
  'sh',
  'md',
  'rs',
  'pl',
  'ps',
  'so',
  'zip',
  'mov',
  'mk',
  'cab',
]);

/** Every TLD the extractors accept (lower case, A-labels for IDNs). */
export const KNOWN_TLDS: ReadonlySet<string> = new Set([
  ...ianaTlds.map((tld) => (/^[a-z0-9-]+$/.test(tld) ? tld : domainToASCII(tld))).filter((tld) => tld !== ''),
  ...SPECIAL_USE_TLDS,
]);

/** True when `tld` (any case; an IDN as its A-label) is in the root zone or special-use. */
export function isKnownTld(tld: string): boolean {
  return KNOWN_TLDS.has(tld.toLowerCase());
}
