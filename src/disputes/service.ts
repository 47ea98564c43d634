/**
 * The disputes service: what `vitals dispute ...` and `vitals assets exclude` do, between the command
 * line and the store. Resolves the short ids listings print, reads expiry dates, fills in who acted
 * (the OS user unless told). A decision or an exclusion, its audit row and the score snapshot it causes
 * (reason `dispute` or `exclusion`, so history shows the change) commit in one transaction.
 */
import { userInfo } from 'node:os';
import { DisputeError } from '../core/disputes.js';
import type { AssetExclusion, Dispute, DisputeDecision, DisputeReason } from '../core/disputes.js';
import { recordScoreSnapshot } from '../ratings/snapshots.js';
import type { Store } from '../store/database.js';
import { normalizeHost } from '../store/repos/assets.repo.js';

/** How many characters of an id listings print; any unambiguous prefix this long or longer is accepted. */
export const SHORT_ID_LENGTH = 8;

/** What the service reads the time from: tests pass a fixed clock. */
export interface ServiceClock {
  now?: () => Date;
}

/** The short form of an id that listings print. */
export function shortId(id: string): string {
  return id.slice(0, SHORT_ID_LENGTH);
}

/** The OS user name, for `--by` when it is not given; `unknown` when the system has none for this uid. */
export function defaultActor(): string {
  try {
    const name = userInfo().username.trim();
    if (name !== '') return name;
  } catch {
    // No passwd entry for the uid (containers): fall through to the environment.
  }
  const fromEnv = (process.env['USER'] ?? process.env['LOGNAME'] ?? '').trim();
  return fromEnv === '' ? 'unknown' : fromEnv;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * `--expires`: `YYYY-MM-DD` means through that day (UTC), so the dispute lapses when the next day
 * begins; a date-time with a zone is taken as the exact moment. Returns ISO 8601 UTC.
 */
export function parseExpiry(text: string): string {
  const value = text.trim();
  const day = DAY.exec(value);
  if (day !== null) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const start = new Date(Date.UTC(year, month - 1, date));
    // Date.UTC rolls 2026-02-30 over to March: a round trip catches impossible dates.
    if (start.getUTCFullYear() === year && start.getUTCMonth() === month - 1 && start.getUTCDate() === date) {
      return new Date(start.getTime() + 86_400_000).toISOString();
    }
  } else if (DATE_TIME.test(value)) {
    const moment = new Date(value);
    if (!Number.isNaN(moment.getTime())) return moment.toISOString();
  }
  throw new DisputeError(
    'bad-expiry',
    `--expires "${text}" is not a date (YYYY-MM-DD, or a date-time with a zone such as 2026-06-30T17:00:00Z)`,
  );
}

/**
 * The last day (UTC) an expiring dispute is in force, as tables print it: `--expires 2026-06-30` is
 * stored as the moment it lapses (2026-07-01T00:00Z) and printed back as 2026-06-30. Empty for none.
 */
export function inForceThrough(expiresAt: string | null): string {
  return expiresAt === null ? '' : new Date(Date.parse(expiresAt) - 1).toISOString().slice(0, 10);
}

/** A full id from a full id or an unambiguous prefix of at least SHORT_ID_LENGTH characters. */
async function resolveId(store: Store, table: 'findings' | 'disputes', text: string): Promise<string> {
  const what = table === 'findings' ? 'finding' : 'dispute';
  const listing = table === 'findings' ? '`vitals findings`' : '`vitals dispute list`';
  const prefix = text.trim().toLowerCase();
  const unknown = new DisputeError(
    table === 'findings' ? 'unknown-finding' : 'unknown-dispute',
    `no ${what} with id ${JSON.stringify(text)} (see ${listing}; ids are the hex strings in its id column)`,
  );
  if (prefix.length < SHORT_ID_LENGTH) {
    if (prefix === '') throw unknown;
    throw new DisputeError(
      'ambiguous-id',
      `${what} id ${JSON.stringify(text)} is too short: give at least ${SHORT_ID_LENGTH} characters`,
    );
  }
  const matches = await store.disputes.idsStartingWith(table, prefix);
  if (matches.length === 0) throw unknown;
  if (matches.length > 1) {
    throw new DisputeError('ambiguous-id', `${what} id ${JSON.stringify(text)} matches several; give more characters`);
  }
  return matches[0]!;
}

