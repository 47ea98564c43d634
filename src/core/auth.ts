/**
 * Who may use the REST API and the dashboard (issue #11 section 2): three roles, each allowed what the
 * ones below it are. A viewer reads; an analyst also disputes, scans and keeps watchlists; an admin also
 * manages users, tokens and the portfolio itself.
 */

/** The roles, least privileged first: the order is the privilege order. */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** True when `held` is at least `needed`. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** A user account as the store keeps it, without its password hash. */
export interface User {
  id: string;
  username: string;
  role: Role;
  createdAt: string;
}

/** An API token's record: never the token itself, which is shown once and kept only as a hash. */
export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  /** Null: the token does not expire. */
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** Who a request acts as: a user through a dashboard session, or an API token. */
export interface Principal {
  kind: 'session' | 'token';
  /** The user name, or `token:NAME`: what the audit log records as the actor. */
  name: string;
  role: Role;
}
