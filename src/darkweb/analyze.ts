/**
 * Per-document analysis: validated entities → credential sightings (password kept only as a keyed
 * hash and its length class) → organization mentions over the whole portfolio (one automaton pass) →
 * classification. Pure and synchronous, so the ingester can run it on every document of a batch.
 */
import { extractCredentials } from './extract/credential.js';
import { createHmac } from 'node:crypto';
import type { Organization } from '../core/organization.js';
import { classifyDocument } from './classify/classify.js';
import { extractEntities } from './extract/index.js';
import { bestMentions, buildOrgMatcher } from './match/org-matcher.js';
import type { OrgMatcher } from './match/org-matcher.js';
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
}

/** What analysis found in one document. */
export interface DocumentAnalysis {
  /** The text to store: the input with every credential password overwritten by `*` (same length, so offsets hold). */
  text: string;
  class: DocumentClass;
  classScore: number;
  reasons: string[];
  entities: AnalyzedEntity[];
  credentials: AnalyzedCredential[];
  mentions: AnalyzedMention[];
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

/** Overwrite each span with `*` of the same UTF-16 length, so entity offsets into the text stay valid. */
function redact(text: string, spans: readonly { start: number; end: number }[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.start < cursor) continue;
    out += text.slice(cursor, span.start) + '*'.repeat(span.end - span.start);
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

/**
 * Masks the passwords of credential pairs in `text` without the rest of the analysis: what
 * ingestion stores when analysis is off, so a password never reaches the store in clear either way.
 */
export function redactCredentialSecrets(text: string): string {
  const spans: { start: number; end: number }[] = [];
  for (const e of extractCredentials(text)) {
    if (e.secret === undefined || e.secret === '') continue;
    const offset = text.slice(e.start, e.end).lastIndexOf(e.secret);
    if (offset >= 0) spans.push({ start: e.start + offset, end: e.start + offset + e.secret.length });
  }
  return redact(text, spans);
}

/** Build an analyzer over the store's organizations (names, aliases, domains; e-mail domains = domains). */
export function createDocumentAnalyzer(
  organizations: readonly Organization[],
  credentialKey: string,
): DocumentAnalyzer {
  const matcher: OrgMatcher | undefined =
    organizations.length === 0
      ? undefined
      : buildOrgMatcher(
          organizations.map((o) => ({ name: o.name, aliases: o.aliases, domains: o.domains, sector: o.sector })),
        );
  return {
    organizationCount: organizations.length,
    analyze(doc) {
      const extracted = extractEntities(doc.text);
      const entities: AnalyzedEntity[] = [];
      const credentials: AnalyzedCredential[] = [];
      const secrets: { start: number; end: number }[] = [];
      const entityTypes = new Set<string>();
      let phiIndicators = 0;
      for (const e of extracted) {
        entityTypes.add(e.type);
        if (e.type === 'phi_indicator') phiIndicators += 1;
        // `secret` is dropped here and never leaves this function in clear.
        entities.push({ type: e.type, value: e.value, start: e.start, end: e.end, confidence: e.confidence });
        if (e.type === 'credential' && e.secret !== undefined) {
          const email = e.value.toLowerCase();
          const at = email.lastIndexOf('@');
          if (at <= 0) continue;
          credentials.push({
            email,
            domain: email.slice(at + 1),
            passwordHash: hashPassword(e.secret, credentialKey),
            passwordHint: passwordHint(e.secret),
          });
          const offset = doc.text.slice(e.start, e.end).lastIndexOf(e.secret);
          if (offset >= 0 && e.secret !== '')
            secrets.push({ start: e.start + offset, end: e.start + offset + e.secret.length });
        }
      }
      const classification = classifyDocument(
        doc.title === undefined
          ? { source_type: doc.source_type, text: doc.text }
          : { source_type: doc.source_type, title: doc.title, text: doc.text },
        { entityTypes, credentialCount: credentials.length, phiIndicators },
      );
      const mentions: AnalyzedMention[] = [];
      // Passwords are masked before matching, so no snippet (nor anything else stored) carries one.
      const redactedText = redact(doc.text, secrets);
      if (matcher !== undefined) {
        // The title names the victim on leak sites as often as the body does.
        const haystack = doc.title === undefined ? redactedText : `${doc.title}\n${redactedText}`;
        for (const m of bestMentions(matcher.match(haystack))) {
          const org = organizations[m.orgIndex];
          if (org === undefined) continue;
          mentions.push({
            organizationId: org.id,
            organizationName: org.name,
            confidence: m.confidence,
            via: m.via,
            matched: m.matched,
            snippet: m.snippet,
          });
        }
      }
      return {
        text: redactedText,
        class: classification.class,
        classScore: classification.score,
        reasons: classification.reasons,
        entities,
        credentials,
        mentions,
      };
    },
  };
}
