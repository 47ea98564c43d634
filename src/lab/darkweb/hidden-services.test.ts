/**
 * The lab's dark web as a client meets it: valid v3 onion names, a SOCKS5 proxy that only connects lab
 * onion names (ATYP domain) to loopback hidden services and refuses everything else with reply 0x02,
 * and web servers that serve the advertised pages.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { base32Decode, isValidOnionV3 } from '../../darkweb/extract/onion.js';
import { socks5Connect, Socks5Error } from '../../darkweb/crawl/socks5-client.js';
import {
  onionAddressFromLabel,
  onionAddressOf,
  startHiddenServices,
  startLabSocks5Proxy,
  type HiddenServices,
} from './index.js';

const NETWORK = '127.66.21';

/** Sends raw bytes to a SOCKS5 server and collects what comes back until it closes. */
function rawExchange(host: string, port: number, chunks: Uint8Array[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(received)));
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
    });
    setTimeout(() => socket.destroy(), 3000);
  });
}

async function httpViaProxy(hs: HiddenServices, onion: string, path: string): Promise<string> {
  const socket = await socks5Connect({ proxy: hs.proxy, host: onion, port: 80, timeoutMs: 3000 });
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${onion}\r\nConnection: close\r\n\r\n`);
  });
}

describe('onion names', () => {
  test('reproduce a real v3 address from its public key (DuckDuckGo)', () => {
    const address = 'duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion';
    const publicKey = base32Decode(address.slice(0, 56))!.subarray(0, 32);
    assert.equal(onionAddressOf(publicKey), address);
  });

  test('are deterministic, distinct and pass an independent checksum check', () => {
    const a = onionAddressFromLabel('vitals-lab/1/darkweb/forum');
    assert.equal(onionAddressFromLabel('vitals-lab/1/darkweb/forum'), a);
    assert.notEqual(onionAddressFromLabel('vitals-lab/2/darkweb/forum'), a);
    assert.match(a, /^[a-z2-7]{56}\.onion$/);
    assert.ok(isValidOnionV3(a));
    // One character changed breaks the checksum.
    const tampered = `${a[0] === 'a' ? 'b' : 'a'}${a.slice(1)}`;
    assert.equal(isValidOnionV3(tampered), false);
  });
});

describe('hidden services behind the lab proxy', () => {
  let hs: HiddenServices;
  before(async () => {
    hs = await startHiddenServices({ seed: 11, network: NETWORK });
  });
  after(async () => {
    await hs.close();
  });

  test('four sites of the four kinds, each on its own loopback address, with valid onion names', () => {
    assert.deepEqual(hs.sites.map((s) => s.kind).sort(), ['forum', 'leak_site', 'market', 'paste']);
    assert.equal(new Set(hs.sites.map((s) => s.address)).size, 4);
    for (const site of hs.sites) {
      assert.ok(site.address.startsWith(`${NETWORK}.`), site.address);
      assert.ok(isValidOnionV3(site.onion), site.onion);
    }
    assert.equal(hs.proxy.host, `${NETWORK}.1`);
  });

  test('a lab onion name is connected, and its page served through the tunnel', async () => {
    const leak = hs.sites.find((s) => s.kind === 'leak_site')!;
    const reply = await httpViaProxy(hs, leak.onion, '/');
    assert.match(reply, /^HTTP\/1\.1 200/);
    assert.match(reply, /LockLeak blog - victims/);
    const last = hs.proxy.requests.at(-1)!;
    assert.deepEqual(
      { atyp: last.atyp, host: last.host, allowed: last.allowed, reply: last.reply },
      { atyp: 3, host: leak.onion, allowed: true, reply: 0 },
    );
  });

  test('expected pages: pages within depth only, with their titles and organizations', () => {
    const depth1 = hs.expectedPages(1);
    assert.ok(depth1.every((p) => p.depth <= 1));
    assert.ok(hs.expectedPages(2).length > depth1.length);
    const victim = hs
      .expectedPages(2)
      .find((p) => p.kind === 'leak_site' && p.url.includes('/victim/') && !p.url.endsWith('/files'))!;
    assert.equal(victim.orgs.length, 1);
    assert.ok(victim.title!.startsWith(victim.orgs[0]!));
    // Pages reachable only from another site are never expected.
    assert.ok(!hs.expectedPages(10).some((p) => p.url.endsWith('/listing/vip') || p.url.endsWith('/paste/hidden')));
    assert.ok(hs.allPageUrls().some((u) => u.endsWith('/listing/vip')));
  });

  for (const [label, host] of [
    ['a clear-web name', 'example.com'],
    ["a valid onion that is not the lab's", onionAddressFromLabel('somebody else')],
    ['a lab onion on a port other than 80', 'PORT'],
  ] as const) {
    test(`refuses ${label} with reply 0x02`, async () => {
      const forum = hs.sites.find((s) => s.kind === 'forum')!;
      const target = host === 'PORT' ? { host: forum.onion, port: 8080 } : { host, port: 80 };
      await assert.rejects(
        socks5Connect({ proxy: hs.proxy, ...target, timeoutMs: 3000 }),
        (error: unknown) => error instanceof Socks5Error && error.replyCode === 0x02,
      );
      const last = hs.proxy.requests.at(-1)!;
      assert.equal(last.host, target.host);
      assert.equal(last.allowed, false);
    });
  }

  test('refuses an IPv4 destination, even the address of a hidden service', async () => {
    const site = hs.sites[0]!;
    const port = Buffer.alloc(2);
    port.writeUInt16BE(site.port);
    const servedBefore = site.requests.length;
    const reply = await rawExchange(hs.proxy.host, hs.proxy.port, [
      Uint8Array.of(5, 1, 0),
      Buffer.concat([Uint8Array.of(5, 1, 0, 1, ...site.address.split('.').map(Number)), port]),
    ]);
    // Method selection (5, 0), then a reply with REP = 0x02.
    assert.deepEqual([...reply.subarray(0, 4)], [5, 0, 5, 2]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(site.requests.length, servedBefore, 'the hidden service was reached by address');
    assert.equal(hs.proxy.requests.at(-1)!.atyp, 1);
  });

  test('refuses clients that offer only username/password authentication', async () => {
    const reply = await rawExchange(hs.proxy.host, hs.proxy.port, [Uint8Array.of(5, 1, 2)]);
    assert.deepEqual([...reply], [5, 0xff]);
  });

  test('refuses BIND and UDP ASSOCIATE with reply 0x07', async () => {
    const name = Buffer.from(hs.sites[0]!.onion);
    const reply = await rawExchange(hs.proxy.host, hs.proxy.port, [
      Uint8Array.of(5, 1, 0),
      Buffer.concat([Uint8Array.of(5, 2, 0, 3, name.length), name, Uint8Array.of(0, 80)]),
    ]);
    assert.deepEqual([...reply.subarray(0, 4)], [5, 0, 5, 7]);
  });

  test('a hidden service answers only for its own onion name (Host header)', async () => {
    const market = hs.sites.find((s) => s.kind === 'market')!;
    const socket = await socks5Connect({ proxy: hs.proxy, host: market.onion, port: 80, timeoutMs: 3000 });
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (text += d));
      socket.on('end', () => resolve(text));
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    });
    assert.match(reply, /^HTTP\/1\.1 421/);
  });
});

test('the proxy never connects outside 127.0.0.0/8, whatever its routing table says', async () => {
  const proxy = await startLabSocks5Proxy({ host: `${NETWORK}.2`, route: () => ({ address: '10.0.0.1', port: 80 }) });
  try {
    await assert.rejects(
      socks5Connect({ proxy, host: onionAddressFromLabel('x'), port: 80, timeoutMs: 3000 }),
      (error: unknown) => error instanceof Socks5Error && error.replyCode === 0x01,
    );
    assert.equal(proxy.requests[0]!.allowed, false);
  } finally {
    await proxy.close();
  }
  await assert.rejects(startLabSocks5Proxy({ host: '0.0.0.0', route: () => undefined }), /127\.0\.0\.0\/8/);
});
