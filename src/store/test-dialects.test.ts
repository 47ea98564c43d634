import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL_VARIABLE, testDialects } from './test-dialects.js';
import type { TestDialect } from './test-dialects.js';

const postgresUrl = process.env[TEST_DATABASE_URL_VARIABLE];
const postgresSkip =
  postgresUrl === undefined || postgresUrl === '' ? `${TEST_DATABASE_URL_VARIABLE} is not set` : false;

function dialectNamed(dialects: TestDialect[], name: TestDialect['name']): TestDialect {
  const found = dialects.find((d) => d.name === name);
  assert.ok(found, `no ${name} dialect among ${dialects.map((d) => d.name).join(', ')}`);
  return found;
}

async function databaseExists(adminUrl: string, database: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('testDialects', () => {
  test('SQLite always comes first; PostgreSQL follows only when the variable is set', async () => {
    const dialects = testDialects();
    assert.deepEqual(
      dialects.map((d) => d.name),
      postgresSkip === false ? ['SQLite', 'PostgreSQL'] : ['SQLite'],
    );
    for (const dialect of dialects) await dialect.dispose();
  });

  test('a label that is not a plain SQL identifier is refused before any database is touched', () => {
    for (const label of ['', 'Store', 'a-b', 'x; DROP DATABASE postgres', '1abc', 'a'.repeat(31)]) {
      assert.throws(() => testDialects(label), /label must match/, label);
    }
  });

  test("SQLite: a second open sees the first one's data; dispose removes the scratch home", async () => {
    const sqlite = dialectNamed(testDialects('selftest'), 'SQLite');
    try {
      const first = await sqlite.open();
      const file = first.location;
      assert.match(dirname(file), /vitals-selftest-/);
      await first.organizations.upsert({
        name: 'Scratch Clinic',
        sector: 'clinic',
        domains: ['scratch.example'],
        telehealth: false,
      });
      await first.close();
      const again = await sqlite.open();
      try {
        assert.deepEqual(
          (await again.organizations.list()).map((o) => o.name),
          ['Scratch Clinic'],
        );
      } finally {
        await again.close();
      }
      assert.ok(existsSync(file));
      await sqlite.dispose();
      assert.equal(existsSync(dirname(file)), false, 'the scratch home is still there');
    } finally {
      await sqlite.dispose();
    }
  });

  test('PostgreSQL: open creates a scratch database once; dispose drops it even with a session still open', {
    skip: postgresSkip,
  }, async () => {
    const adminUrl = postgresUrl!;
    const dialects = testDialects('selftest');
    const postgres = dialectNamed(dialects, 'PostgreSQL');
    await postgres.dispose(); // never opened: nothing to drop, and no error
    const first = await postgres.open();
    const database = new URL(first.location).pathname.slice(1);
    assert.match(database, /^vitals_selftest_[0-9a-f]{12}$/);
    try {
      assert.equal(await databaseExists(adminUrl, database), true);
      await first.organizations.upsert({
        name: 'Scratch Clinic',
        sector: 'clinic',
        domains: ['scratch.example'],
        telehealth: false,
      });
      const again = await postgres.open();
      try {
        assert.deepEqual(
          (await again.organizations.list()).map((o) => o.name),
          ['Scratch Clinic'],
        );
      } finally {
        await again.close();
      }
      // `first` stays open on purpose: a failed test can leave a session behind, and the drop must not wait on it.
      await postgres.dispose();
      assert.equal(await databaseExists(adminUrl, database), false, `${database} was left behind`);
    } finally {
      await first.close().catch(() => undefined); // its server session was ended by the forced drop
      for (const dialect of dialects) await dialect.dispose();
    }
  });
});
