/**
 * Answers that are costly to compute and change only when the store does (the portfolio of 30,000
 * organizations: seconds of work and megabytes of JSON), kept until the store changes. A change is seen
 * two ways: this server's own writes (every successful state-changing request and every scan step
 * `bump`s the epoch) and other processes' commits (`Store.dataVersion`, checked on every read). Entries
 * also expire after MAX_AGE_MS, so an answer that depends on the time (snapshots dated ahead of the clock)
 * catches up. Concurrent requests for one missing answer share its computation.
 */
import { gzip as gzipCallback } from 'node:zlib';
import type { Store } from '../store/database.js';

export const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 64;

interface Entry {
  version: string;
  at: number;
  value: Promise<unknown>;
}

export class AnswerCache {
  private epoch = 0;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: Pick<Store, 'dataVersion'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The store changed through this process: every answer is stale. */
  bump(): void {
    this.epoch++;
    this.entries.clear();
  }

  /** The answer for `key`, computed by `compute` unless a fresh one is kept. */
  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const version = `${this.epoch}:${await this.store.dataVersion()}`;
    const now = this.now();
    const kept = this.entries.get(key);
    if (kept !== undefined && kept.version === version && now - kept.at < MAX_AGE_MS) return kept.value as Promise<T>;
    const value = compute();
    const entry: Entry = { version, at: now, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    // A failed computation is not kept: the next request tries again.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}

/** A JSON answer kept serialized, and gzipped for the clients that accept it (browsers all do). */
export interface JsonAnswer {
  json: Buffer;
  gzip: Buffer;
}

/** Serialize and compress once; the level favours speed, the answer is made again after every change. */
export async function jsonAnswer(value: unknown): Promise<JsonAnswer> {
  const json = Buffer.from(JSON.stringify(value));
  const gzip = await new Promise<Buffer>((resolve, reject) =>
    gzipCallback(json, { level: 4 }, (error, result) => (error ? reject(error) : resolve(result))),
  );
  return { json, gzip };
}

/** The response for a kept JSON answer: gzip when the request accepts it. */
export function jsonAnswerResponse(answer: JsonAnswer, acceptEncoding: string | undefined): Response {
  const gzip = /\bgzip\b/i.test(acceptEncoding ?? '');
  const body = gzip ? answer.gzip : answer.json;
  return new Response(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), {
    status: 200,
    headers: {
      'content-type': 'application/json',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
  });
}
