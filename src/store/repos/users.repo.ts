/**
 * Users, API tokens and dashboard sessions. The store keeps hashes only (the auth layer makes them); a
 * lookup by a presented secret is a lookup by its hash, so the comparison happens in the database index
 * on a value an attacker cannot choose.
 */
import type { Kysely, Selectable } from 'kysely';
import { ROLES } from '../../core/auth.js';
import type { ApiToken, Role, User } from '../../core/auth.js';
import { inTransaction, newId } from '../codec.js';
import { StoreError } from '../errors.js';
import type { StoreSchema } from '../schema.js';
import type { ApiTokensTable, UsersTable } from '../schema-users.js';

/** The case-insensitive key of a user name. */
export function usernameKey(username: string): string {
  return username.normalize('NFC').trim().toLowerCase();
}

function roleOf(text: string, where: string): Role {
  if (!(ROLES as readonly string[]).includes(text))
    throw new StoreError('database-corrupt', `${where} has role ${text}`);
  return text as Role;
}

function toUser(row: Pick<Selectable<UsersTable>, 'id' | 'username' | 'role' | 'created_at'>): User {
  return { id: row.id, username: row.username, role: roleOf(row.role, `user ${row.id}`), createdAt: row.created_at };
}

function toToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: roleOf(row.role, `API token ${row.id}`),
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}

/** A user with the stored password hash, for checking a login. */
export interface UserCredentials extends User {
  passwordHash: string;
}

/** A live session with its user. */
export interface SessionRecord {
  id: string;
  user: User;
  csrfHash: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

/** Data access for users, tokens and sessions. */
export class UsersRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Add a user; `invalid-input` when the name is taken (case-insensitively). */
  async createUser(input: { username: string; role: Role; passwordHash: string; at: string }): Promise<User> {
    const key = usernameKey(input.username);
    return inTransaction(this.db, async (trx) => {
      const taken = await trx.selectFrom('users').select('id').where('username_key', '=', key).executeTakeFirst();
      if (taken !== undefined) throw new StoreError('invalid-input', `a user named "${input.username}" already exists`);
      const row = {
        id: newId(),
        username: input.username.normalize('NFC').trim(),
        username_key: key,
        role: input.role,
        password_hash: input.passwordHash,
        created_at: input.at,
        updated_at: input.at,
      };
      await trx.insertInto('users').values(row).execute();
      return toUser(row);
    });
  }

  /** Every user, by name. */
  async listUsers(): Promise<User[]> {
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'username', 'role', 'created_at'])
      .orderBy('username_key')
      .execute();
    return rows.map(toUser);
  }

  /** One user with the password hash, by name (case-insensitive). */
  async credentials(username: string): Promise<UserCredentials | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username_key', '=', usernameKey(username))
      .executeTakeFirst();
    return row === undefined ? undefined : { ...toUser(row), passwordHash: row.password_hash };
  }

  /** Remove a user and (by cascade) their sessions; false when there is none by that name. */
  async removeUser(username: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('users')
      .where('username_key', '=', usernameKey(username))
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Store a token's record; `invalid-input` when the name is taken. */
  async createToken(input: {
    name: string;
    role: Role;
    tokenHash: string;
    createdBy: string;
    at: string;
    expiresAt: string | null;
  }): Promise<ApiToken> {
    return inTransaction(this.db, async (trx) => {
      const taken = await trx.selectFrom('api_tokens').select('id').where('name', '=', input.name).executeTakeFirst();
      if (taken !== undefined) throw new StoreError('invalid-input', `a token named "${input.name}" already exists`);
      const row = {
        id: newId(),
        name: input.name,
        role: input.role,
        token_hash: input.tokenHash,
        created_by: input.createdBy,
        created_at: input.at,
        expires_at: input.expiresAt,
        last_used_at: null,
      };
      await trx.insertInto('api_tokens').values(row).execute();
      return toToken(row);
    });
  }

  /** Every token's record, by name. */
  async listTokens(): Promise<ApiToken[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('name').execute();
    return rows.map(toToken);
  }

  /** The token whose hash this is. */
  async tokenByHash(tokenHash: string): Promise<ApiToken | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row === undefined ? undefined : toToken(row);
  }

  /** Record that a token was used (a listing shows stale tokens). */
  async touchToken(id: string, at: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  /** Revoke (delete) a token by name or id; false when there is none. */
  async revokeToken(nameOrId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('api_tokens')
      .where((eb) => eb.or([eb('name', '=', nameOrId), eb('id', '=', nameOrId)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Start a session for a user. */
  async createSession(input: {
    userId: string;
    tokenHash: string;
    csrfHash: string;
    at: string;
    expiresAt: string;
  }): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: newId(),
        user_id: input.userId,
        token_hash: input.tokenHash,
        csrf_hash: input.csrfHash,
        created_at: input.at,
        expires_at: input.expiresAt,
        last_seen_at: input.at,
      })
      .execute();
  }

  /** The session whose cookie hashes to `tokenHash`, with its user. */
  async sessionByHash(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id as id',
        'sessions.csrf_hash as csrf_hash',
        'sessions.created_at as created_at',
        'sessions.expires_at as expires_at',
        'sessions.last_seen_at as last_seen_at',
        'users.id as user_id',
        'users.username as username',
        'users.role as role',
        'users.created_at as user_created_at',
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      id: row.id,
      user: toUser({ id: row.user_id, username: row.username, role: row.role, created_at: row.user_created_at }),
      csrfHash: row.csrf_hash,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      lastSeenAt: row.last_seen_at,
    };
  }

  /** Record activity on a session (its idle timeout restarts). */
  async touchSession(id: string, at: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
  }

  /** End one session. */
  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  /** Drop the sessions that expired before `at`; returns how many. */
  async deleteExpiredSessions(at: string): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_at', '<=', at).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
