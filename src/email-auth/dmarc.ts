/**
 * RFC 7489 (DMARC) record parser. Pure: takes the text of one TXT record at `_dmarc.<domain>` and
 * returns its tags, policy, pct, report URIs and every syntax error. Neutral ground: the e-mail
 * authentication probe and the DMARC check both read records through it.
 */

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface DmarcParseResult {
  valid: boolean;
  /** Tags in order, names in lower case. */
  tags: Array<{ name: string; value: string }>;
  policy?: DmarcPolicy;
  subdomainPolicy?: DmarcPolicy;
  /** Undefined when the record has no pct tag (the default is 100). */
  pct?: number;
  rua: string[];
  ruf: string[];
  errors: string[];
  /**
   * RFC 7489 6.6.3 step 6: a record without a valid `p` (missing or unknown), or with an invalid `sp`,
   * whose `rua` holds a valid reporting URI is applied by receivers as `p=none`. Set when that rule
   * applies and the policy tags are the record's only errors; `problems` names them.
   */
  appliedAsNone?: { problems: string[] };
}

/** RFC 7489 6.4: dmarc-version = "v" *WSP "=" *WSP "DMARC1" (the value is case-sensitive), then ";" or end. */
const DMARC_VERSION = /^v[ \t]*=[ \t]*DMARC1[ \t]*(;|$)/i;
const POLICIES: readonly string[] = ['none', 'quarantine', 'reject'];
/** dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ] (RFC 7489 6.4). */
const DMARC_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s,!;]+(![0-9]+[kmgtKMGT]?)?$/;

/** True for a TXT record that is a DMARC record candidate (RFC 7489 6.6.3: starts with v=DMARC1). */
export function isDmarcRecord(record: string): boolean {
  const match = DMARC_VERSION.exec(record);
  // The tag name is case-insensitive; the value "DMARC1" is not (%x44 %x4d %x41 %x52 %x43 %x31).
  return match !== null && /DMARC1/.test(record.slice(0, match[0].length));
}

/** Parses a DMARC record per RFC 7489 6.3 (tags) and 6.4 (syntax); unknown tags are ignored (6.3). */
export function parseDmarc(record: string): DmarcParseResult {
  const result: DmarcParseResult = { valid: false, tags: [], rua: [], ruf: [], errors: [] };
  if (!isDmarcRecord(record)) {
    result.errors.push('record does not start with "v=DMARC1"');
    return result;
  }
  const seen = new Set<string>();
  /** Errors about p and sp: the ones RFC 7489 6.6.3 lets a valid rua make up for. */
  const policyErrors: string[] = [];
  // Empty segments (a trailing ";" or ";;") are tolerated, as receivers do.
  const segments = record
    .split(';')
    .map((s) => s.replace(/^[ \t]+|[ \t]+$/g, ''))
    .filter((s) => s !== '');
  for (const segment of segments) {
    const eq = segment.indexOf('=');
    if (eq <= 0) {
      result.errors.push(`malformed tag "${segment}" (expected name=value)`);
      continue;
    }
    const name = segment
      .slice(0, eq)
      .replace(/[ \t]+$/, '')
      .toLowerCase();
    const value = segment.slice(eq + 1).replace(/^[ \t]+/, '');
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      result.errors.push(`malformed tag name "${name}"`);
      continue;
    }
    if (seen.has(name)) {
      result.errors.push(`tag "${name}" appears more than once`);
      continue;
    }
    seen.add(name);
    result.tags.push({ name, value });
    const error = checkDmarcTag(name, value, result);
    if (error) {
      result.errors.push(error);
      if (name === 'p' || name === 'sp') policyErrors.push(error);
    }
  }
  if (!seen.has('p')) {
    const error = 'required tag "p" is missing (RFC 7489 6.3)';
    result.errors.push(error);
    policyErrors.push(error);
  }
  result.valid = result.errors.length === 0;
  if (policyErrors.length > 0 && policyErrors.length === result.errors.length && result.rua.length > 0) {
    result.appliedAsNone = { problems: policyErrors };
  }
  return result;
}

function checkDmarcTag(name: string, value: string, result: DmarcParseResult): string | null {
  switch (name) {
    case 'v':
      return null; // checked by isDmarcRecord; it is the first tag
    case 'p':
    case 'sp': {
      const policy = value.toLowerCase();
      if (!POLICIES.includes(policy)) return `${name}="${value}" is not none, quarantine or reject`;
      if (name === 'p') result.policy = policy as DmarcPolicy;
      else result.subdomainPolicy = policy as DmarcPolicy;
      return null;
    }
    case 'pct': {
      // dmarc-percent = 1*3DIGIT, an integer 0-100 (RFC 7489 6.3).
      if (!/^[0-9]{1,3}$/.test(value) || Number(value) > 100) return `pct="${value}" is not an integer from 0 to 100`;
      result.pct = Number(value);
      return null;
    }
    case 'rua':
    case 'ruf': {
      const uris = value.split(',').map((u) => u.trim());
      if (uris.some((u) => !DMARC_URI.test(u))) return `${name}="${value}" is not a comma-separated list of URIs`;
      result[name] = uris;
      return null;
    }
    case 'adkim':
    case 'aspf':
      return /^[rs]$/i.test(value) ? null : `${name}="${value}" is not r or s`;
    case 'fo':
      return /^[01ds]([ \t]*:[ \t]*[01ds])*$/i.test(value)
        ? null
        : `fo="${value}" is not a colon-separated list of 0, 1, d, s`;
    case 'ri':
      // RFC 7489 6.3: a 32-bit unsigned integer of seconds.
      return /^[0-9]{1,10}$/.test(value) && Number(value) <= 0xffffffff
        ? null
        : `ri="${value}" is not a number of seconds (a 32-bit unsigned integer)`;
    case 'rf':
      return /^[A-Za-z0-9-]+([ \t]*:[ \t]*[A-Za-z0-9-]+)*$/.test(value)
        ? null
        : `rf="${value}" is not a colon-separated list of formats`;
    default:
      return null; // RFC 7489 6.3: unknown tags MUST be ignored
  }
}
