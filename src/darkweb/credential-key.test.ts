/**
 * The credential HMAC key lives in a 0600 key file or VITALS_CREDENTIAL_KEY, never in the database;
 * a key older databases stored moves out on open and the stored hashes stay comparable.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../store/database.js';
import { hashPassword } from './analyze.js';
import {
  CredentialKeyError,
  credentialKeyPath,
  loadCredentialKey,
  moveCredentialKeyOutOfDatabase,
} from './credential-key.js';
import { runCli } from './ingest/test-support.js';

const scratch = mkdtempSync(join(tmpdir(), 'vitals-credential-key-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let homes = 0;
const newHome = () => join(scratch, `home-${++homes}`);

/** A key as older versions generated and stored it. */
const LEGACY_KEY = 'ab'.repeat(32);
const PASSWORD = 'Tr0ub4dor&3xyz';

/** Writes the key the way older versions kept it: a row of darkweb_settings. */
function storeLegacyKey(home: string, key: string): void {
  const db = new Database(join(home, 'vitals.db'));
  db.prepare(`insert into darkweb_settings (key, value) values ('credential_salt', ?)`).run(key);
  db.close();
}

/** A store whose database holds the key the way older versions kept it. */
async function storeWithLegacyKey() {
  const home = newHome();
  await (await openStore({ home })).close();
  storeLegacyKey(home, LEGACY_KEY);
  return { home, store: await openStore({ home }) };
}

function settingsRows(home: string): { key: string; value: string }[] {
  const db = new Database(join(home, 'vitals.db'), { readonly: true });
  const rows = db.prepare('select key, value from darkweb_settings').all() as { key: string; value: string }[];
  db.close();
  return rows;
}

describe('the credential key file', () => {
  test('created on first need with mode 0600 in a 0700 folder, then the same key every time', () => {
    const home = newHome();
    const key = loadCredentialKey({ home, env: {} });
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(statSync(credentialKeyPath(home)).mode & 0o777, 0o600);
    assert.equal(statSync(home).mode & 0o777, 0o700);
    assert.equal(loadCredentialKey({ home, env: {} }), key);
    assert.equal(readFileSync(credentialKeyPath(home), 'utf8').trim(), key);
  });

  test('a key file readable by others is tightened to 0600', () => {
    const home = newHome();
    loadCredentialKey({ home, env: {} });
    writeFileSync(credentialKeyPath(home), `${'cd'.repeat(32)}\n`, { mode: 0o644 });
    assert.equal(loadCredentialKey({ home, env: {} }), 'cd'.repeat(32));
    assert.equal(statSync(credentialKeyPath(home)).mode & 0o777, 0o600);
  });

  test('VITALS_CREDENTIAL_KEY wins and no file is written; a malformed one is refused', () => {
    const home = newHome();
    const key = 'EF'.repeat(32);
    assert.equal(loadCredentialKey({ home, env: { VITALS_CREDENTIAL_KEY: key } }), key.toLowerCase());
    assert.equal(existsSync(credentialKeyPath(home)), false);
    assert.throws(
      () => loadCredentialKey({ home, env: { VITALS_CREDENTIAL_KEY: 'too-short' } }),
      (e: unknown) => e instanceof CredentialKeyError && /64 hexadecimal characters/.test(e.message),
    );
  });
});

