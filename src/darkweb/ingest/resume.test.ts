/**
 * Crash safety: a child `vitals darkweb ingest` is killed with SIGKILL mid-way (after its first
 * committed batch is visible), then re-run. Every input document must be stored exactly once, with
 * its input id, in input order, and the re-run must read exactly the records not yet committed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../store/database.js';
import { cliInvocation, runCli } from './test-support.js';

const DOCUMENTS = 30_000;
const SOURCE_TYPES = ['forum', 'market', 'paste', 'leak_site', 'chat'] as const;
const WORDS = (
  'selling database records hospital clinic patients access rdp vpn escrow price fresh dump leak forum thread ' +
  'admin panel insurance billing lab results'
).split(' ');

function generateJsonl(path: string): string[] {
  let seed = 7;
  const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const ids: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < DOCUMENTS; i++) {
    const id = `resume-${i.toString().padStart(5, '0')}`;
    ids.push(id);
    const words = Array.from(
      { length: 20 + Math.floor(random() * 40) },
      () => WORDS[Math.floor(random() * WORDS.length)],
    ).join(' ');
    lines.push(
      JSON.stringify({
        id,
        source: 'gen',
        source_type: SOURCE_TYPES[i % 5],
        posted_at: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
        text: `${words} (post ${i})`,
      }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return ids;
}

function committedLine(dbFile: string): number {
  if (!existsSync(dbFile)) return 0;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true, timeout: 1000 });
    const row = db.prepare('select max(line) as line from darkweb_ingest_checkpoints').get() as
      | { line: number | null }
      | undefined;
    return Number(row?.line ?? 0);
  } catch {
    // The child may still be creating the schema.
    return 0;
  } finally {
    db?.close();
  }
}

test('ingestion killed with SIGKILL resumes exactly: every document once, ids kept, nothing re-read', {
  timeout: 300_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-resume-'));
  const home = join(dir, 'home');
  const file = join(dir, 'corpus.jsonl');
  const ids = generateJsonl(file);
  const dbFile = join(home, 'vitals.db');

  const { command, args } = cliInvocation();
  const env: NodeJS.ProcessEnv = { ...process.env, VITALS_HOME: home };
  delete env['VITALS_DATABASE_URL'];
  const child = spawn(command, [...args, 'darkweb', 'ingest', file, '--batch-size', '500', '--no-findings'], {
    env,
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let killedAt = 0;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const line = committedLine(dbFile);
    if (line > 0) {
      child.kill('SIGKILL');
      killedAt = line;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const code = await exited;
  assert.ok(killedAt > 0, 'a first batch was committed before the deadline');
  assert.equal(code, null, 'the child was killed, not finished');
  const committed = committedLine(dbFile);
  assert.ok(committed > 0 && committed < DOCUMENTS, `killed mid-way (checkpoint at line ${committed})`);

  const rerun = await runCli(['darkweb', 'ingest', file, '--no-findings', '--format', 'json'], home);
  assert.equal(rerun.code, 0, rerun.stderr);
  const summary = JSON.parse(rerun.stdout) as { documents: { read: number; new: number; duplicates: number } };
  assert.equal(summary.documents.read, DOCUMENTS - committed, 'the re-run reads exactly the uncommitted records');
  assert.equal(summary.documents.duplicates, 0);

  const store = await openStore({ home });
  try {
    assert.deepEqual(
      await store.darkweb.documentIds(),
      ids,
      'every document exactly once, with its input id, in input order',
    );
  } finally {
    await store.close();
  }
});
