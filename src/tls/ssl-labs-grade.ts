/**
 * An endpoint's grade by the Qualys SSL Labs SSL Server Rating Guide (version 2009r, with the grading
 * changes SSL Labs announced since; method and sources in docs/tls.md): a score from protocol support
 * (30%), key exchange (30%) and cipher strength (40%), a letter from the score, then caps, each with its
 * reason; T when the certificate is not trusted, M when it does not name the host; A+ for an A with HSTS of
 * at least six months and no warning (the HSTS the endpoint sent comes in through `hsts`). Pure: it reads
 * what the probes saw.
 */
import { cipherSuite, suiteClasses, type TlsVersion } from './cipher-suites.js';

export type Letter = 'A+' | 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
export type Grade = Letter | 'T' | 'M';

/** What the grade reads of an endpoint (the TLS probe's observation has this shape). */
export interface GradeInput {
  versions: ReadonlyArray<{
    version: TlsVersion;
    supported: boolean;
    suites: ReadonlyArray<{
      code: number;
      keyExchange:
        | { kind: 'ecdhe'; rsaEquivalentBits: number | null }
        | { kind: 'dhe'; bits: number }
        | { kind: 'rsa' }
        | { kind: 'other' };
    }>;
  }>;
  /** The leaf's key, for RSA key exchange and the key-size cap. */
  certificate: { keyType: string; keyBits: number } | null;
  /** The chain leads to a trust anchor, the leaf is in its validity period. */
  trusted: boolean;
  /** The leaf names the host (RFC 6125). */
  nameMatches: boolean;
  /** Strict-Transport-Security as the web probe saw it; null when none; undefined when not looked at. */
  hsts?: { maxAgeSeconds: number } | null;
  /** What SSL Labs warns about without capping the grade (an incomplete chain): any of them withholds A+. */
  warnings?: readonly string[];
}

export interface GradeCap {
  grade: Letter;
  reason: string;
}

export interface SslLabsGrade {
  grade: Grade;
  /** The grade with trust and name problems set aside (what SSL Labs shows beside T and M). */
  gradeIgnoringTrust: Letter;
  score: number;
  protocolScore: number;
  keyExchangeScore: number;
  cipherScore: number;
  /** Every cap that applied, the lowest first. */
  caps: GradeCap[];
}

/** Table 1 of the guide. */
const PROTOCOL_SCORES: Readonly<Record<TlsVersion, number>> = {
  SSLv2: 0,
  SSLv3: 80,
  'TLSv1.0': 90,
  'TLSv1.1': 95,
  'TLSv1.2': 100,
  'TLSv1.3': 100,
};

/** Table 2: key exchange (key or DH parameter strength in bits; anonymous is 0). */
export function keyExchangeScore(bits: number | null, anonymous = false): number {
  if (anonymous || bits === null || bits <= 0) return 0;
  if (bits < 512) return 20;
  if (bits < 1024) return 40;
  if (bits < 2048) return 80;
  if (bits < 4096) return 90;
  return 100;
}

/** Table 3: cipher strength by key bits. */
export function cipherScore(bits: number): number {
  if (bits <= 0) return 0;
  if (bits < 128) return 20;
  if (bits < 256) return 80;
  return 100;
}

/** Table 4: the letter for a score. */
export function letterForScore(score: number): Letter {
  if (score >= 80) return 'A';
  if (score >= 65) return 'B';
  if (score >= 50) return 'C';
  if (score >= 35) return 'D';
  if (score >= 20) return 'E';
  return 'F';
}

const ORDER: readonly Letter[] = ['A+', 'A', 'B', 'C', 'D', 'E', 'F'];
const worse = (a: Letter, b: Letter): Letter => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

/** HSTS max-age SSL Labs requires for A+ (six months, as the HSTS preload list asks). */
export const HSTS_A_PLUS_SECONDS = 15_552_000;

