/** Watchlists and alerts (issue #3 section 6): the public surface of src/darkweb/watch. */
export { addWatchlist, WatchlistError, MIN_SECRET_LENGTH } from './watchlists.js';
export type { AddWatchlistRequest, AddWatchlistResult } from './watchlists.js';
export { evaluateWatchlists } from './evaluate.js';
export type { AlertPayload, EvaluateOptions, WatchlistEvaluation } from './evaluate.js';
export { backoffDelay, createDeliverer, deliverPendingAlerts } from './deliver.js';
export type { Deliverer, DeliveryOptions, DeliverySummary } from './deliver.js';
export { termMatcher, regexMatcher, normalizeTerm, snippetAround, watchedText } from './matchers.js';
export type { TextMatch, TextMatcher } from './matchers.js';
export { compileSafeRegex, safeRegexAvailable, WatchPatternError, MAX_REGEX_LENGTH } from './safe-regex.js';
export {
  validateWebhookUrl,
  signWebhook,
  WEBHOOK_REPLAY_WINDOW_MS,
  verifyWebhookSignature,
  postWebhook,
  parseRetryAfter,
  WebhookUrlError,
  SIGNATURE_HEADER,
  ALERT_ID_HEADER,
  TIMESTAMP_HEADER,
} from './webhook.js';
export type { SignedWebhook, WebhookAttempt, WebhookAttemptResult } from './webhook.js';
