/**
 * The web probe against real servers on loopback: an ordinary site (redirects, cookies, CORS, sensitive
 * paths confirmed by content, a library banner), and hostile ones (endless redirects, huge and endless
 * bodies, a trickling reply, oversized headers, a stall, garbage). Every hostile one costs bounded time
 * and gives `failed` (not assessed), never an answer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { NetworkGuard } from '../../net/guarded-socket.js';
import { createLabPki, selfSignedLeaf } from '../../lab/tls/lab-ca.js';
import { type EndpointContext, probeEndpoint } from './endpoint.probe.js';
import type { AnsweredEndpoint, WebEndpoint } from './web.types.js';

const LIMITS = { connectTimeoutMs: 1000, requestTimeoutMs: 1500, maxBodyBytes: 256 * 1024, maxHeaderBytes: 16 * 1024 };

function context(guard = new NetworkGuard(), overrides: Partial<EndpointContext> = {}): EndpointContext {
  return {
    guard,
    limits: LIMITS,
    maxRedirects: 5,
    deep: true,
    inScope: (host) => host === 'site.test' || host.endsWith('.site.test'),
    resolve: async (host) => (host.endsWith('site.test') ? '127.0.0.1' : null),
    ...overrides,
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function answeredOf(endpoint: WebEndpoint): AnsweredEndpoint {
  assert.equal(endpoint.state, 'answered', JSON.stringify(endpoint));
  return endpoint as AnsweredEndpoint;
}

describe('an ordinary site', () => {
  let server: http.Server;
  let secure: https.Server;
  let port: number;
  let securePort: number;
  before(async () => {
    const handler: http.RequestListener = (req, res) => {
      const url = req.url ?? '/';
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'access-control-allow-origin': String(req.headers.origin ?? '') }).end();
        return;
      }
      if (url === '/old') {
        res.writeHead(301, { location: '/' }).end();
        return;
      }
      if (url === '/away') {
        res.writeHead(302, { location: 'https://elsewhere.example/' }).end();
        return;
      }
      if (url === '/.git/HEAD') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ref: refs/heads/main\n');
        return;
      }
      if (url === '/js/lib.js') {
        res.writeHead(200).end('/*! jQuery v1.12.4 | (c) jQuery Foundation | jquery.org/license */\n!function(){}();');
        return;
      }
      // Any other path: the home page with status 200 (a soft 404): never a confirmation by itself.
      res.writeHead(200, {
        'content-type': 'text/html',
        'set-cookie': ['sid=1; HttpOnly', 'pref=a; Secure; SameSite=Lax'],
        server: 'Apache/2.4.29 (Ubuntu)',
      });
      res.end(
        '<html><head><title>Home</title><meta http-equiv="Content-Security-Policy" content="default-src \'self\'">' +
          '</head><body><form action="/login"><input type="password"></form>' +
          '<img src="http://cdn.example/x.png"><script src="/js/lib.js"></script></body></html>',
      );
    };
    server = http.createServer(handler);
    // A certificate no trust store knows: the probe fetches anyway and records that it did not verify.
    const pki = createLabPki();
    secure = https.createServer(
      { cert: selfSignedLeaf(pki, ['site.test'], pki.ecKey), key: pki.ecKey.privatePem },
      handler,
    );
    port = await listen(server);
    securePort = await listen(secure);
  });
  after(() => {
    server.closeAllConnections();
    secure.closeAllConnections();
    server.close();
    secure.close();
  });

  test('the page, its cookies, CORS, sensitive paths confirmed by content, and a library banner', async () => {
    const endpoint = answeredOf(await probeEndpoint(context(), 'site.test', '127.0.0.1', 'http', port));
    assert.equal(endpoint.chain[0]!.status, 200);
    assert.deepEqual(endpoint.cookies.slice(0, 2), ['sid=1; HttpOnly', 'pref=a; Secure; SameSite=Lax']);
    assert.equal(endpoint.body.page?.title, 'Home');
    assert.deepEqual(endpoint.body.page?.forms, [{ action: '/login', method: 'get', hasPassword: true }]);
    assert.deepEqual(endpoint.body.page?.metaHeaders, [['content-security-policy', "default-src 'self'"]]);
    assert.ok(endpoint.body.page?.resources.some((r) => r.url === 'http://cdn.example/x.png'));
    assert.equal(endpoint.cors?.allowOrigin, endpoint.cors?.origin);
    const git = endpoint.sensitive.find((s) => s.path === '/.git/HEAD');
    assert.equal(git?.confirmed, true);
    // The soft 404 answers 200 with HTML: not an exposed .env.
    const env = endpoint.sensitive.find((s) => s.path === '/.env');
    assert.deepEqual([env?.status, env?.confirmed], [200, false]);
    assert.deepEqual(
      endpoint.libraries.map((l) => [l.library, l.version, l.via]),
      [['jquery', '1.12.4', 'filecontent']],
    );
  });

  test('HTTPS with a certificate that does not verify is fetched, and the verification recorded', async () => {
    const endpoint = answeredOf(await probeEndpoint(context(), 'site.test', '127.0.0.1', 'https', securePort));
    assert.equal(endpoint.tls?.verified, false);
    assert.ok(endpoint.tls?.error);
    assert.equal(endpoint.body.page?.title, 'Home');
  });

  test('a closed port is closed, not a failure', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const endpoint = await probeEndpoint(context(), 'site.test', '127.0.0.1', 'http', closed);
    assert.equal(endpoint.state, 'closed');
  });

  test('the network policy refuses loopback without --allow-private: nothing is sent', async () => {
    const sent: string[] = [];
    const guard = new NetworkGuard({
      policy: { allowPrivate: false, allowedEndpoints: [], exclusions: { cidrs: [], suffixes: [] } },
      recorder: { sent: (a) => sent.push(a), refused: () => undefined },
    });
    const endpoint = await probeEndpoint(context(guard), 'site.test', '127.0.0.1', 'http', port);
    assert.equal(endpoint.state, 'failed');
    assert.equal(endpoint.state === 'failed' && endpoint.reason, 'policy_refused');
    assert.deepEqual(sent, []);
  });
});

