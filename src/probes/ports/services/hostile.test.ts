/**
 * Hostile services on loopback: a banner that never ends, binary garbage, a reset on accept, a tarpit that
 * accepts and never speaks, and a trickle of one byte at a time. Each must cost bounded time and memory
 * and leave the port unidentified (so its host's checks are not assessed), never a crash or a guess.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { NetworkGuard } from '../../../net/guarded-socket.js';
import { identifyService } from './identify.js';
import { MAX_RECEIVED_BYTES } from './conversation.js';

const tuning = { connectTimeoutMs: 500, readTimeoutMs: 400, bannerWaitMs: 300 };
const BUDGET_MS = 3000;

interface Hostile {
  name: string;
  onConnection: (socket: net.Socket, counter: { sent: number }) => void;
}

const HOSTILE: Hostile[] = [
  {
    name: 'a banner that never ends',
    onConnection: (socket, counter) => {
      const chunk = Buffer.alloc(16 * 1024, 'A');
      const pump = (): void => {
        while (!socket.destroyed && socket.write(chunk)) counter.sent += chunk.length;
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    },
  },
  {
    name: 'binary garbage',
    onConnection: (socket) => socket.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x80, 0x01, 0xfe, 0x7f])),
  },
  { name: 'a reset on accept', onConnection: (socket) => socket.resetAndDestroy() },
  { name: 'a tarpit that accepts and never speaks', onConnection: () => undefined },
  {
    name: 'a trickle of one byte a tick',
    onConnection: (socket) => {
      const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write('S')), 20);
      socket.on('close', () => clearInterval(timer));
    },
  },
  {
    name: 'a 220 greeting that never ends its multi-line reply',
    onConnection: (socket) => {
      const timer = setInterval(
        () => (socket.destroyed ? clearInterval(timer) : socket.write('220-still going\r\n')),
        5,
      );
      socket.on('close', () => clearInterval(timer));
    },
  },
];

describe('hostile services', () => {
  test('an SSH banner followed by garbage: SSH, with password authentication not assessed', async () => {
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('SSH-2.0-x\r\n');
      socket.write(Buffer.from([0, 0, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const result = await identifyService(
        { guard: new NetworkGuard(), address: '127.0.0.1', port, tuning },
        BUDGET_MS,
      );
      assert.ok(result.identified && result.service.name === 'ssh', JSON.stringify(result));
      assert.ok(result.identified && result.service.name === 'ssh' && !result.service.passwordAuth.assessed);
    } finally {
      server.close();
    }
  });

  const servers: Array<{ hostile: Hostile; server: net.Server; port: number; counter: { sent: number } }> = [];
  before(async () => {
    for (const hostile of HOSTILE) {
      const counter = { sent: 0 };
      const sockets = new Set<net.Socket>();
      const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
        hostile.onConnection(socket, counter);
      });
      server.on('close', () => {
        for (const s of sockets) s.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push({ hostile, server, port: (server.address() as net.AddressInfo).port, counter });
    }
  });
  after(async () => {
    for (const { server } of servers) server.close();
  });

  for (const hostile of HOSTILE) {
    test(`${hostile.name}: unidentified, within the budget, with bounded memory`, async () => {
      const entry = servers.find((s) => s.hostile === hostile)!;
      const heapBefore = process.memoryUsage().heapUsed;
      const started = Date.now();
      const result = await identifyService(
        { guard: new NetworkGuard(), address: '127.0.0.1', port: entry.port, tuning },
        BUDGET_MS,
      );
      const elapsed = Date.now() - started;
      assert.equal(result.identified, false, JSON.stringify(result));
      assert.ok(!result.identified && result.reason.length > 0);
      // The budget is checked between protocols: one more attempt (connect + read) may follow it.
      assert.ok(elapsed < BUDGET_MS + tuning.connectTimeoutMs + tuning.readTimeoutMs + 500, `${elapsed} ms`);
      const grown = process.memoryUsage().heapUsed - heapBefore;
      assert.ok(grown < 16 * MAX_RECEIVED_BYTES + 8 * 1024 * 1024, `heap grew by ${grown} bytes`);
    });
  }
});
