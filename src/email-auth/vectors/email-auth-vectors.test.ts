/**
 * Public DMARC and DKIM key-record test vectors (vendored with their licences under test/fixtures/dmarc/
 * and test/fixtures/dkim/; docs/email-auth-vectors.md says where each set comes from): every vector runs
 * through Vitals' parsers. A vector either agrees with the verdict its source expects, or is listed in
 * KNOWN_DIFFERENCES with the RFC text that makes Vitals' verdict the right one; a listed vector that
 * starts agreeing fails too, so the list never goes stale.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { type DkimKey, parseDkimKey } from '../dkim.js';
import { parseDmarc } from '../dmarc.js';

const FIXTURES = new URL('../../../../test/fixtures/', import.meta.url);

interface VectorSet<E> {
  source: { repository: string; commit: string };
  vectors: Array<{ record?: string; file?: string; expect: E; origin: string }>;
}

interface DmarcExpectation {
  valid: boolean;
  policy?: string;
  pct?: number;
  rua?: string[];
}

interface DkimExpectation {
  usable: boolean;
  keyType?: 'rsa' | 'ed25519';
  minBits?: number;
}

function loadSet<E>(dir: string): Array<{ record: string; expect: E; origin: string }> {
  const set = JSON.parse(readFileSync(new URL(`${dir}/vectors.json`, FIXTURES), 'utf8')) as VectorSet<E>;
  return set.vectors.map((v) => ({
    // A data file holds one TXT record; its trailing newline is the file's, not the record's.
    record: v.record ?? readFileSync(new URL(`${dir}/${v.file}`, FIXTURES), 'utf8').replace(/\r?\n$/, ''),
    expect: v.expect,
    origin: v.origin,
  }));
}

/**
 * Vectors whose source expects another verdict than RFC 7489 gives. Mail::DMARC is a receiver: it
 * accepts what it can act on and checks report formats and URI schemes against what it implements.
 */
export const KNOWN_DIFFERENCES: Record<string, string> = {
  'v=dmarc1; p=none':
    'RFC 7489 6.4 spells the version value as %x44 %x4d %x41 %x52 %x43 %x31: "DMARC1" is case-sensitive',
  'v=DMARC1\\; p=reject\\;':
    'a backslash is part of the TXT data: the version value "DMARC1\\" is not DMARC1 (RFC 7489 6.4)',
  'v=DMARC1; p=none; rf=rfrf':
    'RFC 7489 6.4: dmarc-rfmt is a list of Keywords; an unknown report format is not a syntax error',
  'v=DMARC1; p=none; rf=rfrf2': 'as rf=rfrf: dmarc-rfmt accepts any Keyword (RFC 7489 6.4)',
  'v=DMARC1; p=none; rf=iodef2': 'as rf=rfrf: dmarc-rfmt accepts any Keyword (RFC 7489 6.4)',
  'v=DMARC1; p=none; rua=ftp://example.com/pub':
    'RFC 7489 6.3: "Any valid URI can be specified" in rua; a receiver not supporting a scheme ignores it',
  'v=DMARC1; p=none; rua=torrent://piratebay.net/dmarc': 'as rua=ftp:: any valid URI (RFC 7489 6.3, 6.4)',
  'v=DMARC1; p=none; ruf=mail:msimerson@cnap.org': 'as rua=ftp:: any valid URI (RFC 7489 6.3, 6.4)',
};

function dmarcVerdictDiffers(record: string, expect: DmarcExpectation): string | null {
  const parsed = parseDmarc(record);
  if (parsed.valid !== expect.valid) {
    return `valid: expected ${expect.valid}, Vitals says ${parsed.valid} (${parsed.errors.join('; ') || 'no errors'})`;
  }
  if (expect.policy !== undefined && parsed.policy !== expect.policy) return `policy ${parsed.policy}`;
  if (expect.pct !== undefined && parsed.pct !== expect.pct) return `pct ${parsed.pct}`;
  if (expect.rua !== undefined && JSON.stringify(parsed.rua) !== JSON.stringify(expect.rua)) {
    return `rua ${JSON.stringify(parsed.rua)}`;
  }
  return null;
}

function dkimVerdictDiffers(key: DkimKey | null, expect: DkimExpectation): string | null {
  const usable = key !== null && (key.kind === 'rsa' || key.kind === 'ed25519');
  if (usable !== expect.usable) return `usable: expected ${expect.usable}, Vitals says ${JSON.stringify(key)}`;
  if (expect.keyType !== undefined && key?.kind !== expect.keyType) return `key type ${key?.kind}`;
  if (expect.minBits !== undefined && !(key?.kind === 'rsa' && key.bits >= expect.minBits)) {
    return `expected at least ${expect.minBits} bits, Vitals says ${JSON.stringify(key)}`;
  }
  return null;
}

const DMARC_SETS = ['dmarc/mail-dmarc', 'dmarc/internet-nl'] as const;
const DKIM_SETS = ['dkim/dkimpy'] as const;

test('the vendored vector sets are complete', () => {
  assert.equal(loadSet('dmarc/mail-dmarc').length, 85);
  assert.equal(loadSet('dmarc/internet-nl').length, 3);
  assert.equal(loadSet('dkim/dkimpy').length, 10);
});

for (const dir of DMARC_SETS) {
  describe(`DMARC vectors: ${dir}`, () => {
    for (const v of loadSet<DmarcExpectation>(dir)) {
      test(`${v.record} (${v.origin})`, () => {
        const difference = dmarcVerdictDiffers(v.record, v.expect);
        const known = KNOWN_DIFFERENCES[v.record];
        if (known) assert.ok(difference, `listed as a known difference but Vitals agrees: ${known}`);
        else assert.equal(difference, null, `Vitals disagrees with the vector: ${difference}`);
      });
    }
  });
}

for (const dir of DKIM_SETS) {
  describe(`DKIM key-record vectors: ${dir}`, () => {
    for (const v of loadSet<DkimExpectation>(dir)) {
      test(`${v.record.slice(0, 60)} (${v.origin})`, () => {
        const difference = dkimVerdictDiffers(parseDkimKey(v.record), v.expect);
        assert.equal(difference, null, `Vitals disagrees with the vector: ${difference}`);
      });
    }
  });
}
