/**
 * Runs every dark-web entity extractor over a text and resolves overlaps, so each stretch of text is
 * claimed by the most specific identifier found there (the e-mail inside a credential line, the domain
 * inside an e-mail, the IPv4 tail of an IPv6 address are dropped in favour of the larger entity).
 * PHI indicators are annotations over other entities (a diagnosis phrase holds an ICD-10 code), so they
 * never displace, and are never displaced by, identifiers; they are only deduplicated among themselves.
 */
import { extractBitcoinAddresses } from './bitcoin.js';
import { extractCards } from './card.js';
import { extractClias } from './clia.js';
import { credentialEntities, extractCredentials } from './credential.js';
import { isEmailLogin, overlapsAny } from './credential-layouts.js';
import type { CredentialScan } from './credential-layouts.js';
import { extractCves } from './cve.js';
import { extractDeaNumbers } from './dea.js';
import { extractDomains } from './domain.js';
import { extractEmails, normalizeEmail } from './email.js';
import { extractEthereumAddresses } from './ethereum.js';
import { entityAt } from './context.js';
import { extractIcd10Codes } from './icd10.js';
import { extractIpv4 } from './ipv4.js';
import { extractIpv6 } from './ipv6.js';
import { extractMbis } from './mbi.js';
import { extractMoneroAddresses } from './monero.js';
import { extractNpis } from './npi.js';
import { extractOnions } from './onion.js';
import { extractPhiIndicators } from './phi.js';
import { extractSsns } from './ssn.js';
import type { EntityType, ExtractedEntity, Extractor } from './types.js';

export type { EntityType, ExtractedEntity, Extractor } from './types.js';
export { ENTITY_TYPES } from './types.js';

/** Every extractor, by the entity type it emits. */
export const EXTRACTORS: Readonly<Record<EntityType, Extractor>> = {
  credential: extractCredentials,
  email: extractEmails,
  domain: extractDomains,
  ipv4: extractIpv4,
  ipv6: extractIpv6,
  onion: extractOnions,
  btc: extractBitcoinAddresses,
  xmr: extractMoneroAddresses,
  eth: extractEthereumAddresses,
  card: extractCards,
  ssn: extractSsns,
  npi: extractNpis,
  dea: extractDeaNumbers,
  mbi: extractMbis,
  clia: extractClias,
  icd10: extractIcd10Codes,
  cve: extractCves,
  phi_indicator: extractPhiIndicators,
};

/**
 * Which type wins when two identifiers overlap: the more specific, more strictly validated one.
 * Checksummed identifiers beat shape-only ones; containers (credential > e-mail > domain) beat contents.
 */
const SPECIFICITY: Readonly<Record<EntityType, number>> = {
  credential: 100,
  email: 90,
  onion: 85,
  xmr: 80,
  btc: 80,
  eth: 80,
  card: 70,
  ssn: 65,
  npi: 60,
  dea: 60,
  mbi: 55,
  clia: 55,
  cve: 50,
  icd10: 45,
  ipv6: 40,
  ipv4: 35,
  domain: 30,
  phi_indicator: 0,
};

/**
 * All entities in `text`, sorted by offset, overlapping duplicates resolved (see module comment).
 * With `credentials` (the caller's scan of the same text), nothing is reported inside a secret, and
 * the e-mail login of each credential pair is reported as an `email` entity too.
 */
export function extractEntities(text: string, credentials?: CredentialScan): ExtractedEntity[] {
  const identifiers: ExtractedEntity[] = [];
  const indicators: ExtractedEntity[] = [];
  for (const [type, extract] of Object.entries(EXTRACTORS) as [EntityType, Extractor][]) {
    if (type === 'credential' && credentials !== undefined)
      identifiers.push(...credentialEntities(text, credentials.pairs));
    else (type === 'phi_indicator' ? indicators : identifiers).push(...extract(text));
  }
  const kept = [...resolveOverlaps(identifiers), ...resolveOverlaps(indicators)];
  if (credentials === undefined) return kept.sort(byPosition);
  const masks = credentials.masks;
  const inSecret = (e: ExtractedEntity): boolean => e.type !== 'credential' && overlapsAny(masks, e.start, e.end);
  const out = masks.length === 0 ? kept : kept.filter((e) => !inSecret(e));
  const emailStarts = new Set(out.filter((e) => e.type === 'email').map((e) => e.start));
  // An address written inside a pair whose login is a user name ("jdoe,jdoe@clinic.test,<hash>") is
  // the account's address: the pair contains it, it does not replace it.
  const pairsKept = out.filter((e) => e.type === 'credential');
  for (const e of identifiers) {
    if (e.type !== 'email' || emailStarts.has(e.start) || inSecret(e)) continue;
    if (!pairsKept.some((p) => overlaps(p, e))) continue;
    out.push(e);
    emailStarts.add(e.start);
  }
  for (const pair of credentials.pairs) {
    if (!isEmailLogin(pair.login) || emailStarts.has(pair.loginStart)) continue;
    const email = entityAt(
      text,
      'email',
      normalizeEmail(pair.login),
      pair.loginStart,
      pair.loginStart + pair.login.length,
      0.95,
    );
    out.push(email);
    emailStarts.add(pair.loginStart);
  }
  return out.sort(byPosition);
}

function byPosition(a: ExtractedEntity, b: ExtractedEntity): number {
  return a.start - b.start || a.end - b.end || a.type.localeCompare(b.type);
}

function preferred(a: ExtractedEntity, b: ExtractedEntity): number {
  return (
    SPECIFICITY[b.type] - SPECIFICITY[a.type] ||
    b.confidence - a.confidence ||
    b.end - b.start - (a.end - a.start) ||
    a.start - b.start
  );
}

function overlaps(a: ExtractedEntity, b: ExtractedEntity): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Keeps a set of non-overlapping entities: groups transitively overlapping ones into clusters (each
 * extractor's own matches never overlap, so clusters stay small), then within a cluster takes entities
 * in order of preference, skipping any that overlaps one already taken.
 */
export function resolveOverlaps(entities: readonly ExtractedEntity[]): ExtractedEntity[] {
  const sorted = [...entities].sort(byPosition);
  const kept: ExtractedEntity[] = [];
  let cluster: ExtractedEntity[] = [];
  let clusterEnd = -1;
  const flush = (): void => {
    const taken: ExtractedEntity[] = [];
    for (const candidate of cluster.sort(preferred)) {
      if (!taken.some((t) => overlaps(t, candidate))) taken.push(candidate);
    }
    kept.push(...taken);
    cluster = [];
  };
  for (const entity of sorted) {
    if (entity.start >= clusterEnd) flush();
    cluster.push(entity);
    clusterEnd = Math.max(clusterEnd, entity.end);
  }
  flush();
  return kept;
}