describe('hostile servers cost bounded time and give failed, never an answer', () => {
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  /** A raw TCP server whose connections run `behave`. */
  async function raw(behave: (socket: net.Socket) => void): Promise<number> {
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
      behave(socket);
    });
    servers.push(server);
    return listen(server);
  }
  after(() => {
    for (const s of sockets) s.destroy();
    for (const s of servers) s.close();
  });

  const cases: Array<[string, (socket: net.Socket) => void, string]> = [
    ['a stall after the connection', () => undefined, 'timeout'],
    [
      'a trickling reply (one byte every 100 ms)',
      (socket) => {
        const reply = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n\r\n${'x'.repeat(10_000)}`);
        let i = 0;
        const timer = setInterval(() => {
          if (socket.destroyed || i >= reply.length) return clearInterval(timer);
          socket.write(reply.subarray(i, i + 1));
          i += 1;
        }, 100);
        socket.on('close', () => clearInterval(timer));
      },
      'timeout',
    ],
    [
      'oversized headers (100 KB)',
      (socket) => socket.end(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(100_000)}\r\ncontent-length: 0\r\n\r\n`),
      'malformed_reply',
    ],
    [
      'a huge body (over the cap)',
      (socket) => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 10000000\r\n\r\n');
        socket.end(Buffer.alloc(10_000_000, 0x61));
      },
      'malformed_reply',
    ],
    [
      'an endless body',
      (socket) => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ntransfer-encoding: chunked\r\n\r\n');
        const chunk = `10000\r\n${'b'.repeat(0x10000)}\r\n`;
        const pump = (): void => {
          while (!socket.destroyed && socket.write(chunk));
          if (!socket.destroyed) socket.once('drain', pump);
        };
        pump();
      },
      'malformed_reply',
    ],
    [
      'garbage instead of HTTP',
      (socket) => socket.end(Buffer.from('\u0016\u0003\u0001garbage\r\n\r\n')),
      'malformed_reply',
    ],
  ];
  for (const [name, behave, reason] of cases) {
    test(name, async () => {
      const port = await raw(behave);
      const started = Date.now();
      const endpoint = await probeEndpoint(context(), 'site.test', '127.0.0.1', 'http', port);
      const took = Date.now() - started;
      assert.equal(endpoint.state, 'failed', JSON.stringify(endpoint).slice(0, 300));
      assert.equal(endpoint.state === 'failed' && endpoint.reason, reason);
      assert.ok(took < LIMITS.requestTimeoutMs + 1500, `took ${took} ms`);
    });
  }

  test('endless redirects stop at the bound', async () => {
    let count = 0;
    const port = await raw((socket) => {
      socket.on('data', () => {
        count += 1;
        socket.write(`HTTP/1.1 302 Found\r\nlocation: /loop/${count}\r\ncontent-length: 0\r\n\r\n`);
      });
    });
    const endpoint = await probeEndpoint(context(), 'site.test', '127.0.0.1', 'http', port);
    assert.equal(endpoint.state, 'failed');
    assert.match(endpoint.state === 'failed' ? endpoint.detail : '', /more than 5 redirects/);
    assert.equal(count, 6);
  });

  test('a redirect out of scope is recorded and not followed', async () => {
    const port = await raw((socket) =>
      socket.on('data', () =>
        socket.write('HTTP/1.1 301 Moved\r\nlocation: https://elsewhere.example/\r\ncontent-length: 0\r\n\r\n'),
      ),
    );
    const endpoint = answeredOf(await probeEndpoint(context(), 'site.test', '127.0.0.1', 'http', port));
    assert.equal(endpoint.leftScope, 'https://elsewhere.example/');
    assert.equal(endpoint.chain.filter((e) => e.method === 'GET').length, 1);
    assert.deepEqual(endpoint.sensitive, []);
  });
});
