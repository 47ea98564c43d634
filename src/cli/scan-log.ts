/**
 * `vitals scan -v`: a JSON log on standard error (pino, one object per line) for people who run scans
 * from scripts and CI: scan start and end, each target's status, timings. It carries no secrets: no
 * database URL, no evidence, only what the command line and the scan's counts already say.
 */
import { pino, type Logger } from 'pino';
import type { TargetResult } from '../scanner/scan.js';

/** One target's line in the log. */
export interface TargetLogEntry {
  target: string;
  organization: string;
  status: string;
  startedAt: string;
  finishedAt: string;
  findings?: number | undefined;
  notAssessed?: number | undefined;
  assets?: number | undefined;
  error?: string | undefined;
}

/** A finished target as the log reports it; `findings` is how many were recorded for it. */
export function targetLogEntry(organization: string, result: TargetResult, findings?: number): TargetLogEntry {
  return {
    target: result.target.domain,
    organization,
    status: result.status,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    findings,
    notAssessed: result.outcome.notAssessed.length,
    assets: result.discovery?.assets.length,
    error: result.error,
  };
}

/** The events a scan reports; a no-op without `-v`. */
export interface ScanLog {
  scanStart(details: {
    targets: number;
    resolver: string;
    workers: number;
    concurrency: number;
    format: string;
    output?: string;
  }): void;
  targetDone(entry: TargetLogEntry): void;
  scanEnd(details: { scanId: string; elapsedMs: number; counts: Record<string, number>; errors: number }): void;
  /** Writes anything still buffered (call before the process exits). */
  flush(): void;
}

const SILENT: ScanLog = { scanStart() {}, targetDone() {}, scanEnd() {}, flush() {} };

/** The scan log: JSON lines on `fd` (standard error by default) when `verbose`, else nothing. */
export function createScanLog(verbose: boolean, fd = 2): ScanLog {
  if (!verbose) return SILENT;
  const logger: Logger = pino(
    {
      name: 'vitals',
      // pid only: the host name is not the log reader's business.
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ fd, sync: true }),
  );
  return {
    scanStart(details) {
      logger.info({ event: 'scan_start', ...details }, 'scan started');
    },
    targetDone(entry) {
      const { target, organization, status, findings, assets, error } = entry;
      logger[status === 'scanned' ? 'info' : 'warn'](
        {
          event: 'target_done',
          target,
          organization,
          status,
          findings,
          not_assessed: entry.notAssessed,
          assets,
          error,
          started_at: entry.startedAt,
          duration_ms: Date.parse(entry.finishedAt) - Date.parse(entry.startedAt),
        },
        `${target}: ${status}`,
      );
    },
    scanEnd({ scanId, elapsedMs, counts, errors }) {
      logger.info({ event: 'scan_end', scan_id: scanId, elapsed_ms: elapsedMs, counts, errors }, 'scan finished');
    },
    flush() {
      logger.flush();
    },
  };
}
