/**
 * The one set of scan defaults: `vitals scan` shows them in --help, the scan service and the thread
 * pool fall back on them, and the bench measures the scanner as users run it.
 */
export const SCAN_DEFAULTS = Object.freeze({
  /** Domains assessed at once. */
  concurrency: 64,
  /** Timeout of one DNS query, in milliseconds. */
  timeoutMs: 2000,
  /** Retries of a DNS query after a timeout. */
  retries: 1,
  /** Port of organizations' own name servers when queried directly. */
  nameServerPort: 53,
  /** Below this many targets one thread scans: starting threads would cost more than they save. */
  parallelMinTargets: 200,
  /** Most scan threads chosen by default (one per core up to this). */
  maxWorkers: 4,
  /** The start-up test of the resolver waits at least this long, whatever the query timeout. */
  resolverCheckMinTimeoutMs: 1000,
});
