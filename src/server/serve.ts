/**
 * `vitals serve`: the API (and later the dashboard) on @hono/node-server, over HTTP or, with a
 * certificate, HTTPS. Timeouts bound what a slow client can hold: headers within 20 s, a whole request
 * within 60 s.
 */
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Store } from '../store/database.js';
import { AnswerCache } from './answer-cache.js';
import { createApi } from './app.js';
import type { ApiApp, ApiDeps } from './context.js';
import { LoginLimiter, type LoginLimits } from './login-limiter.js';
import { ScanJobs, type ScanEnvironment } from './scan-jobs.js';

export interface ServerOptions {
  store: Store;
  host: string;
  /** 0: any free port. */
  port: number;
  version: string;
  /** PEM certificate and key: serve HTTPS (Secure cookies, HSTS). */
  tls?: { cert: string; key: string };
  /** How to scan; without it `POST /api/v1/scans` answers 503. */
  scan?: ScanEnvironment;
  now?: () => Date;
  log?: (line: string) => void;
  loginLimits?: LoginLimits;
}

export interface RunningServer {
  /** `http://127.0.0.1:8080` (what to print and connect to). */
  url: string;
  port: number;
  app: ApiApp;
  /** Stop accepting, end open connections, wait for a running scan. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tls = options.tls !== undefined;
  const answers = new AnswerCache(options.store);
  const deps: ApiDeps = {
    store: options.store,
    tls,
    now,
    log,
    loginLimiter: new LoginLimiter(options.loginLimits),
    scans: new ScanJobs(options.store, options.scan, now, log, () => answers.bump()),
    answers,
  };
  const app = createApi(deps, options.version);
  const server = options.tls
    ? createAdaptorServer({
        fetch: app.fetch,
        createServer: createHttpsServer,
        serverOptions: { cert: options.tls.cert, key: options.tls.key },
      })
    : createAdaptorServer({ fetch: app.fetch });
  const http = server as import('node:http').Server;
  http.headersTimeout = 20_000;
  http.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    app,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        http.closeAllConnections?.();
      });
      await deps.scans.idle();
    },
  };
}
