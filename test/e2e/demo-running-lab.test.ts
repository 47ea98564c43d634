/**
 * `vitals demo` (npm start) next to a running lab: the same world is used as it is, a different one is
 * refused, and the running lab's files are never overwritten. A DNS port held by another process is one
 * line naming the address, the port and the process, exit 2, no stack trace; `vitals lab up` alike.
 */
// test-lane: serial (starts a lab through the CLI, on the lab's own TLS and service ports)
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { readFileSync, statSync } from 'node:fs';
import { LAB_RESOLVER_ADDRESS } from '../../src/lab/world/infrastructure.js';
import { labFiles } from '../../src/lab/lab-runner.js';
import { randomHighPort } from '../helpers/lab.js';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';

after(removeTempHomes);

/** Holds udp `address:port` in this process; retries another port when that one is taken. */
async function holdUdpPort(address: string): Promise<{ port: number; release: () => void }> {
  for (;;) {
    const socket = createSocket('udp4');
    const port = randomHighPort();
    const bound = await new Promise<boolean>((resolve) => {
      socket.once('error', () => resolve(false));
      socket.bind(port, address, () => resolve(true));
    });
    if (bound) return { port, release: () => socket.close() };
    socket.close();
  }
}

test('a taken DNS port is named with its holder, exit 2 and no stack trace: demo and lab up', async () => {
  const held = await holdUdpPort(LAB_RESOLVER_ADDRESS);
  try {
    for (const args of [
      ['demo', '--orgs', '1', '--documents', '0'],
      ['lab', 'up', '--orgs', '1', '--documents', '1'],
    ]) {
      const run = await runVitals([...args, '--dns-port', String(held.port)], tempHome());
      assert.equal(run.code, 2, `${args[0]}: ${run.stderr}`);
      assert.ok(run.stderr.includes(`${LAB_RESOLVER_ADDRESS}:${held.port}`), run.stderr);
      assert.ok(run.stderr.includes(`pid ${process.pid} (`), run.stderr);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  } finally {
    held.release();
  }
});

test('demo uses a running lab of the same world, refuses another, and never rewrites its files', async () => {
  const home = tempHome();
  const port = String(randomHighPort());
  const up = await runVitals(
    ['lab', 'up', '--orgs', '2', '--documents', '40', '--dns-port', port, '--web-port', String(Number(port) + 1)],
    home,
  );
  assert.equal(up.code, 0, up.stderr);
  try {
    const files = labFiles(home);
    const watched = [files.organizations, files.truth, files.ct, files.trustAnchor, files.darkwebCorpus];
    const snapshot = () => watched.map((f) => `${f} ${statSync(f).mtimeMs} ${readFileSync(f, 'utf8').length}`);
    const before = snapshot();

    const same = await runVitals(['demo', '--orgs', '2'], home, { timeoutMs: 120_000 });
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stderr, /using the lab already running/);
    // The running lab's corpus (40 documents), not a new one of the demo's default 2,000.
    const ingested = /Dark web: (\d+) documents ingested \((\d+) duplicates/.exec(same.stdout);
    assert.equal(Number(ingested?.[1]) + Number(ingested?.[2]), 40, same.stdout);
    assert.deepEqual(snapshot(), before, "the running lab's files are untouched");

    const other = await runVitals(['demo', '--orgs', '3', '--documents', '0'], home);
    assert.equal(other.code, 2, other.stderr);
    assert.match(other.stderr, /a lab is already running .*`vitals lab down` first/);
    assert.deepEqual(snapshot(), before, "the running lab's files are untouched");

    const status = await runVitals(['lab', 'status', '--format', 'json'], home);
    assert.equal((JSON.parse(status.stdout) as { running: boolean }).running, true, 'the lab still runs');
  } finally {
    await runVitals(['lab', 'down'], home);
  }
});
