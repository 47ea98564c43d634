/**
 * Per-document analysis: validated entities → credential sightings (password kept only as a keyed
 * hash and its length class) → organization mentions over the whole portfolio (one automaton pass) →
 * classification. Pure and synchronous, so the ingester can run it on every document of a batch.
 */
import { createHmac } from 'node:crypto';
import { scanCredentials } from './extract/credential-layouts.js';
import type { Span } from './extract/credential-layouts.js';
import type { AliasJudgementRecord, Organization } from '../core/organization.js';
import { classifyDocument } from './classify/classify.js';
import { classesByRole, judgeRole } from './classify/mention-role.js';
import type { NamedAt } from './classify/mention-role.js';
import { patientRecordEvidence, tableCaptions } from './classify/patient-records.js';
import { extractEntities } from './extract/index.js';
import { bestMentions, buildOrgMatcher } from './match/org-matcher.js';
import type { OrgMatcher, OrgPatternInput } from './match/org-matcher.js';
import type { DocumentClass, SourceType } from './types.js';

/** An entity as stored: never the credential's secret. */
export interface AnalyzedEntity {
  type: string;
  value: string;
  start: number;
  end: number;
  confidence: number;
}

/** An e-mail seen in a credential pair. */
export interface AnalyzedCredential {
  email: string;
  domain: string;
  /** `hmac-sha256$<hex>` keyed with the install's credential key (credential-key.ts). */
  passwordHash: string;
  /** The password's length class (`8-11 characters`): no character of it. */
  passwordHint: string;
}

/** The best mention of one organization in the document. */
export interface AnalyzedMention {
  organizationId: string;
  organizationName: string;
  confidence: number;
  via: string;
  matched: string;
  snippet: string;
  /** The class for this organization: the document's for its target or owner, chatter when named in passing. */
  class: DocumentClass;
  /** Why: the organization's role, then the features that decided the document's class. */
  reasons: string[];
}

/** What analysis found in one document. */
export interface DocumentAnalysis {
  /** The text to store: the input with every credential password overwritten by `*` (same length, so offsets hold). */
  text: string;
  /** The title to store, its passwords masked the same way (undefined when the document has none). */
  title?: string;
  /** Credential pairs found, in every layout (those with an e-mail login are also in `credentials`). */
  credentialPairs: number;
  class: DocumentClass;
  classScore: number;
  reasons: string[];
  entities: AnalyzedEntity[];
  credentials: AnalyzedCredential[];
  mentions: AnalyzedMention[];
  /** Aliases seen, with whether the document also names the organization unambiguously (corpus evidence). */
  aliasHits: { organizationId: string; alias: string; standalone: boolean }[];
}

/** The document fields analysis reads. */
export interface AnalysisInput {
  source_type: SourceType;
  title?: string;
  text: string;
}

/** Analyses documents against one portfolio. */
export interface DocumentAnalyzer {
  analyze(doc: AnalysisInput): DocumentAnalysis;
  /** Organizations in the portfolio. */
  readonly organizationCount: number;
}

/**
 * Keyed hash of a leaked password. HMAC-SHA256 rather than scrypt: credential dumps hold millions of
 * lines and the plaintext is already public in the dump; what matters is that the store is not a
 * plaintext copy and that equal passwords can be recognised (same key, same hash). The key is kept
 * out of the database (credential-key.ts), so the hashes alone cannot be used to test guesses.
 */
export function hashPassword(password: string, key: string): string {
  return `hmac-sha256$${createHmac('sha256', key).update(password, 'utf8').digest('hex')}`;
}

/**
 * A hint that reveals no character of the password: its length class (`under 8`, `8-11`, `12-15`
 * or `16+ characters`), enough to tell a weak password from a long one.
 */
export function passwordHint(password: string): string {
  return passwordLengthClass(Array.from(password).length);
}

/** The length class of a password of `length` characters. */
export function passwordLengthClass(length: number): string {
  if (length < 8) return 'under 8 characters';
  if (length < 12) return '8-11 characters';
  if (length < 16) return '12-15 characters';
  return '16+ characters';
}

