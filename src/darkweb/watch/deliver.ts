/**
 * Webhook delivery from the outbox: at least once, with retries, exponential backoff and jitter.
 *
 * Crash windows, and why no acknowledged alert is sent twice:
 * - The outbox row is written with the alert (same transaction), so an alert never exists without its
 *   pending delivery, and a restart finds every delivery still owed.
 * - A delivery is leased before the POST. A deliverer that dies (kill -9) holds it until the lease
 *   expires (timeout x 2 + 5 s after the current attempt), then any `watch run` takes it over.
 * - The row and the alert are marked delivered in one transaction right after a 2xx. Once that commit
 *   is done the alert is never sent again. The only window for a duplicate is between the receiver's
 *   2xx and that commit (a crash, or the database unreachable): the alert is sent again after the
 *   restart with the same `X-Vitals-Alert-Id`, which receivers use to deduplicate. Closing that window
 *   entirely would need the receiver to take part in the transaction; at-least-once plus an
 *   idempotency key is the standard contract (as with Stripe's or GitHub's webhooks).
 *
 * One slow or dead receiver cannot hold the others or the run: every receiver (webhook URL) has its own
 * lane, which sends its alerts one at a time, and lanes run side by side. Each lane has a circuit
 * breaker: after `breakerThreshold` failed attempts in a row (timeouts, refused connections, 5xx...)
 * it stops for this run, and its remaining alerts stay pending in the outbox for the next run, with
 * no attempt counted against them. A hung receiver thus costs a run about threshold x timeout.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AlertsRepo, ClaimedDelivery } from '../../store/repos/alerts.repo.js';
import { postWebhook } from './webhook.js';
import type { WebhookAttemptResult } from './webhook.js';

/** Options of a deliverer; every field has a default. */
export interface DeliveryOptions {
  /** Attempts per alert before it is marked `failed`; default 5. */
  maxAttempts?: number;
  /** Budget of one attempt (connect, send, response headers); default 10000 ms. */
  timeoutMs?: number;
  /** Delay before the second attempt; doubles each time (0.5 s, 1 s, 2 s...); default 500 ms. */
  backoffBaseMs?: number;
  /** Cap of the delay; default 30000 ms. */
  backoffMaxMs?: number;
  /**
   * Longest wait this process makes before a retry; longer ones are left to the next run. Default: 5 s (or backoffMaxMs
   * if lower).
   */
  maxInlineWaitMs?: number;
  /** Receivers served at once (each lane sends one alert at a time); default 8. */
  concurrency?: number;
  /** Failed attempts in a row that open a receiver's circuit breaker for the rest of the run; default 3. */
  breakerThreshold?: number;
  /** Source of jitter in [0, 1); default Math.random. */
  random?: () => number;
  now?: () => Date;
  /** Called after every attempt. */
  onAttempt?: (event: { alertId: string; attempt: number; result: WebhookAttemptResult }) => void;
}

/** What one run did. */
export interface DeliverySummary {
  delivered: number;
  /** Attempts exhausted in this run. */
  failed: number;
  /** Still pending (backoff longer than the inline wait, or the deliverer was stopped). */
  retryLater: number;
  /** POSTs made. */
  attempts: number;
  /** Alerts left pending, never tried in this run, because their receiver's breaker opened. */
  deferred: number;
  /** Receivers whose breaker opened, with the last error and how many of their alerts are pending. */
  unavailableReceivers: UnavailableReceiver[];
}

/** A receiver given up on for this run. */
export interface UnavailableReceiver {
  url: string;
  lastError: string;
  /** Its alerts still pending in the outbox. */
  pending: number;
}

/** The state of one receiver's lane during a run. */
interface Lane {
  url: string;
  failuresInARow: number;
  open: boolean;
  lastError: string;
  /** Alerts of this lane tried in this run and left pending (retry later). */
  leftPending: number;
}

/** Delivers due alerts until none is due; `stop` interrupts it and hands its leases back. */
export interface Deliverer {
  run(): Promise<DeliverySummary>;
  stop(): Promise<void>;
}

/**
 * Delay before attempt `failedAttempts + 1`: base x 2^(failedAttempts - 1), capped, with "equal
 * jitter" (a uniform draw in [d/2, d]) so receivers recovering from an outage are not hit by every
 * retry at the same instant while the schedule keeps its doubling shape.
 */
