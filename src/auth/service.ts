/**
 * Users, API tokens and dashboard sessions (issue #11 section 2): what `vitals users`, `vitals tokens` and
 * the server call. Secrets are made here, handed to their holder once, and stored only as hashes.
 */
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../core/errors.js';
import { ROLES } from '../core/auth.js';
import type { ApiToken, Principal, Role, User } from '../core/auth.js';
import type { Store } from '../store/database.js';
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  hashPassword,
  verifyAgainstNothing,
  verifyPassword,
} from './passwords.js';
import { TOKEN_PREFIX, newSecret, secretHash } from './secrets.js';

/** Stable codes of AuthError. */
export type AuthErrorCode = 'auth-input-invalid' | 'unknown-user' | 'unknown-token';

/** A user or token request that cannot be honoured; the message says why. */
export class AuthError extends AppError {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What the service reads the time from: tests pass a fixed clock. */
export interface AuthClock {
  now?: () => Date;
}

const nowOf = (clock: AuthClock): Date => (clock.now ?? (() => new Date()))();

/** A session lasts at most this long after login... */
export const SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;
/** ...and ends after this long without a request. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** Last-use times are written at most this often per token or session: a read should not always write. */
const TOUCH_INTERVAL_MS = 60 * 1000;

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const TOKEN_NAME = /^[^\p{Cc}]{1,100}$/u;

export function parseRole(text: string): Role {
  if (!(ROLES as readonly string[]).includes(text))
    throw new AuthError('auth-input-invalid', `role must be one of ${ROLES.join(', ')}, not "${text}"`);
  return text as Role;
}

/** Add a user with a password (checked for length only: NIST SP 800-63B advises against composition rules). */
export async function addUser(
  store: Store,
  request: { username: string; role: Role; password: string },
  clock: AuthClock = {},
): Promise<User> {
  const username = request.username.trim();
  if (!USERNAME.test(username))
    throw new AuthError(
      'auth-input-invalid',
      `user name "${request.username}" must be 1-64 letters, digits or . _ @ - (starting with a letter or digit)`,
    );
  if (request.password.length < MIN_PASSWORD_LENGTH || request.password.length > MAX_PASSWORD_LENGTH)
    throw new AuthError(
      'auth-input-invalid',
      `the password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long`,
    );
  const passwordHash = await hashPassword(request.password);
  return store.users.createUser({ username, role: request.role, passwordHash, at: nowOf(clock).toISOString() });
}

/** Remove a user (their sessions end with them). */
export async function removeUser(store: Store, username: string): Promise<void> {
  if (!(await store.users.removeUser(username)))
    throw new AuthError('unknown-user', `no user named "${username}" (see \`vitals users list\`)`);
}

/** A new token: the secret (shown once) and its record. */
export interface CreatedToken {
  token: string;
  record: ApiToken;
}

/** Create an API token; `expiresAt` (ISO 8601) must be in the future, or null for a token that never expires. */
export async function createApiToken(
  store: Store,
  request: { name: string; role: Role; expiresAt: string | null; createdBy: string },
  clock: AuthClock = {},
): Promise<CreatedToken> {
  const name = request.name.trim();
  if (!TOKEN_NAME.test(name))
    throw new AuthError('auth-input-invalid', 'the token name must be 1-100 characters without control characters');
  const at = nowOf(clock).toISOString();
  if (request.expiresAt !== null && request.expiresAt <= at)
    throw new AuthError('auth-input-invalid', `the expiry ${request.expiresAt} is in the past (now ${at})`);
  const token = newSecret(TOKEN_PREFIX);
  const record = await store.users.createToken({
    name,
    role: request.role,
    tokenHash: secretHash(token),
    createdBy: request.createdBy,
    at,
    expiresAt: request.expiresAt,
  });
  return { token, record };
}

/** Revoke a token by name or id. */
export async function revokeApiToken(store: Store, nameOrId: string): Promise<void> {
  if (!(await store.users.revokeToken(nameOrId.trim())))
    throw new AuthError('unknown-token', `no token named "${nameOrId}" (see \`vitals tokens list\`)`);
}

/** Who presents `token`, or undefined for an unknown, revoked or expired one. */
export async function authenticateToken(
  store: Store,
  token: string,
  clock: AuthClock = {},
): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const record = await store.users.tokenByHash(secretHash(token));
  const now = nowOf(clock);
  if (record === undefined || (record.expiresAt !== null && Date.parse(record.expiresAt) <= now.getTime()))
    return undefined;
  if (record.lastUsedAt === null || now.getTime() - Date.parse(record.lastUsedAt) >= TOUCH_INTERVAL_MS)
    await store.users.touchToken(record.id, now.toISOString());
  return { kind: 'token', name: `token:${record.name}`, role: record.role };
}

/** A new dashboard session: the cookie value and the CSRF token (both shown once), and when it ends. */
export interface NewSession {
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
  user: User;
}

/** Log in; undefined when the name or the password is wrong (the same time either way). */
export async function login(
  store: Store,
  request: { username: string; password: string },
  clock: AuthClock = {},
): Promise<NewSession | undefined> {
  const user = await store.users.credentials(request.username);
  const matches =
    user === undefined
      ? await verifyAgainstNothing(request.password)
      : await verifyPassword(request.password, user.passwordHash);
  if (user === undefined || !matches) return undefined;
  const now = nowOf(clock);
  const sessionToken = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS).toISOString();
  await store.users.deleteExpiredSessions(now.toISOString());
  await store.users.createSession({
    userId: user.id,
    tokenHash: secretHash(sessionToken),
    csrfHash: secretHash(csrfToken),
    at: now.toISOString(),
    expiresAt,
  });
  const { passwordHash: _hash, ...plain } = user;
  return { sessionToken, csrfToken, expiresAt, user: plain };
}

/** A live session as a request sees it. */
export interface ActiveSession {
  id: string;
  principal: Principal;
  /** Whether `presented` is this session's CSRF token. */
  csrfMatches(presented: string | undefined): boolean;
}

/** The session a cookie names, or undefined when there is none or it expired (outright or idle). */
export async function activeSession(
  store: Store,
  sessionToken: string,
  clock: AuthClock = {},
): Promise<ActiveSession | undefined> {
  if (sessionToken.length > 200) return undefined;
  const session = await store.users.sessionByHash(secretHash(sessionToken));
  if (session === undefined) return undefined;
  const now = nowOf(clock).getTime();
  if (now >= Date.parse(session.expiresAt) || now - Date.parse(session.lastSeenAt) >= SESSION_IDLE_MS) {
    await store.users.deleteSession(session.id);
    return undefined;
  }
  if (now - Date.parse(session.lastSeenAt) >= TOUCH_INTERVAL_MS)
    await store.users.touchSession(session.id, new Date(now).toISOString());
  const expected = Buffer.from(session.csrfHash, 'hex');
  return {
    id: session.id,
    principal: { kind: 'session', name: session.user.username, role: session.user.role },
    csrfMatches: (presented) =>
      presented !== undefined &&
      presented.length <= 200 &&
      timingSafeEqual(Buffer.from(secretHash(presented), 'hex'), expected),
  };
}

/** End a session (logout). */
export async function endSession(store: Store, sessionId: string): Promise<void> {
  await store.users.deleteSession(sessionId);
}
