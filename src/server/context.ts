/** What every route of the API shares: the store, the clock, whether it is served over TLS, the log. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ActiveSession } from '../auth/service.js';
import type { Principal } from '../core/auth.js';
import type { Store } from '../store/database.js';
import type { AnswerCache } from './answer-cache.js';
import type { LoginLimiter } from './login-limiter.js';
import type { ScanJobs } from './scan-jobs.js';

export interface ApiDeps {
  store: Store;
  /** Served over TLS: cookies are Secure and `__Host-` prefixed, and responses carry HSTS. */
  tls: boolean;
  now: () => Date;
  /** Where unexpected errors are written (the server's standard error). */
  log: (line: string) => void;
  loginLimiter: LoginLimiter;
  scans: ScanJobs;
  /** Costly answers (the portfolio, the organization list), kept until the store changes. */
  answers: AnswerCache;
}

/** The per-request values: who is asking, and the session when it came with the dashboard's cookie. */
export interface ApiEnv {
  Variables: {
    principal: Principal;
    session: ActiveSession | undefined;
  };
}

export type ApiApp = OpenAPIHono<ApiEnv>;
