/**
 * `--exclude FILE`: address ranges (CIDRs or single addresses) and domain suffixes a scan never
 * contacts. One entry a line, `#` starts a comment. A bad line is an error that names the line, so a
 * typo cannot silently leave a network open to the scan.
 */
import ipaddr from 'ipaddr.js';
import { isAtOrBelow, canonicalName } from '../core/names.js';
import { AppError } from '../core/errors.js';

/** Exclusions as plain data (they cross to scan worker threads). */
export interface Exclusions {
  /** Normalized CIDRs, e.g. "10.0.0.0/8", "2001:db8::/32". */
  cidrs: string[];
  /** Lower-case domain names without trailing dot; the name and everything below it are excluded. */
  suffixes: string[];
}

export class ExclusionFileError extends AppError {
  override readonly name = 'ExclusionFileError';
  readonly code = 'exclusion-file-invalid';
}

const DOMAIN_SUFFIX = /^(?:\*\.)?(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)*(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Parses the text of an exclusion file; throws ExclusionFileError naming the first bad lines. */
export function parseExclusions(text: string): Exclusions {
  const cidrs: string[] = [];
  const suffixes: string[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const cidr = parseCidrOrAddress(line);
    if (cidr !== undefined) {
      cidrs.push(cidr);
      return;
    }
    const name = canonicalName(line);
    if (DOMAIN_SUFFIX.test(name) && !/^[0-9.]+$/.test(name)) {
      suffixes.push(name.replace(/^\*\./, ''));
      return;
    }
    problems.push(`line ${index + 1}: "${line.slice(0, 80)}" is neither a CIDR, an IP address nor a domain suffix`);
  });
  if (problems.length > 0) {
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new ExclusionFileError(`${problems.slice(0, 5).join('; ')}${more}`);
  }
  return { cidrs, suffixes };
}

function parseCidrOrAddress(text: string): string | undefined {
  try {
    if (text.includes('/')) {
      const [address, prefix] = ipaddr.parseCIDR(text);
      return `${address.toString()}/${prefix}`;
    }
    const address = ipaddr.parse(text);
    return `${address.toString()}/${address.kind() === 'ipv4' ? 32 : 128}`;
  } catch {
    return undefined;
  }
}

/** The exclusion entry that covers `address`, or undefined. IPv4-mapped addresses match IPv4 entries. */
export function excludedAddressRule(
  address: string,
  cidrs: ReadonlyArray<{ text: string; range: [ipaddr.IPv4 | ipaddr.IPv6, number] }>,
): string | undefined {
  if (cidrs.length === 0) return undefined;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address.replace(/%.*$/, ''));
  } catch {
    return undefined;
  }
  for (const { text, range } of cidrs) {
    if (range[0].kind() === parsed.kind() && parsed.match(range as [typeof parsed, number])) return text;
  }
  return undefined;
}

/** The excluded suffix `name` is at or below, or undefined. */
export function excludedNameRule(name: string, exclusions: Exclusions): string | undefined {
  return exclusions.suffixes.find((suffix) => isAtOrBelow(name, suffix));
}
