/**
 * Identification on a starved event loop (a loaded machine, a long synchronous task): every turn of the
 * loop is longer than the try timeout, yet the lab's services, which answer at once, are named. The
 * services run in this process, as in `scan --lab` and the e2e tests, so a reply needs two polls of the
 * loop after the request: the lab reads in the first, the prober in the second. Before a timeout was
 * decided only after those polls, every client-first protocol timed out here and nothing was named.
 * And a server slower than the try timeout (a loaded host): tried again with the full read timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { serveMssql } from '../../../lab/services/mssql-oracle.js';
import { NetworkGuard } from '../../../net/guarded-socket.js';
import { type LabServices, startLabServices } from '../../../lab/services/lab-services.js';
import type { LabServiceHost, LabServiceKind } from '../../../lab/services/plan.js';
import { identifyService } from './identify.js';

/** Longer than the try timeout below: every timer is due again by the time the loop gets back to it. */
const TURN_MS = 120;
const tuning = { connectTimeoutMs: 1000, readTimeoutMs: 1500, bannerWaitMs: 400, tryTimeoutMs: 50 };

/** Busy-waits `TURN_MS` on every turn of the event loop until stopped. */
function starve(): () => void {
  const timer = setInterval(() => {
    const until = Date.now() + TURN_MS;
    while (Date.now() < until);
  }, 0);
  return () => clearInterval(timer);
}

describe('identification on a starved event loop', () => {
  let services: LabServices;
  const offset = 20000 + Math.floor(Math.random() * 18000);
  // Client-first services on ports that suggest nothing: each is found by the tries of tryTimeoutMs.
  const kinds: LabServiceKind[] = ['rdp', 'mssql'];
  const hosts: LabServiceHost[] = kinds.map((kind, i) => ({
    organization: 't',
    address: `127.252.0.${i + 1}`,
    services: [{ kind, port: 1000 + i, weak: true, version: kind === 'mssql' ? '16.0.1000' : 'x' }],
  }));
  before(async () => {
    services = await startLabServices(hosts, offset);
  });
  after(async () => {
    await services.close();
  });

  test('RDP and SQL Server are named though each loop turn outlasts the try timeout', async () => {
    const stop = starve();
    const named: string[] = [];
    try {
      for (const {
        address,
        services: [service],
      } of hosts) {
        const port = service!.port + offset;
        const result = await identifyService({ guard: new NetworkGuard(), address, port, tuning }, 60_000);
        named.push(result.identified ? result.service.name : `unidentified: ${result.reason}`);
      }
    } finally {
      stop();
    }
    assert.deepEqual(named, kinds);
  });
});

describe('a server slower than the try timeout', () => {
  test('is named when its protocol is tried again with the full read timeout', async () => {
    // The lab's SQL Server, taking each connection up only after a pause longer than the try timeout.
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      setTimeout(() => serveMssql(socket, { kind: 'mssql', port: 1433, weak: true, version: '16.0.1000' }), 300);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const result = await identifyService(
        { guard: new NetworkGuard(), address: '127.0.0.1', port, tuning: { ...tuning, tryTimeoutMs: 100 } },
        60_000,
      );
      assert.ok(result.identified, `not identified: ${result.identified ? '' : result.reason}`);
      assert.equal(result.service.name, 'mssql');
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
