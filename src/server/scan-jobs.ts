/**
 * Scans started over the API run as jobs inside the server process (issue #11 section 1): `POST /scans`
 * starts one and answers at once with its id; `GET /scans/{id}` shows its progress and, once it is done,
 * the report `vitals scan --format json` prints. One scan runs at a time (a scan uses the network budget
 * and the cores of the whole machine); the last MAX_KEPT jobs are remembered.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../core/errors.js';
import { scanPortfolio, type ScanRequest } from '../scanner/scan-service.js';
import { scanReportToJson, type ScanSettingsJson } from '../scanner/report.js';
import type { ScanSettings } from '../scanner/scan.js';
import type { Store } from '../store/database.js';
import { ApiProblem } from './problem.js';

/** How the server scans: the settings `vitals serve` was started with (resolver, network policy...). */
export interface ScanEnvironment {
  settings: Omit<ScanSettings, 'onTargetDone'> & { workers?: number };
  /** What the report says the scan ran with. */
  describe: ScanSettingsJson;
}

export interface ScanJob {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  requested_by: string;
  created_at: string;
  finished_at: string | null;
  request: { domains: string[]; organizations: string[]; all: boolean };
  progress: { done: number; total: number | null; current: string | null };
  /** The scan's id in the store once it started recording. */
  scan_id: string | null;
  error: string | null;
  /** ScanReportOutput once the scan finished. */
  report: ReturnType<typeof scanReportToJson> | null;
}

const MAX_KEPT = 20;

export class ScanJobs {
  private readonly jobs = new Map<string, ScanJob>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly environment: ScanEnvironment | undefined,
    private readonly now: () => Date,
    private readonly log: (line: string) => void,
    /** Called whenever a scan has written to the store (cached answers are stale). */
    private readonly onStoreChanged: () => void = () => undefined,
  ) {}

  /** Start a scan; 503 when the server was started without scan settings, 409 while another runs. */
  start(request: ScanRequest, by: string): ScanJob {
    const environment = this.environment;
    if (environment === undefined)
      throw new ApiProblem(503, 'this server does not scan: start it with `vitals serve --scan`', 'scans-disabled');
    if (this.running !== null) throw new ApiProblem(409, 'a scan is running: wait for it to finish', 'scan-running');
    const job: ScanJob = {
      id: randomUUID(),
      status: 'running',
      requested_by: by,
      created_at: this.now().toISOString(),
      finished_at: null,
      request: { domains: [...request.domains], organizations: [...request.organizations], all: request.all },
      progress: { done: 0, total: null, current: null },
      scan_id: null,
      error: null,
      report: null,
    };
    this.jobs.set(job.id, job);
    while (this.jobs.size > MAX_KEPT) this.jobs.delete(this.jobs.keys().next().value!);
    this.running = this.run(job, request, environment).finally(() => {
      this.running = null;
    });
    return job;
  }

  private async run(job: ScanJob, request: ScanRequest, environment: ScanEnvironment): Promise<void> {
    try {
      const { session } = await scanPortfolio(
        this.store,
        request,
        environment.settings,
        { ...environment.describe, requested_by: job.requested_by, via: 'api' },
        {
          onTargetsResolved: (targets) => {
            job.progress.total = targets.length;
          },
          onProgress: (done, total, current) => {
            job.progress = { done, total, current };
          },
          onTargetRecorded: () => this.onStoreChanged(),
        },
      );
      job.scan_id = session.scanId;
      job.report = scanReportToJson(session, environment.describe);
      job.status = 'succeeded';
    } catch (error) {
      job.status = 'failed';
      if (error instanceof AppError) job.error = error.message;
      else {
        job.error = 'unexpected error; see the server log';
        this.log(`vitals serve: scan ${job.id} failed: ${error instanceof Error ? error.stack : String(error)}`);
      }
    } finally {
      job.finished_at = this.now().toISOString();
      this.onStoreChanged();
    }
  }

  get(id: string): ScanJob | undefined {
    return this.jobs.get(id);
  }

  list(): ScanJob[] {
    return [...this.jobs.values()];
  }

  /** Wait for the running scan to end (the server closes the store after it). */
  async idle(): Promise<void> {
    await this.running;
  }
}
