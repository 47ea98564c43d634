/** The user and token records `vitals users list` and `vitals tokens list` print and the API serves. */
import type { ApiToken, User } from '../core/auth.js';

export function userToJson(user: User) {
  return { username: user.username, role: user.role, created_at: user.createdAt };
}

export function apiTokenToJson(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    created_by: token.createdBy,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
    last_used_at: token.lastUsedAt,
  };
}
