/**
 * Test support for the API: a real server on 127.0.0.1 port 0 over a real store (SQLite, or PostgreSQL
 * when VITALS_TEST_DATABASE_URL is set), a token of each role plus an expired one, and `call` to send
 * requests with them. Scans go to a loopback resolver port nothing answers on: a scan job starts, then
 * fails as unreachable, without a packet leaving the machine.
 */
import { createApiToken } from '../auth/service.js';
import { ROLES, type Role } from '../core/auth.js';
import { issueLeaf, type LabPki } from '../lab/tls/lab-ca.js';
import { createScanDnsClient, scanNetworkSpec } from '../net/scan-network.js';
import type { Store } from '../store/database.js';
import type { TestDialect } from '../store/test-dialects.js';
import { startServer, type RunningServer, type ServerOptions } from './serve.js';

export interface TestApi {
  url: string;
  store: Store;
  server: RunningServer;
  /** A live token of each role. */
  tokens: Record<Role, string>;
  /** An admin token that expired an hour ago. */
  expired: string;
  close(): Promise<void>;
}

export async function startTestApi(dialect: TestDialect, options: Partial<ServerOptions> = {}): Promise<TestApi> {
  const store = await dialect.open();
  const resolver = { address: '127.0.0.1', port: 9 };
  const network = scanNetworkSpec({ allowPrivate: true, resolver });
  const client = createScanDnsClient(network);
  const server = await startServer({
    store,
    host: '127.0.0.1',
    port: 0,
    version: 'test',
    log: () => undefined,
    scan: {
      settings: {
        client,
        resolver,
        nameServerPort: 53,
        trustAnchors: [],
        allowPrivate: true,
        network,
        concurrency: 1,
        timeoutMs: 100,
        retries: 0,
        wordlist: null,
        ctNames: [],
        workers: 1,
      },
      describe: {
        resolver: '127.0.0.1:9',
        trust_anchor: 'none',
        wordlist: false,
        wordlist_file: null,
        permutations: false,
      },
    },
    ...options,
  });
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES)
    tokens[role] = (
      await createApiToken(store, { name: `test-${role}`, role, expiresAt: null, createdBy: 'test' })
    ).token;
  const anHourAgo = Date.now() - 3_600_000;
  const expired = (
    await createApiToken(
      store,
      { name: 'test-expired', role: 'admin', expiresAt: new Date(anHourAgo + 60_000).toISOString(), createdBy: 'test' },
      { now: () => new Date(anHourAgo) },
    )
  ).token;
  return {
    url: server.url,
    store,
    server,
    tokens,
    expired,
    close: async () => {
      await server.close();
      await client.close();
      await store.close();
      await dialect.dispose();
    },
  };
}

/** The server's TLS options for `name`: a leaf of the lab's CA (valid for `days`) with its intermediate. */
export function labTlsOptions(pki: LabPki, name: string, days = 30): ServerOptions['tls'] {
  const cert = issueLeaf(pki, {
    names: [name],
    key: pki.ecKey,
    issuer: pki.intermediate,
    notBeforeDays: -1,
    notAfterDays: days,
  });
  return { cert: cert + pki.intermediate.pem, key: pki.ecKey.privatePem };
}

export interface CallOptions {
  token?: string;
  /** A JSON body (serialized here), or raw text with its content type. */
  json?: unknown;
  raw?: { body: string | Buffer; type: string };
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** One request to the test server; the body is parsed when it is JSON or problem JSON. */
export async function call(api: { url: string }, method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.raw !== undefined) {
    headers['content-type'] = options.raw.type;
    body = options.raw.body;
  }
  const response = await fetch(`${api.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const parsed = /json/.test(type) && text !== '' ? (JSON.parse(text) as unknown) : undefined;
  return { status: response.status, headers: response.headers, body: parsed, text } satisfies CallResult;
}

/** One dark-web document stored as ingestion would store it (no mentions), for routes that read documents. */
export async function seedDocument(
  store: Store,
  document: { id: string; title: string; text: string; class: string; postedAt: string },
  /** Organizations (by id) the document mentions, each with this snippet of the text. */
  mentions: ReadonlyArray<{ organizationId: string; snippet: string; matched: string }> = [],
): Promise<void> {
  await store.darkweb.storeBatch({
    documents: [
      {
        id: document.id,
        seq: (await store.darkweb.maxSeq()) + 1,
        source: 'forum.test',
        source_type: 'forum',
        url: null,
        title: document.title,
        author: null,
        posted_at: document.postedAt,
        ingested_at: document.postedAt,
        language: 'en',
        content_hash: `hash-${document.id}`,
        simhash: '0000000000000000',
        near_dup_group: document.id,
        text: document.text,
        class: document.class,
        class_score: 1,
      },
    ],
    entities: [],
    credentials: [],
    mentions: mentions.map((m) => ({
      id: `${document.id}-${m.organizationId}`,
      document_id: document.id,
      organization_id: m.organizationId,
      class: document.class,
      confidence: 0.9,
      via: 'name',
      matched: m.matched,
      snippet: m.snippet,
      posted_at: document.postedAt,
      created_at: document.postedAt,
      reasons: JSON.stringify(['named in the title']),
    })),
    checkpoints: new Map(),
    at: document.postedAt,
  });
}