describe('a key stored in the database by an older version', () => {
  test('moves to the key file and out of the database', async () => {
    const { home, store } = await storeWithLegacyKey();
    try {
      assert.equal(await moveCredentialKeyOutOfDatabase(store, { home, env: {} }), true);
      assert.equal(readFileSync(credentialKeyPath(home), 'utf8').trim(), LEGACY_KEY);
      assert.equal(statSync(credentialKeyPath(home)).mode & 0o777, 0o600);
      assert.deepEqual(settingsRows(home), []);
      assert.equal(await moveCredentialKeyOutOfDatabase(store, { home, env: {} }), false, 'nothing left to move');
    } finally {
      await store.close();
    }
  });

  test('a different key in the file or the environment is refused, and nothing changes', async () => {
    const { home, store } = await storeWithLegacyKey();
    try {
      const other = 'cd'.repeat(32);
      await assert.rejects(moveCredentialKeyOutOfDatabase(store, { home, env: { VITALS_CREDENTIAL_KEY: other } }), {
        name: 'CredentialKeyError',
      });
      writeFileSync(credentialKeyPath(home), other, { mode: 0o600 });
      await assert.rejects(moveCredentialKeyOutOfDatabase(store, { home, env: {} }), /holds a different one/);
      assert.deepEqual(settingsRows(home), [{ key: 'credential_salt', value: LEGACY_KEY }]);
      assert.equal(readFileSync(credentialKeyPath(home), 'utf8'), other);
    } finally {
      await store.close();
    }
  });

  test(
    'through the CLI: hashes made after the move match hashes made with the old key; no hint shows ' + 'characters',
    async () => {
      const home = newHome();
      assert.equal((await runCli(['darkweb', 'mentions', '--format', 'json'], home)).code, 0);
      storeLegacyKey(home, LEGACY_KEY);
      const file = join(home, 'combo.jsonl');
      const text = `combo list\njane.doe@northwind-clinic.test:${PASSWORD}\n`;
      writeFileSync(file, `${JSON.stringify({ id: 'combo-1', source: 'p', source_type: 'paste', text })}\n`);
      const run = await runCli(['darkweb', 'ingest', file, '--format', 'json'], home);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(readFileSync(credentialKeyPath(home), 'utf8').trim(), LEGACY_KEY);
      assert.deepEqual(settingsRows(home), []);
      const db = new Database(join(home, 'vitals.db'), { readonly: true });
      const row = db.prepare('select password_hash, password_hint from darkweb_credentials').get() as {
        password_hash: string;
        password_hint: string;
      };
      db.close();
      assert.equal(row.password_hash, hashPassword(PASSWORD, LEGACY_KEY));
      assert.equal(row.password_hint, '12-15 characters');
      for (const suffix of ['', '-wal']) {
        const path = join(home, `vitals.db${suffix}`);
        if (existsSync(path)) assert.ok(!readFileSync(path).includes(LEGACY_KEY), `key not in vitals.db${suffix}`);
      }
    },
  );
});

describe('hints stored by older versions', () => {
  test('lose their characters on open: only the length class stays', async () => {
    const home = newHome();
    await (await openStore({ home })).close();
    // An older database: hints with the first and last character, and migration 0005 not yet applied.
    const db = new Database(join(home, 'vitals.db'));
    db.pragma('foreign_keys = OFF');
    const insert = db.prepare(
      `insert into darkweb_credentials (id, document_id, email, domain, password_hash, password_hint, seen_at)
       values (?, 'doc', ?, 'x.test', 'hmac-sha256$00', ?, '2025-01-01T00:00:00.000Z')`,
    );
    const old = ['***** (3)', 'p*****d (8)', 'T*****z (14)', 'a*****b (15)', 'L*****g (16)', 'q*****w (120)'];
    for (const [i, hint] of old.entries()) insert.run(`c${i}`, `u${i}@x.test`, hint);
    db.prepare(`delete from kysely_migration where name = '0005-darkweb-credential-hints'`).run();
    db.close();
    await (await openStore({ home })).close();
    const after = new Database(join(home, 'vitals.db'), { readonly: true });
    const hints = after.prepare('select password_hint from darkweb_credentials order by id').all() as {
      password_hint: string;
    }[];
    after.close();
    assert.deepEqual(
      hints.map((h) => h.password_hint),
      [
        'under 8 characters',
        '8-11 characters',
        '12-15 characters',
        '12-15 characters',
        '16+ characters',
        '16+ characters',
      ],
    );
  });
});
