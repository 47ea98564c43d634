/**
 * User, API token and session tables (issue #11 section 2), created by migrations/0011-api-users.ts.
 * Same conventions as schema.ts: text ids, ISO-8601 UTC text timestamps.
 */

/** `users`: dashboard accounts. */
export interface UsersTable {
  id: string;
  username: string;
  username_key: string;
  /** One of ROLES (core/auth.ts). */
  role: string;
  /** `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>` (auth/passwords.ts). */
  password_hash: string;
  created_at: string;
  updated_at: string;
}

/** `api_tokens`: bearer tokens, kept as the hex SHA-256 of the token. */
export interface ApiTokensTable {
  id: string;
  name: string;
  role: string;
  token_hash: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

/** `sessions`: dashboard logins, kept as the hex SHA-256 of the cookie value and of the CSRF token. */
export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  csrf_hash: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

/** The user tables as Kysely sees them. */
export interface UsersSchema {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
}
