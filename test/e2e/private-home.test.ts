/**
 * The home folder holds an inventory of weaknesses: it is 0700 and the database files 0600, whichever
 * command creates them first and whatever the umask, and a home left too open is tightened on open.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/database.js';
import { startLab } from '../../src/lab/lab-runner.js';
import { randomHighPort, randomServiceOffset } from '../helpers/lab.js';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';

after(removeTempHomes);

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

/** Runs `work` under umask 0, where every mode the code does not set explicitly comes out 0777/0666. */
async function withOpenUmask<T>(work: () => Promise<T>): Promise<T> {
  const previous = process.umask(0);
  try {
    return await work();
  } finally {
    process.umask(previous);
  }
}

test('the lab running first makes the home and its lab folder 0700, even under umask 0', async () => {
  const home = join(tempHome(), 'home');
  const startAndStop = () =>
    withOpenUmask(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          // Random ports throughout: other tests' labs may be running.
          const https = randomHighPort();
          const lab = await startLab({
            seed: 1,
            orgs: 1,
            port: randomHighPort(),
            home,
            webPort: randomHighPort(),
            tlsPorts: { https, alt: https === 49999 ? 20000 : https + 1 },
            servicePortOffset: randomServiceOffset(),
          });
          await lab.stop();
          return;
        } catch (error) {
          if (
            !['EADDRINUSE', 'lab-port-unavailable'].includes(String((error as { code?: unknown }).code)) ||
            attempt > 5
          )
            throw error;
        }
      }
    });
  await startAndStop();
  assert.equal(modeOf(home), '700');
  assert.equal(modeOf(join(home, 'lab')), '700');
  // Folders left open (by an older version or by hand) are tightened the next time the lab starts.
  chmodSync(home, 0o755);
  chmodSync(join(home, 'lab'), 0o777);
  await startAndStop();
  assert.equal(modeOf(home), '700');
  assert.equal(modeOf(join(home, 'lab')), '700');
});

test('the database and its -wal and -shm files are 0600 while open, even under umask 0', async () => {
  const home = join(tempHome(), 'home');
  const store = await withOpenUmask(() => openStore({ home }));
  try {
    await store.organizations.list();
    assert.equal(modeOf(home), '700');
    for (const suffix of ['', '-wal', '-shm']) {
      const file = join(home, `vitals.db${suffix}`);
      assert.ok(existsSync(file), `${file} exists while the store is open`);
      assert.equal(modeOf(file), '600', file);
    }
  } finally {
    await store.close();
  }
});

test('a home and database left too open are tightened on the next open', async () => {
  const home = join(tempHome(), 'home');
  await (await openStore({ home })).close();
  chmodSync(home, 0o755);
  chmodSync(join(home, 'vitals.db'), 0o644);
  // A write-ahead log left behind by a crash, world-readable.
  writeFileSync(join(home, 'vitals.db-wal'), '');
  chmodSync(join(home, 'vitals.db-wal'), 0o666);
  const run = await runVitals(['orgs', 'list', '--format', 'json'], home);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(modeOf(home), '700');
  assert.equal(modeOf(join(home, 'vitals.db')), '600');
  if (existsSync(join(home, 'vitals.db-wal'))) assert.equal(modeOf(join(home, 'vitals.db-wal')), '600');
});

test('`vitals orgs list` as the first command under umask 0 creates a private home', async () => {
  const home = join(tempHome(), 'home');
  const run = await runVitals(['orgs', 'list', '--format', 'json'], home, { umask: 0 });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(modeOf(home), '700');
  assert.equal(modeOf(join(home, 'vitals.db')), '600');
});

test('a shared sticky folder such as /tmp is refused as the home, and left as it is', async (t) => {
  const shared = '/tmp';
  if ((statSync(shared).mode & 0o1000) === 0) return t.skip('/tmp is not a sticky folder here');
  const modeBefore = statSync(shared).mode;
  const run = await runVitals(['orgs', 'list'], shared);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /\/tmp is a shared folder \(sticky bit/);
  assert.equal(statSync(shared).mode, modeBefore, 'left as it was');
  assert.equal(existsSync(join(shared, 'vitals.db')), false);
});
