/** The SOCKS5 client against scripted loopback servers: what it sends, and replies it must not trust. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { socks5Connect, Socks5Error } from './socks5-client.js';

const HOST = '127.66.71.1';

/** A TCP server running `script` for each client; resolves with its port. */
async function scripted(
  script: (socket: Socket, received: () => Buffer) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    let data = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => (data = Buffer.concat([data, d])));
    socket.on('error', () => {});
    script(socket, () => data);
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return { server, port: (server.address() as { port: number }).port };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

test('sends the host name (ATYP 0x03) and port, and keeps bytes that arrive with the reply', async () => {
  let request: Buffer | undefined;
  const { server, port } = await scripted((socket, received) => {
    socket.once('data', () => {
      socket.write(Uint8Array.of(5, 0));
      socket.once('data', () => {
        request = received().subarray(3);
        // Reply (bound to 0.0.0.0:0) and the first tunnelled bytes in one segment.
        socket.end(Buffer.concat([Uint8Array.of(5, 0, 0, 1, 0, 0, 0, 0, 0, 0), Buffer.from('HTTP/1.1 200 OK\r\n')]));
      });
    });
  });
  try {
    const socket = await socks5Connect({ proxy: { host: HOST, port }, host: 'abc.onion', port: 8080, timeoutMs: 2000 });
    const text = await new Promise<string>((resolve) => {
      let t = '';
      socket.on('data', (d: Buffer) => (t += d.toString()));
      socket.on('end', () => resolve(t));
    });
    assert.equal(text, 'HTTP/1.1 200 OK\r\n');
    assert.deepEqual([...request!.subarray(0, 5)], [5, 1, 0, 3, 9]);
    assert.equal(request!.subarray(5, 14).toString(), 'abc.onion');
    assert.equal(request!.readUInt16BE(14), 8080);
  } finally {
    await closeServer(server);
  }
});

for (const [label, reply, pattern] of [
  ['a server that is not SOCKS5', Uint8Array.of(4, 90), /not a SOCKS5 proxy/],
  ['a proxy that wants a password', Uint8Array.of(5, 2), /requires authentication/],
  ['host unreachable (0x04)', Uint8Array.of(5, 0, 5, 4, 0, 1, 0, 0, 0, 0, 0, 0), /host unreachable/],
  ['an unknown address type in the reply', Uint8Array.of(5, 0, 5, 0, 0, 9, 0, 0), /address type 9/],
] as const) {
  test(`rejects ${label}`, async () => {
    const { server, port } = await scripted((socket) => {
      socket.once('data', () => {
        socket.write(reply.subarray(0, 2));
        if (reply.length > 2) socket.once('data', () => socket.write(reply.subarray(2)));
      });
    });
    try {
      await assert.rejects(
        socks5Connect({ proxy: { host: HOST, port }, host: 'abc.onion', port: 80, timeoutMs: 2000 }),
        (e: unknown) => e instanceof Socks5Error && pattern.test(e.message),
      );
    } finally {
      await closeServer(server);
    }
  });
}

test('times out on a silent proxy, and on an abort', async () => {
  const { server, port } = await scripted(() => {});
  try {
    const started = Date.now();
    await assert.rejects(
      socks5Connect({ proxy: { host: HOST, port }, host: 'abc.onion', port: 80, timeoutMs: 200 }),
      /timed out after 200 ms/,
    );
    assert.ok(Date.now() - started < 1500);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(
      socks5Connect({
        proxy: { host: HOST, port },
        host: 'abc.onion',
        port: 80,
        timeoutMs: 5000,
        signal: controller.signal,
      }),
      /aborted/,
    );
  } finally {
    await closeServer(server);
  }
});

test('refuses host names that cannot be sent', async () => {
  await assert.rejects(
    socks5Connect({ proxy: { host: HOST, port: 1 }, host: 'a'.repeat(256), port: 80, timeoutMs: 100 }),
    /cannot send/,
  );
  await assert.rejects(
    socks5Connect({ proxy: { host: HOST, port: 1 }, host: 'bad name', port: 80, timeoutMs: 100 }),
    /cannot send/,
  );
  await assert.rejects(
    socks5Connect({ proxy: { host: HOST, port: 1 }, host: 'x.onion', port: 0, timeoutMs: 100 }),
    /bad destination port/,
  );
});
