/**
 * One webhook attempt: URL validation, the HMAC-SHA256 signature, and a bounded POST.
 *
 * Headers sent with every attempt:
 * - `X-Vitals-Timestamp`: when this attempt was sent (ISO-8601 UTC), covered by the signature.
 * - `X-Vitals-Signature: sha256=<hex>`: HMAC-SHA256 (RFC 2104), with the watchlist's secret, of the
 *   timestamp header, a `.`, and the raw body bytes. Receivers recompute it, compare in constant time,
 *   and refuse a timestamp outside the replay window (`verifyWebhookSignature`): a captured request
 *   cannot be replayed later, and its timestamp cannot be changed without breaking the signature.
 * - `X-Vitals-Alert-Id`: stable across retries; receivers deduplicate on it (delivery is at least once).
 *
 * The whole exchange (connect, send, response headers and the part of the body read) has one deadline,
 * and at most `MAX_RESPONSE_BYTES` of a response are read: a receiver that trickles its answer cannot
 * hold the run, and the socket is closed as soon as the outcome is known.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AppError } from '../../core/errors.js';

/** A webhook URL that cannot be used; the message says why. */
export class WebhookUrlError extends AppError {
  override readonly name = 'WebhookUrlError';
  readonly code = 'webhook-url-invalid';
}

/** Header carrying the body's signature. */
export const SIGNATURE_HEADER = 'X-Vitals-Signature';
/** Header carrying the alert id (stable across retries). */
export const ALERT_ID_HEADER = 'X-Vitals-Alert-Id';
/** Header carrying the attempt's send time. */
export const TIMESTAMP_HEADER = 'X-Vitals-Timestamp';

/** How far a signed timestamp may be from the receiver's clock, either way: 5 minutes. */
export const WEBHOOK_REPLAY_WINDOW_MS = 5 * 60 * 1000;

const MAX_URL_LENGTH = 2048;
/** Bytes of an error response read for the delivery's last error; then the connection is dropped. */
export const MAX_RESPONSE_BYTES = 1024;

/**
 * Validate a webhook URL: absolute http or https, a host, no user name or password (credentials in a
 * URL end up in listings and logs; the signature authenticates Vitals instead). Returns it normalized.
 */
export function validateWebhookUrl(raw: string): string {
  const text = raw.trim();
  if (text.length > MAX_URL_LENGTH)
    throw new WebhookUrlError(`webhook URL is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlError(`webhook URL "${text}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookUrlError(`webhook URL must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.hostname === '') throw new WebhookUrlError(`webhook URL "${text}" has no host`);
  if (url.username !== '' || url.password !== '') {
    throw new WebhookUrlError(
      'webhook URL must not carry a user name or password (receivers authenticate Vitals by the ' +
        'X-Vitals-Signature header)',
    );
  }
  url.hash = '';
  return url.toString();
}

/**
 * The `X-Vitals-Signature` value: `sha256=` and the hex HMAC-SHA256 with `secret` of
 * `timestamp + "." + body` (the `X-Vitals-Timestamp` value as sent, then the raw body bytes).
 */
export function signWebhook(timestamp: string, body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** What a receiver got: the raw body and the two headers. */
export interface SignedWebhook {
  body: string | Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * For receivers: true when the signature is valid for this timestamp and body (constant-time compare)
 * and the timestamp is within `windowMs` of `now` (default `WEBHOOK_REPLAY_WINDOW_MS`).
 */
export function verifyWebhookSignature(
  received: SignedWebhook,
  secret: string,
  now: Date = new Date(),
  windowMs: number = WEBHOOK_REPLAY_WINDOW_MS,
): boolean {
  const { body, timestamp, signature } = received;
  if (timestamp === undefined || signature === undefined) return false;
  const sentAt = Date.parse(timestamp);
  if (Number.isNaN(sentAt) || Math.abs(now.getTime() - sentAt) > windowMs) return false;
  const expected = Buffer.from(signWebhook(timestamp, body, secret));
  const given = Buffer.from(signature.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** How one POST went. */
export type WebhookAttemptResult =
  | { ok: true; status: number }
  | { ok: false; status?: number; error: string; retryAfterMs?: number };

/** One POST of an alert. */
export interface WebhookAttempt {
  url: string;
  body: string;
  alertId: string;
  secret: string;
  /** Whole-exchange budget: connect, send, the response headers and the part of the body read. */
  timeoutMs: number;
  signal?: AbortSignal;
  now?: () => Date;
}

/**
 * POST `body` once. 2xx means delivered; anything else (3xx included: redirects are not followed, they
 * could send the alert elsewhere) is a failure with the reason. Never throws.
 */
export function postWebhook(attempt: WebhookAttempt): Promise<WebhookAttemptResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: WebhookAttemptResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      attempt.signal?.removeEventListener('abort', onAbort);
      // The outcome is known: nothing more is read, and no socket outlives the attempt.
      request.destroy();
      resolve(result);
    };
    if (attempt.signal?.aborted) {
      resolve({ ok: false, error: 'interrupted before sending' });
      return;
    }
    const url = new URL(attempt.url);
    const payload = Buffer.from(attempt.body, 'utf8');
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const timestamp = (attempt.now?.() ?? new Date()).toISOString();
    const request = send(url, {
      method: 'POST',
      // No keep-alive: a pooled socket would keep the CLI process alive after the run.
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': String(payload.length),
        'user-agent': 'vitals-webhook/0.1',
        [SIGNATURE_HEADER]: signWebhook(timestamp, payload, attempt.secret),
        [ALERT_ID_HEADER]: attempt.alertId,
        [TIMESTAMP_HEADER]: timestamp,
      },
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({ ok: false, error: `no response within ${attempt.timeoutMs} ms` });
    }, attempt.timeoutMs);
    const onAbort = (): void => {
      request.destroy();
      finish({ ok: false, error: 'interrupted' });
    };
    attempt.signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error: Error & { code?: string }) => {
      finish({ ok: false, error: `${error.code ?? 'network error'}: ${error.message}` });
    });
    request.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status <= 299) {
        // Delivered: the body says nothing more, so none of it is read.
        finish({ ok: true, status });
        return;
      }
      const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      const failure = (body: string): WebhookAttemptResult => ({
        ok: false,
        status,
        error: body === '' ? `HTTP ${status}` : `HTTP ${status}: ${body}`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
      // Up to MAX_RESPONSE_BYTES of the error body, within the same deadline, for the delivery's last error.
      readCapped(response, (body) => finish(failure(body)));
    });
    request.end(payload);
  });
}

/** Reads at most MAX_RESPONSE_BYTES of `response`, then calls `done` with them as one line of text. */
function readCapped(response: IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  const end = (): void => {
    const text = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
    done(text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim());
  };
  response.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    received += chunk.length;
    if (received >= MAX_RESPONSE_BYTES) end();
  });
  response.on('end', end);
  response.on('error', end);
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 section 10.2.3), in ms; undefined if absent or invalid. */
export function parseRetryAfter(value: string | string[] | undefined, now: Date = new Date()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}