/** Null when the endpoint accepted no version: nothing to grade. */
export function sslLabsGrade(input: GradeInput): SslLabsGrade | null {
  const supported = input.versions.filter((v) => v.supported);
  if (supported.length === 0) return null;
  const protocolScores = supported.map((v) => PROTOCOL_SCORES[v.version]);
  const protocol = (Math.max(...protocolScores) + Math.min(...protocolScores)) / 2;

  const certificateBits = input.certificate?.keyBits ?? null;
  const certificateStrength = input.certificate ? rsaEquivalent(input.certificate) : null;
  const suites = supported.flatMap((v) =>
    v.suites.map((s) => ({ version: v.version, seen: s, suite: cipherSuite(s.code, v.version === 'SSLv2') })),
  );
  const kxScores = suites.map(({ seen, suite }) => {
    const classes = suite ? suiteClasses(suite) : null;
    if (classes?.anonymous) return 0;
    if (suite?.export) return 40;
    const kx = seen.keyExchange;
    // A group Vitals does not know is taken as at least as strong as a 2048-bit key.
    if (kx.kind === 'ecdhe') return keyExchangeScore(kx.rsaEquivalentBits ?? 2048);
    if (kx.kind === 'dhe') return keyExchangeScore(kx.bits);
    return keyExchangeScore(certificateStrength);
  });
  const keyExchange = kxScores.length > 0 ? Math.min(...kxScores) : 0;
  const cipherScores = suites.map(({ suite }) => cipherScore(suite?.bits ?? 0));
  const cipher = cipherScores.length > 0 ? (Math.max(...cipherScores) + Math.min(...cipherScores)) / 2 : 0;
  const score = Math.round(protocol * 0.3 + keyExchange * 0.3 + cipher * 0.4);

  const caps: GradeCap[] = [];
  const cap = (grade: Letter, reason: string): void => {
    caps.push({ grade, reason });
  };
  const has = (v: TlsVersion): boolean => supported.some((s) => s.version === v);
  const classes = suites.map(({ suite }) => (suite ? suiteClasses(suite) : null));
  if (has('SSLv2')) cap('F', 'SSL 2.0 is accepted (insecure protocol)');
  if (classes.some((c) => c?.export)) cap('F', 'export cipher suites are accepted (FREAK, Logjam)');
  if (classes.some((c) => c?.null)) cap('F', 'NULL cipher suites are accepted (no encryption)');
  if (classes.some((c) => c?.anonymous)) cap('F', 'anonymous cipher suites are accepted (no authentication)');
  if (has('SSLv3')) cap('C', 'SSL 3.0 is accepted (POODLE)');
  if (classes.some((c) => c?.rc4)) cap('C', 'RC4 cipher suites are accepted');
  if (!has('TLSv1.2') && !has('TLSv1.3')) cap('C', 'neither TLS 1.2 nor TLS 1.3 is supported');
  if (has('TLSv1.0') || has('TLSv1.1')) cap('B', 'TLS 1.0 or TLS 1.1 is accepted (deprecated by RFC 8996)');
  if (!classes.some((c) => c?.forwardSecrecy)) cap('B', 'no forward secrecy (no ECDHE or DHE suite, no TLS 1.3)');
  if (!classes.some((c) => c?.aead)) cap('B', 'no AEAD cipher suite (AES-GCM, ChaCha20-Poly1305)');
  if (input.certificate && certificateBits !== null && weakCertificateKey(input.certificate))
    cap('B', `the certificate key is weak (${input.certificate.keyType.toUpperCase()} ${certificateBits} bits)`);
  if (suites.some(({ seen }) => seen.keyExchange.kind === 'dhe' && seen.keyExchange.bits < 2048))
    cap('B', 'Diffie-Hellman parameters under 2048 bits');

  let letter = letterForScore(score);
  for (const c of caps) letter = worse(letter, c.grade);
  const warned = (input.warnings?.length ?? 0) > 0;
  if (letter === 'A' && !warned && input.hsts && input.hsts.maxAgeSeconds >= HSTS_A_PLUS_SECONDS) letter = 'A+';
  caps.sort((a, b) => ORDER.indexOf(b.grade) - ORDER.indexOf(a.grade));
  const grade: Grade = !input.trusted ? 'T' : !input.nameMatches ? 'M' : letter;
  return {
    grade,
    gradeIgnoringTrust: letter,
    score,
    protocolScore: protocol,
    keyExchangeScore: keyExchange,
    cipherScore: cipher,
    caps,
  };
}

/** A certificate key's strength in RSA-equivalent bits (NIST SP 800-57 part 1, table 2). */
function rsaEquivalent(certificate: { keyType: string; keyBits: number }): number {
  if (certificate.keyType !== 'ec') return certificate.keyBits;
  if (certificate.keyBits >= 512) return 15360;
  if (certificate.keyBits >= 384) return 7680;
  if (certificate.keyBits >= 256) return 3072;
  if (certificate.keyBits >= 224) return 2048;
  return 1024;
}

/** RSA and DSA under 2048 bits, EC under 256 (NIST SP 800-57 part 1: under 112- and 128-bit security). */
export function weakCertificateKey(certificate: { keyType: string; keyBits: number }): boolean {
  if (certificate.keyType === 'rsa' || certificate.keyType === 'dsa') return certificate.keyBits < 2048;
  if (certificate.keyType === 'ec') return certificate.keyBits < 256;
  return false;
}