export function backoffDelay(
  failedAttempts: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function checkPositiveInteger(value: number, name: string, min = 1): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, not ${value}`);
  return value;
}

/** A deliverer over the outbox of `alerts`. */
export function createDeliverer(alerts: AlertsRepo, options: DeliveryOptions = {}): Deliverer {
  const maxAttempts = checkPositiveInteger(options.maxAttempts ?? 5, 'maxAttempts');
  const timeoutMs = checkPositiveInteger(options.timeoutMs ?? 10_000, 'timeoutMs');
  const backoffBaseMs = checkPositiveInteger(options.backoffBaseMs ?? 500, 'backoffBaseMs', 0);
  const backoffMaxMs = checkPositiveInteger(options.backoffMaxMs ?? 30_000, 'backoffMaxMs', 0);
  const maxInlineWaitMs = checkPositiveInteger(
    options.maxInlineWaitMs ?? Math.min(backoffMaxMs, 5000),
    'maxInlineWaitMs',
    0,
  );
  const concurrency = checkPositiveInteger(options.concurrency ?? 8, 'concurrency');
  const breakerThreshold = checkPositiveInteger(options.breakerThreshold ?? 3, 'breakerThreshold');
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  const leaseMs = timeoutMs * 2 + 5000;
  const owner = randomUUID();
  const controller = new AbortController();
  const summary: DeliverySummary = {
    delivered: 0,
    failed: 0,
    retryLater: 0,
    attempts: 0,
    deferred: 0,
    unavailableReceivers: [],
  };
  let running: Promise<DeliverySummary> | undefined;

  async function deliver(claim: ClaimedDelivery, lane: Lane): Promise<void> {
    let attempts = claim.attempts;
    for (;;) {
      if (controller.signal.aborted) {
        await alerts.releaseDelivery(claim.alertId, owner);
        summary.retryLater += 1;
        lane.leftPending += 1;
        return;
      }
      if (claim.secret === null || claim.secret === '') {
        await alerts.recordDeliveryFailure(claim.alertId, owner, {
          attempts,
          error: 'the watchlist has no signing secret',
          nextAttemptAt: now(),
          leaseUntil: null,
          final: true,
        });
        summary.failed += 1;
        return;
      }
      attempts += 1;
      summary.attempts += 1;
      const result = await postWebhook({
        url: claim.url,
        body: claim.body,
        alertId: claim.alertId,
        secret: claim.secret,
        timeoutMs,
        signal: controller.signal,
        now,
      });
      options.onAttempt?.({ alertId: claim.alertId, attempt: attempts, result });
      if (result.ok) {
        await alerts.markDelivered(claim.alertId, now());
        summary.delivered += 1;
        lane.failuresInARow = 0;
        return;
      }
      if (controller.signal.aborted) {
        // Interrupted by stop(): the receiver may or may not have it; hand it back uncounted.
        await alerts.releaseDelivery(claim.alertId, owner, `interrupted: ${result.error}`);
        summary.retryLater += 1;
        lane.leftPending += 1;
        return;
      }
      lane.failuresInARow += 1;
      lane.lastError = result.error;
      if (lane.failuresInARow >= breakerThreshold) lane.open = true;
      const final = attempts >= maxAttempts;
      const delay = Math.max(
        backoffDelay(attempts, backoffBaseMs, backoffMaxMs, random),
        Math.min(result.retryAfterMs ?? 0, backoffMaxMs),
      );
      const nextAttemptAt = new Date(now().getTime() + delay);
      // An open breaker ends the lane: the retry is left to the next run.
      const inline = !final && !lane.open && delay <= maxInlineWaitMs;
      await alerts.recordDeliveryFailure(claim.alertId, owner, {
        attempts,
        error: result.error,
        nextAttemptAt,
        leaseUntil: inline ? new Date(nextAttemptAt.getTime() + leaseMs) : null,
        final,
        now: now(),
      });
      if (final) {
        summary.failed += 1;
        return;
      }
      if (!inline) {
        summary.retryLater += 1;
        lane.leftPending += 1;
        return;
      }
      try {
        await sleep(delay, undefined, { signal: controller.signal });
      } catch {
        // stop() during the wait: the loop's first check hands the delivery back.
      }
    }
  }

  /** One receiver's alerts, one at a time, until none is due or its breaker opens. */
  async function serve(lane: Lane): Promise<void> {
    while (!controller.signal.aborted && !lane.open) {
      const claim = await alerts.claimNextDelivery(owner, now(), leaseMs, lane.url);
      if (claim === undefined) return;
      await deliver(claim, lane);
    }
  }

  /** Lanes for every receiver with due deliveries, `concurrency` at a time; receivers due later join. */
  async function serveAll(): Promise<DeliverySummary> {
    const lanes = new Map<string, Lane>();
    while (!controller.signal.aborted) {
      const fresh = (await alerts.dueReceivers(now())).filter((url) => !lanes.has(url));
      if (fresh.length === 0) break;
      const queue = fresh.map((url) => {
        const lane: Lane = { url, failuresInARow: 0, open: false, lastError: '', leftPending: 0 };
        lanes.set(url, lane);
        return lane;
      });
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          for (let lane = queue.shift(); lane !== undefined; lane = queue.shift()) await serve(lane);
        }),
      );
    }
    for (const lane of lanes.values()) {
      if (!lane.open) continue;
      const pending = await alerts.pendingDeliveries(lane.url);
      summary.deferred += Math.max(0, pending - lane.leftPending);
      summary.unavailableReceivers.push({ url: lane.url, lastError: lane.lastError, pending });
    }
    return { ...summary, unavailableReceivers: [...summary.unavailableReceivers] };
  }

  return {
    run() {
      running ??= serveAll();
      return running;
    },
    async stop() {
      controller.abort();
      await running?.catch(() => undefined);
    },
  };
}

/** Deliver every due alert once through a fresh deliverer (what `vitals darkweb watch run` does). */
export function deliverPendingAlerts(alerts: AlertsRepo, options: DeliveryOptions = {}): Promise<DeliverySummary> {
  return createDeliverer(alerts, options).run();
}