/** What `vitals dispute add` asks for. */
export interface AddDisputeRequest {
  /** A finding id or unambiguous prefix, as `vitals findings` prints it. */
  finding: string;
  reason: DisputeReason;
  note: string;
  /** `--expires` as typed (see parseExpiry). */
  expires?: string;
  by?: string;
}

/** Open a dispute of a finding. */
export async function addDispute(store: Store, request: AddDisputeRequest, clock: ServiceClock = {}): Promise<Dispute> {
  const at = (clock.now ?? (() => new Date()))().toISOString();
  const expiresAt = request.expires === undefined ? null : parseExpiry(request.expires);
  if (expiresAt !== null && expiresAt <= at) {
    throw new DisputeError('past-expiry', `--expires ${request.expires} is in the past (now ${at}); give a later date`);
  }
  const findingId = await resolveId(store, 'findings', request.finding);
  return store.disputes.create({
    findingId,
    reason: request.reason,
    note: request.note,
    expiresAt,
    by: request.by ?? defaultActor(),
    at,
  });
}

/** What `vitals dispute resolve|reject` asks for. */
export interface DecideDisputeRequest {
  /** A dispute id or unambiguous prefix, as `vitals dispute list` prints it. */
  dispute: string;
  decision: DisputeDecision;
  by?: string;
  note?: string;
}

/** Accept (`resolve`) or reject an open dispute. */
export async function decideDispute(
  store: Store,
  request: DecideDisputeRequest,
  clock: ServiceClock = {},
): Promise<Dispute> {
  const at = (clock.now ?? (() => new Date()))().toISOString();
  const id = await resolveId(store, 'disputes', request.dispute);
  return store.transaction(async (repos) => {
    const decided = await repos.disputes.decide(id, {
      decision: request.decision,
      by: request.by ?? defaultActor(),
      at,
      note: request.note ?? null,
    });
    // A rejection changes no score, but the snapshot still marks when the question was settled.
    await recordScoreSnapshot(repos, decided.organizationId, { reason: 'dispute', at });
    return decided;
  });
}

/** What `vitals assets exclude` asks for. */
export interface ExcludeAssetRequest {
  host: string;
  reason: string;
  /** The organization's id; needed only when the host is known under several organizations, or none. */
  organizationId?: string;
  by?: string;
}

/**
 * Exclude a host from an organization's assets. The host must be one the store knows for that
 * organization (an asset or a finding's host): a typo must not silently exclude nothing.
 */
export async function excludeAsset(
  store: Store,
  request: ExcludeAssetRequest,
  clock: ServiceClock = {},
): Promise<AssetExclusion> {
  const at = (clock.now ?? (() => new Date()))().toISOString();
  const host = normalizeHost(request.host);
  const owners = await store.disputes.organizationsWithHost(host);
  let organizationId = request.organizationId;
  if (organizationId === undefined) {
    if (owners.length === 0) {
      throw new DisputeError('unknown-host', `no organization has an asset ${host} (see \`vitals orgs show ORG\`)`);
    }
    if (owners.length > 1) {
      const names = (
        await Promise.all(owners.map(async (id) => (await store.organizations.getById(id))?.name ?? id))
      ).sort((a, b) => a.localeCompare(b));
      throw new DisputeError(
        'ambiguous-host',
        `${host} is an asset of several organizations (${names.join(', ')}): say which with --org`,
      );
    }
    organizationId = owners[0]!;
  } else if (!owners.includes(organizationId)) {
    const name = (await store.organizations.getById(organizationId))?.name ?? organizationId;
    throw new DisputeError('unknown-host', `${name} has no asset ${host} (see \`vitals orgs show "${name}"\`)`);
  }
  const exclusion = { organizationId, host, reason: request.reason, by: request.by ?? defaultActor(), at };
  return store.transaction(async (repos) => {
    const excluded = await repos.disputes.exclude(exclusion);
    await recordScoreSnapshot(repos, excluded.organizationId, { reason: 'exclusion', at });
    return excluded;
  });
}
