import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from './sqlite-connection.js';

describe('SQLite connection: statements reused by SQL text', () => {
  test('a lookup run again sees rows written in between, and a stream of it runs beside the same lookup', () => {
    const home = mkdtempSync(join(tmpdir(), 'vitals-sqlite-connection-'));
    const db = openSqliteDatabase(join(home, 'test.db'), 5000);
    try {
      db.prepare('create table t (id integer primary key, name text)').run([]);
      const insert = 'insert into t (name) values (?)';
      const lookup = 'select name from t where name in (?, ?) order by name';
      db.prepare(insert).run(['a']);
      assert.deepEqual(db.prepare(lookup).all(['a', 'b']), [{ name: 'a' }]);
      db.prepare(insert).run(['b']);
      assert.deepEqual(db.prepare(lookup).all(['a', 'b']), [{ name: 'a' }, { name: 'b' }]);

      const seen: unknown[] = [];
      for (const row of db.prepare(lookup).iterate(['a', 'b'])) {
        // The same text run to completion while the stream is open: it must not find its statement busy.
        seen.push(row, db.prepare(lookup).all(['b', 'c']));
      }
      assert.deepEqual(seen, [{ name: 'a' }, [{ name: 'b' }], { name: 'b' }, [{ name: 'b' }]]);
    } finally {
      db.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
