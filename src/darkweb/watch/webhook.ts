/**
 * One webhook attempt: URL validation, the HMAC-SHA256 signature, and a bounded POST.
 *
 * Headers sent with every attempt:
 * - `X-Vitals-Signature: sha256=<hex>`: HMAC-SHA256 (RFC 2104) of the raw body bytes with the
 *   watchlist's secret; receivers recompute it and compare in constant time (`verifyWebhookSignature`).
 * - `X-Vitals-Alert-Id`: stable across retries; receivers deduplicate on it (delivery is at least once).
 * - `X-Vitals-Timestamp`: when this attempt was sent (ISO-8601 UTC).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A webhook URL that cannot be used; the message says why. */
export class WebhookUrlError extends Error {
  override readonly name = 'WebhookUrlError';
}

/** Header carrying the body's signature. */
export const SIGNATURE_HEADER = 'X-Vitals-Signature';
/** Header carrying the alert id (stable across retries). */
export const ALERT_ID_HEADER = 'X-Vitals-Alert-Id';
/** Header carrying the attempt's send time. */
export const TIMESTAMP_HEADER = 'X-Vitals-Timestamp';

const MAX_URL_LENGTH = 2048;
/** Response bytes read before the connection is dropped: the status is all that matters. */
const MAX_RESPONSE_BYTES = 64 * 1024;

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
      'webhook URL must not carry a user name or password (receivers authenticate Vitals by the X-Vitals-Signature header)',
    );
  }
  url.hash = '';
  return url.toString();
}

/** The `X-Vitals-Signature` value for `body`: `sha256=` and the hex HMAC-SHA256 with `secret`. */
export function signWebhookBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** For receivers: true when `header` is the valid signature of the raw `body` (constant-time compare). */
export function verifyWebhookSignature(body: string | Buffer, secret: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signWebhookBody(body, secret));
  const given = Buffer.from(header.trim());
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
  /** Whole-exchange budget: connect, send, and the response headers. */
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
      resolve(result);
    };
    if (attempt.signal?.aborted) {
      resolve({ ok: false, error: 'interrupted before sending' });
      return;
    }
    const url = new URL(attempt.url);
    const payload = Buffer.from(attempt.body, 'utf8');
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      // No keep-alive: a pooled socket would keep the CLI process alive after the run.
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': String(payload.length),
        'user-agent': 'vitals-webhook/0.1',
        [SIGNATURE_HEADER]: signWebhookBody(payload, attempt.secret),
        [ALERT_ID_HEADER]: attempt.alertId,
        [TIMESTAMP_HEADER]: (attempt.now?.() ?? new Date()).toISOString(),
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
      drain(response);
      if (status >= 200 && status <= 299) {
        finish({ ok: true, status });
        return;
      }
      const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      finish({ ok: false, status, error: `HTTP ${status}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    });
    request.end(payload);
  });
}

/** Read and discard a bounded amount of the response, then let the socket go. */
function drain(response: IncomingMessage): void {
  let received = 0;
  response.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_RESPONSE_BYTES) response.destroy();
  });
  response.on('error', () => undefined);
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
