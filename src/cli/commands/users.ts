/**
 * `vitals users add | list | remove` and `vitals tokens create | list | revoke`: who may use the REST API
 * and the dashboard (issue #11 section 2). Passwords and tokens are shown once and stored as hashes.
 */
import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { addUser, createApiToken, parseRole, removeUser, revokeApiToken } from '../../auth/service.js';
import { ROLES, type Role } from '../../core/auth.js';
import { defaultActor, parseExpiry } from '../../disputes/service.js';
import { ApiTokenOutput, TokenCreatedOutput, UserOutput } from '../../output/schemas.js';
import type { Store } from '../../store/database.js';
import { apiTokenToJson, userToJson } from '../../views/users.js';
import { resolveHome } from '../context.js';
import { addHomeOption } from '../options.js';
import { writeJson, writeRecords } from '../output.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { openCliStore } from '../store.js';
import { LISTING_FORMATS, type ListingFormat } from './dispute.js';

/** Days a token lasts unless `--expires` says otherwise. */
export const DEFAULT_TOKEN_DAYS = 90;

async function withStore<T>(options: { home?: string }, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openCliStore(resolveHome(options));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The first line of standard input (`--password-stdin`), without its line ending. */
async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/, 1)[0] ?? '';
}

const roleOption = () =>
  new Option('--role <role>', 'viewer (read), analyst (also disputes, scans, watchlists) or admin (everything)')
    .choices(ROLES)
    .makeOptionMandatory();

export function usersCommand(): Command {
  const users = new Command('users').description('dashboard and API users, with roles viewer, analyst and admin');

  addHomeOption(
    users
      .command('add')
      .description('add a user; without --password-stdin a random password is made and shown once')
      .argument('<name>', 'user name (letters, digits, . _ @ -)')
      .addOption(roleOption())
      .option('--password-stdin', 'read the password (at least 12 characters) from the first line of standard input'),
  ).action(async (name: string, options: { home?: string; role: Role; passwordStdin?: boolean }) => {
    const password = options.passwordStdin ? await firstLineOfStdin() : randomBytes(18).toString('base64url');
    await withStore(options, async (store) => {
      const user = await addUser(store, { username: name, role: parseRole(options.role), password });
      process.stdout.write(`${sanitizeTerminalLine(`added user ${user.username} (${user.role})`)}\n`);
      if (!options.passwordStdin) process.stdout.write(`password (shown once): ${password}\n`);
    });
  });

  addHomeOption(
    users
      .command('list')
      .description('list users')
      .addOption(new Option('--format <format>', 'output format').choices(LISTING_FORMATS).default('table')),
  ).action(async (options: { home?: string; format: ListingFormat }) => {
    await withStore(options, async (store) => {
      const rows = (await store.users.listUsers()).map(userToJson);
      writeRecords(
        process.stdout,
        options.format,
        UserOutput,
        rows,
        [
          { header: 'user', cell: (u) => u.username },
          { header: 'role', cell: (u) => u.role },
          { header: 'since', cell: (u) => u.created_at.slice(0, 10) },
        ],
        `${rows.length} users`,
      );
    });
  });

  addHomeOption(
    users.command('remove').description('remove a user (their sessions end)').argument('<name>', 'user name'),
  ).action(async (name: string, options: { home?: string }) => {
    await withStore(options, async (store) => {
      await removeUser(store, name);
      process.stdout.write(`${sanitizeTerminalLine(`removed user ${name}`)}\n`);
    });
  });
  return users;
}

export function tokensCommand(): Command {
  const tokens = new Command('tokens').description(
    'API tokens (Authorization: Bearer TOKEN): shown once when created, stored as their SHA-256',
  );

  addHomeOption(
    tokens
      .command('create')
      .description(`create a token (it expires after ${DEFAULT_TOKEN_DAYS} days unless --expires says otherwise)`)
      .addOption(roleOption())
      .requiredOption('--name <name>', 'what the token is for (unique; `tokens revoke` takes it)')
      .option('--expires <date>', 'last day it works, YYYY-MM-DD (UTC), or "never"')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table')),
  ).action(async (options: { home?: string; role: Role; name: string; expires?: string; format: 'table' | 'json' }) => {
    const expiresAt =
      options.expires === undefined
        ? new Date(Date.now() + DEFAULT_TOKEN_DAYS * 86_400_000).toISOString()
        : options.expires === 'never'
          ? null
          : parseExpiry(options.expires);
    await withStore(options, async (store) => {
      const { token, record } = await createApiToken(store, {
        name: options.name,
        role: parseRole(options.role),
        expiresAt,
        createdBy: defaultActor(),
      });
      if (options.format === 'json') {
        writeJson(process.stdout, TokenCreatedOutput, {
          token,
          name: record.name,
          role: record.role,
          expires_at: record.expiresAt,
        });
        return;
      }
      process.stdout.write(
        `${sanitizeTerminalLine(`created token ${record.name} (${record.role})`)}, ` +
          `${record.expiresAt === null ? 'never expires' : `expires ${record.expiresAt}`}\n` +
          `token (shown once; send it as Authorization: Bearer TOKEN): ${token}\n`,
      );
    });
  });

  addHomeOption(
    tokens
      .command('list')
      .description('list tokens (never the tokens themselves)')
      .addOption(new Option('--format <format>', 'output format').choices(LISTING_FORMATS).default('table')),
  ).action(async (options: { home?: string; format: ListingFormat }) => {
    await withStore(options, async (store) => {
      const rows = (await store.users.listTokens()).map(apiTokenToJson);
      writeRecords(
        process.stdout,
        options.format,
        ApiTokenOutput,
        rows,
        [
          { header: 'name', cell: (t) => t.name },
          { header: 'role', cell: (t) => t.role },
          { header: 'created', cell: (t) => `${t.created_at.slice(0, 10)} ${t.created_by}` },
          { header: 'expires', cell: (t) => t.expires_at?.slice(0, 10) ?? 'never' },
          { header: 'last used', cell: (t) => t.last_used_at?.slice(0, 19) ?? '-' },
        ],
        `${rows.length} tokens`,
      );
    });
  });

  addHomeOption(tokens.command('revoke').description('revoke a token').argument('<name>', 'token name (or id)')).action(
    async (name: string, options: { home?: string }) => {
      await withStore(options, async (store) => {
        await revokeApiToken(store, name);
        process.stdout.write(`${sanitizeTerminalLine(`revoked token ${name}`)}\n`);
      });
    },
  );
  return tokens;
}
