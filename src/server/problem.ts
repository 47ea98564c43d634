/**
 * RFC 9457 problem details: every error the API returns is `application/problem+json` with `type`,
 * `title`, `status` and `detail`, plus `code` (the stable AppError code) and, for a request that failed
 * validation, `errors` naming each field. Nothing from a stack trace or the database reaches a client.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { AppError } from '../core/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The problem details object (RFC 9457 section 3), as the OpenAPI document describes it. */
export const ProblemDetails = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string().optional(),
  errors: z.array(z.strictObject({ location: z.string(), path: z.string(), message: z.string() })).optional(),
});
export type ProblemDetails = z.infer<typeof ProblemDetails>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * A problem response. `type` stays `about:blank` (RFC 9457 section 4.2.1): the title is the status's
 * phrase and `code` says which problem it is.
 */
export function problem(
  status: number,
  detail: string,
  extra: Partial<Pick<ProblemDetails, 'code' | 'errors'>> = {},
  headers: Record<string, string> = {},
): Response {
  const body: ProblemDetails = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...extra };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
  });
}

/** Thrown by handlers for a problem they know the status of (a missing organization: 404). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** AppError codes that mean "no such thing" or "it is in a state that forbids this". */
const NOT_FOUND = new Set(['not-found', 'unknown-finding', 'unknown-dispute', 'unknown-user', 'unknown-token']);
const CONFLICT = new Set(['already-disputed', 'already-decided', 'already-excluded', 'finding-resolved']);
const UNAVAILABLE = new Set(['database-locked', 'database-unreachable']);
const BROKEN = new Set(['database-corrupt', 'migration-failed']);

/** The HTTP status for an AppError, by its stable code. */
export function statusOfAppError(error: AppError): number {
  if (NOT_FOUND.has(error.code) || error.code.startsWith('unknown-')) return 404;
  if (CONFLICT.has(error.code)) return 409;
  if (UNAVAILABLE.has(error.code)) return 503;
  if (BROKEN.has(error.code)) return 500;
  return 400;
}

/** The app's error handler: every thrown error becomes a problem response; unexpected ones are logged. */
export function problemFromError(error: unknown, log: (line: string) => void): Response {
  if (error instanceof ApiProblem) return problem(error.status, error.message, error.code ? { code: error.code } : {});
  if (error instanceof AppError) {
    const status = statusOfAppError(error);
    if (status >= 500) log(`vitals serve: ${error.code}: ${error.message}`);
    return problem(status, status >= 500 ? 'the store failed; see the server log' : error.message, {
      code: error.code,
    });
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    return problem(status, error.message || (TITLES[status] ?? 'request refused'), { code: 'request-invalid' });
  }
  log(`vitals serve: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return problem(500, 'unexpected error; see the server log', { code: 'internal' });
}

/** The validation hook of every route: a request that fails its schema is a 400 naming each field. */
export function validationProblem(
  result: { success: true } | { success: false; error: z.ZodError; target: string },
  _c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const errors = result.error.issues.map((issue) => ({
    location: result.target,
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = errors[0];
  const where = first === undefined ? result.target : `${result.target}${first.path ? ` ${first.path}` : ''}`;
  return problem(400, `invalid request (${where}: ${first?.message ?? 'invalid'})`, {
    code: 'request-invalid',
    errors,
  });
}
