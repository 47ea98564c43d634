/**
 * Test support for the watch tests: documents written through the ingestion repo, and a real webhook
 * receiver on 127.0.0.1 whose behaviour per request is scripted. (Scratch stores on every dialect:
 * src/store/test-dialects.ts.)
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from '../../store/database.js';

/** A document to store, with the organizations it mentions (by id). */
export interface TestDocument {
  id: string;
  title?: string;
  text: string;
  sourceType?: string;
  url?: string;
  postedAt?: string;
  mentions?: { organizationId: string; matched: string }[];
}

/** Store documents (and their mentions) through the ingestion repo, in one batch; returns their seqs. */
export async function storeDocuments(store: Store, documents: readonly TestDocument[]): Promise<number[]> {
  let seq = await store.darkweb.maxSeq();
  const at = new Date().toISOString();
  const seqs: number[] = [];
  const rows = documents.map((d) => {
    seq += 1;
    seqs.push(seq);
    return {
      id: d.id,
      seq,
      source: 'test',
      source_type: d.sourceType ?? 'forum',
      url: d.url ?? `http://forum${d.id.length}.example.onion/t/${d.id}`,
      title: d.title ?? null,
      author: null,
      posted_at: d.postedAt ?? null,
      ingested_at: at,
      language: 'en',
      content_hash: createHash('sha256').update(d.text).digest('hex'),
      simhash: '0000000000000000',
      near_dup_group: d.id,
      text: d.text,
      class: 'chatter',
      class_score: 0,
    };
  });
  const mentions = documents.flatMap((d) =>
    (d.mentions ?? []).map((m) => ({
      id: `${d.id}:${m.organizationId}`,
      document_id: d.id,
      organization_id: m.organizationId,
      class: 'chatter',
      confidence: 0.9,
      via: 'name',
      matched: m.matched,
      snippet: `…${m.matched}…`,
      posted_at: d.postedAt ?? null,
      created_at: at,
    })),
  );
  await store.darkweb.storeBatch({
    documents: rows,
    entities: [],
    credentials: [],
    mentions,
    checkpoints: new Map(),
    at,
  });
  return seqs;
}

/** What the receiver does with one request. */
export type ReceiverAction = 'ok' | 'fail500' | 'drop' | 'hang';

/** One request the receiver got (the body exactly as sent). */
export interface Receipt {
  alertId: string;
  body: Buffer;
  headers: IncomingHttpHeaders;
  answered: ReceiverAction;
}

/** A webhook receiver on 127.0.0.1 (port 0). */
export interface TestReceiver {
  url: string;
  receipts: Receipt[];
  /** Actions for the next requests, in order; `fallback` once they run out. */
  script: ReceiverAction[];
  fallback: ReceiverAction;
  /** Resolves when at least `n` requests have arrived. */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Start a receiver; it records every request and answers as scripted. */
export async function startReceiver(
  script: ReceiverAction[] = [],
  fallback: ReceiverAction = 'ok',
): Promise<TestReceiver> {
  const receipts: Receipt[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const receiver: TestReceiver = {
    url: '',
    receipts,
    script: [...script],
    fallback,
    waitForRequests: (n, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        if (receipts.length >= n) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`receiver: ${receipts.length} requests after ${timeoutMs} ms, wanted ${n}`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const action = receiver.script.shift() ?? receiver.fallback;
      const idHeader = request.headers['x-vitals-alert-id'];
      receipts.push({
        alertId: typeof idHeader === 'string' ? idHeader : '',
        body: Buffer.concat(chunks),
        headers: request.headers,
        answered: action,
      });
      for (const w of waiters.filter((w) => receipts.length >= w.n)) w.resolve();
      if (action === 'ok') response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      else if (action === 'fail500') response.writeHead(500).end('boom');
      else if (action === 'drop') request.socket.destroy();
      // 'hang': never answer; the client's timeout or stop() ends it.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/vitals`;
  return receiver;
}

/** Receipts per alert id. */
export function receiptCounts(receipts: readonly Receipt[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of receipts) counts.set(r.alertId, (counts.get(r.alertId) ?? 0) + 1);
  return counts;
}
