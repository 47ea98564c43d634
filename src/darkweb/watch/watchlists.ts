/**
 * Creating watchlists: one of an organization, a term or a regular expression, validated before it
 * is stored (a regex RE2 refuses, or a webhook URL that is not http/https, never reaches the store).
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/database.js';
import type { Watchlist, WatchlistInput } from '../../core/alerts.js';
import { normalizeTerm, regexMatcher } from './matchers.js';
import { validateWebhookUrl } from './webhook.js';
import { AppError } from '../../core/errors.js';

/** A watchlist request that cannot be honoured; the message says why. */
export class WatchlistError extends AppError {
  override readonly name = 'WatchlistError';
  readonly code = 'watchlist-invalid';
}

/** What to watch (exactly one of org, term, regex) and where to send alerts. */
export interface AddWatchlistRequest {
  /** Organization name or alias: alerts on its dark-web mentions. */
  org?: string;
  /** Word or phrase, matched case-insensitively on word boundaries in title and text. */
  term?: string;
  /** Regular expression (RE2 syntax), matched in title and text. */
  regex?: string;
  /** Case-insensitive regex. */
  ignoreCase?: boolean;
  /** Defaults to `org:NAME`, `term:TEXT` or `regex:SOURCE`. */
  name?: string;
  webhook?: string;
  /** HMAC key for `X-Vitals-Signature`; generated when a webhook is given without one. */
  secret?: string;
  /** Skip documents already stored: alert only on documents ingested from now on. */
  onlyNew?: boolean;
  now?: Date;
}

/** The watchlist created, and the secret when one was generated (shown once: it is not listed again). */
export interface AddWatchlistResult {
  watchlist: Watchlist;
  generatedSecret?: string;
}

/** Shortest secret accepted: 128 bits of hex. */
export const MIN_SECRET_LENGTH = 16;
const MAX_NAME_LENGTH = 100;

/** Validate and store a watchlist; throws WatchlistError, WatchPatternError or WebhookUrlError. */
export async function addWatchlist(store: Store, request: AddWatchlistRequest): Promise<AddWatchlistResult> {
  const given = [request.org, request.term, request.regex].filter((v) => v !== undefined);
  if (given.length !== 1) throw new WatchlistError('give exactly one of --org NAME, --term TEXT or --regex RE');
  if (request.ignoreCase === true && request.regex === undefined)
    throw new WatchlistError('--ignore-case applies to --regex only (terms always ignore case)');

  let input: Omit<WatchlistInput, 'name'>;
  let defaultName: string;
  if (request.org !== undefined) {
    const organization = await store.organizations.findByNameOrAlias(request.org);
    if (organization === undefined)
      throw new WatchlistError(`no organization named "${request.org}" (see \`vitals orgs list\`)`);
    input = { kind: 'organization', pattern: organization.name, organizationId: organization.id };
    defaultName = `org:${organization.name}`;
  } else if (request.term !== undefined) {
    const term = normalizeTerm(request.term);
    input = { kind: 'term', pattern: term };
    defaultName = `term:${term}`;
  } else {
    const source = request.regex ?? '';
    const flags = request.ignoreCase === true ? 'i' : '';
    regexMatcher(source, flags); // throws WatchPatternError when RE2 refuses it
    input = { kind: 'regex', pattern: source, flags };
    defaultName = `regex:${source}`;
  }

  const name = (request.name ?? defaultName)
    .trim()
    .replace(/\s+/g, ' ')
    .slice(0, request.name === undefined ? MAX_NAME_LENGTH : undefined);
  if (name === '') throw new WatchlistError('the watchlist name is empty');
  if (name.length > MAX_NAME_LENGTH)
    throw new WatchlistError(`the watchlist name is longer than ${MAX_NAME_LENGTH} characters`);
  if (await store.alerts.getWatchlist(name)) throw new WatchlistError(`a watchlist named "${name}" already exists`);

  let generatedSecret: string | undefined;
  if (request.secret !== undefined && request.webhook === undefined)
    throw new WatchlistError('--secret needs --webhook');
  if (request.webhook !== undefined) {
    input.webhookUrl = validateWebhookUrl(request.webhook);
    if (request.secret === undefined) {
      generatedSecret = randomBytes(32).toString('hex');
      input.secret = generatedSecret;
    } else {
      if (request.secret.length < MIN_SECRET_LENGTH)
        throw new WatchlistError(`--secret must be at least ${MIN_SECRET_LENGTH} characters long`);
      input.secret = request.secret;
    }
  }
  if (request.onlyNew === true) input.startAfterSeq = await store.alerts.maxDocumentSeq();
  if (request.now !== undefined) input.now = request.now;

  const watchlist = await store.alerts.createWatchlist({ ...input, name });
  return generatedSecret === undefined ? { watchlist } : { watchlist, generatedSecret };
}