/** Overwrite each span (sorted, disjoint) with `*` of the same UTF-16 length, so entity offsets stay valid. */
function redact(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    if (span.start < cursor) continue;
    out += text.slice(cursor, span.start) + '*'.repeat(span.end - span.start);
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

/**
 * Masks the secrets of credential pairs in `text` (every layout of credential-layouts.ts) without the
 * rest of the analysis: what ingestion applies to titles and URLs, and to the text when analysis is
 * off, so a password never reaches the store in clear either way.
 */
export function redactCredentialSecrets(text: string): string {
  return redact(text, scanCredentials(text).masks);
}

/** Build an analyzer over the store's organizations (names, aliases, domains; e-mail domains = domains). */
export function createDocumentAnalyzer(
  organizations: readonly Organization[],
  credentialKey: string,
  aliasJudgements: readonly AliasJudgementRecord[] = [],
): DocumentAnalyzer {
  const judged = new Map<string, AliasJudgementRecord[]>();
  for (const j of aliasJudgements) judged.set(j.organizationId, [...(judged.get(j.organizationId) ?? []), j]);
  const matcher: OrgMatcher | undefined =
    organizations.length === 0
      ? undefined
      : buildOrgMatcher(
          organizations.map((o) => {
            const input: OrgPatternInput = { name: o.name, aliases: o.aliases, domains: o.domains, sector: o.sector };
            // An organization without aliases has nothing to judge; one whose aliases were never judged
            // (imported by an older version) is judged by the matcher.
            const stored = judged.get(o.id);
            if (stored !== undefined || o.aliases.length === 0) input.aliasJudgements = stored ?? [];
            return input;
          }),
        );
  return {
    organizationCount: organizations.length,
    analyze(doc) {
      const scan = scanCredentials(doc.text);
      const extracted = extractEntities(doc.text, scan);
      const title = doc.title === undefined ? undefined : redactCredentialSecrets(doc.title);
      const entities: AnalyzedEntity[] = [];
      const credentials: AnalyzedCredential[] = [];
      let credentialPairs = 0;
      const entityTypes = new Set<string>();
      let phiIndicators = 0;
      for (const e of extracted) {
        entityTypes.add(e.type);
        if (e.type === 'phi_indicator') phiIndicators += 1;
        // `secret` is dropped here and never leaves this function in clear.
        entities.push({ type: e.type, value: e.value, start: e.start, end: e.end, confidence: e.confidence });
        if (e.type === 'credential' && e.secret !== undefined) {
          credentialPairs += 1;
          const email = e.value.toLowerCase();
          const at = email.lastIndexOf('@');
          if (at <= 0) continue;
          credentials.push({
            email,
            domain: email.slice(at + 1),
            passwordHash: hashPassword(e.secret, credentialKey),
            passwordHint: passwordHint(e.secret),
          });
        }
      }
      // Passwords are masked before classification and matching, so no reason, snippet (nor anything
      // else stored) carries one.
      const redactedText = redact(doc.text, scan.masks);
      const patientRecords = patientRecordEvidence(redactedText, entities);
      const classification = classifyDocument(
        title === undefined
          ? { source_type: doc.source_type, text: redactedText }
          : { source_type: doc.source_type, title, text: redactedText },
        {
          entityTypes,
          credentialCount: Math.max(credentialPairs, scan.masks.length),
          phiIndicators,
          patientRecords,
        },
      );
      const mentions: AnalyzedMention[] = [];
      const aliasHits: DocumentAnalysis['aliasHits'] = [];
      if (matcher !== undefined) {
        // The title names the victim on leak sites as often as the body does.
        const haystack = title === undefined ? redactedText : `${title}\n${redactedText}`;
        const evidence = matcher.matchWithEvidence(haystack);
        const all = evidence.mentions;
        for (const hit of evidence.aliasHits) {
          const org = organizations[hit.orgIndex];
          if (org !== undefined)
            aliasHits.push({ organizationId: org.id, alias: hit.alias, standalone: hit.standalone });
        }
        const placesByOrg = new Map<number, NamedAt[]>();
        for (const m of all) {
          const places = placesByOrg.get(m.orgIndex) ?? [];
          places.push({ start: m.start, end: m.end, via: m.via });
          placesByOrg.set(m.orgIndex, places);
        }
        const best = bestMentions(all).filter((m) => organizations[m.orgIndex] !== undefined);
        const titleLength = title === undefined ? 0 : title.length + 1;
        // The lines that state what the post is: an offer's, or the caption of patient rows
        // ("Rows from the X leak:"); an organization named there is its target or owner.
        const offer = new Set([
          ...(classification.offerLines ?? []),
          ...(classification.class === 'phi_exposure' ? tableCaptions(redactedText, patientRecords) : []),
        ]);
        const roles = best.map((m) =>
          judgeRole(haystack, titleLength, placesByOrg.get(m.orgIndex) ?? [], classification.class, offer),
        );
        const classes = classesByRole(classification.class, roles);
        best.forEach((m, i) => {
          const org = organizations[m.orgIndex]!;
          const cls = classes[i]!;
          const role = roles[i]!;
          const why =
            cls === classification.class
              ? `${cls}: ${role.reason}`
              : `${cls}: ${role.reason}, while the post is ${classification.class}`;
          mentions.push({
            organizationId: org.id,
            organizationName: org.name,
            confidence: m.confidence,
            via: m.via,
            matched: m.matched,
            snippet: m.snippet,
            class: cls,
            reasons: [why, ...classification.reasons],
          });
        });
      }
      return {
        text: redactedText,
        ...(title === undefined ? {} : { title }),
        credentialPairs,
        class: classification.class,
        classScore: classification.score,
        reasons: classification.reasons,
        entities,
        credentials,
        mentions,
        aliasHits,
      };
    },
  };
}
