/**
 * The TLS endpoint assessment against real servers on loopback: OpenSSL through node:tls (modern and
 * legacy configurations), the lab's legacy responder for SSLv2 and SSLv3, and hostile servers (garbage,
 * a stall, a trickle, an oversized certificate message, a closed port), which must cost bounded time and
 * end not assessed, never in a pass.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { NetworkGuard } from '../../net/guarded-socket.js';
import { createLabPki, issueLeaf, type LabPki } from '../../lab/tls/lab-ca.js';
import { createLegacyResponder } from '../../lab/tls/legacy-responder.js';
import { createTrustStore } from './certificate.js';
import { assessEndpoint, type EndpointSettings } from './tls-endpoint.js';
import type { TlsEndpointObservation, TlsServiceObservation } from './tls.types.js';

let pki: LabPki;
let leafPem: string;
const servers: net.Server[] = [];

function settings(overrides: Partial<EndpointSettings> = {}): EndpointSettings {
  return {
    guard: new NetworkGuard(),
    trust: createTrustStore(pki.trustBundlePem, { system: false }),
    limits: { connectTimeoutMs: 1000, replyTimeoutMs: 400, maxBytes: 256 * 1024 },
    endpointTimeoutMs: 20_000,
    maxConnections: 400,
    groups: true,
    now: () => new Date(),
    ...overrides,
  };
}

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

function completed(e: TlsEndpointObservation): TlsEndpointObservation & TlsServiceObservation {
  assert.equal(e.status, 'completed', JSON.stringify(e));
  return e as TlsEndpointObservation & TlsServiceObservation;
}

const supportedVersions = (e: TlsServiceObservation) => e.versions.filter((v) => v.supported).map((v) => v.version);

before(async () => {
  pki = await createLabPki();
  leafPem = await issueLeaf(pki, {
    names: ['portal.clinic.test'],
    key: pki.ecKey,
    issuer: pki.intermediate,
    notBeforeDays: -1,
    notAfterDays: 60,
  });
});

after(async () => {
  for (const s of servers) s.close();
});

describe('a TLS endpoint served by OpenSSL', () => {
  test('modern: TLS 1.2 and 1.3, the configured suites in server order, groups, the chain as sent', async () => {
    const port = await listen(
      tls.createServer({
        key: pki.ecKey.privatePem,
        cert: `${leafPem}\n${pki.intermediate.pem}`,
        minVersion: 'TLSv1.2',
        ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256',
        honorCipherOrder: true,
      }),
    );
    const started = Date.now();
    const e = completed(await assessEndpoint({ host: 'portal.clinic.test', address: '127.0.0.1', port }, settings()));
    assert.deepEqual(supportedVersions(e), ['TLSv1.2', 'TLSv1.3']);
    const tls12 = e.versions.find((v) => v.version === 'TLSv1.2')!;
    assert.deepEqual(
      tls12.suites.map((s) => s.name),
      ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
    );
    assert.equal(tls12.serverPreference, true);
    assert.equal(tls12.suites[0]!.keyExchange.kind, 'ecdhe');
    const tls13 = e.versions.find((v) => v.version === 'TLSv1.3')!;
    assert.deepEqual(
      new Set(tls13.suites.map((s) => s.name)),
      new Set(['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256']),
    );
    assert.ok(e.groups.includes('x25519') && e.groups.includes('secp256r1'), e.groups.join(','));
    assert.equal(e.certificate?.chain.length, 2);
    assert.deepEqual(e.certificate?.chain[0]?.dnsNames, ['portal.clinic.test']);
    assert.equal(e.certificate?.chain[0]?.keyType, 'ec');
    assert.equal(e.certificate?.chain[0]?.keyBits, 256);
    assert.equal(e.certificate?.chain[0]?.signatureHash, 'sha256');
    assert.equal(e.certificate?.trust.status, 'trusted');
    console.log(`modern endpoint: ${e.connections} connections, ${Date.now() - started} ms`);
  });

  test('legacy: TLS 1.0 and 1.1 with @SECLEVEL=0, and RSA key exchange', async () => {
    const port = await listen(
      tls.createServer({
        key: pki.rsaKey.privatePem,
        cert: `${await issueLeaf(pki, {
          names: ['old.clinic.test'],
          key: pki.rsaKey,
          issuer: pki.intermediate,
          notBeforeDays: -1,
          notAfterDays: 60,
        })}\n${pki.intermediate.pem}`,
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-RSA-AES128-SHA:AES256-SHA:@SECLEVEL=0',
      }),
    );
    const e = completed(await assessEndpoint({ host: 'old.clinic.test', address: '127.0.0.1', port }, settings()));
    assert.deepEqual(supportedVersions(e), ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
    const names = e.versions.find((v) => v.version === 'TLSv1.0')!.suites.map((s) => s.name);
    assert.deepEqual(new Set(names), new Set(['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA']));
  });

  test('a chain without its intermediate is incomplete; without the root in the trust file, untrusted', async () => {
    const port = await listen(tls.createServer({ key: pki.ecKey.privatePem, cert: leafPem }));
    const ref = { host: 'portal.clinic.test', address: '127.0.0.1', port };
    const e = completed(await assessEndpoint(ref, settings({ groups: false })));
    assert.equal(e.certificate?.trust.status, 'incomplete');
    const bare = completed(
      await assessEndpoint(ref, settings({ groups: false, trust: createTrustStore(null, { system: true }) })),
    );
    assert.equal(bare.certificate?.trust.status, 'untrusted');
  });
});

describe("the lab's legacy responder", () => {
  test('SSLv2: SERVER-HELLO with its cipher kinds', async () => {
    const chain = [new X509Certificate(leafPem).raw, new X509Certificate(pki.intermediate.pem).raw];
    const port = await listen(
      createLegacyResponder(
        { kind: 'responder', certificate: 'valid-rsa', suites: { SSLv2: [0x050080], 'TLSv1.2': [0x009c] } },
        chain,
      ),
    );
    const e = completed(await assessEndpoint({ host: 'portal.clinic.test', address: '127.0.0.1', port }, settings()));
    assert.deepEqual(supportedVersions(e), ['SSLv2', 'TLSv1.2']);
    assert.deepEqual(
      e.versions.find((v) => v.version === 'SSLv2')!.suites.map((s) => s.name),
      ['SSL_CK_IDEA_128_CBC_WITH_MD5'],
    );
  });

  test('SSLv3 beside TLS 1.2 and 1.3: a TLS 1.0 hello answered in SSLv3 is no TLS 1.0', async () => {
    const chain = [new X509Certificate(leafPem).raw];
    const port = await listen(
      createLegacyResponder(
        {
          kind: 'responder',
          certificate: 'valid-rsa',
          suites: { SSLv3: [0x002f], 'TLSv1.2': [0x009c, 0x0005], 'TLSv1.3': [0x1301] },
        },
        chain,
      ),
    );
    const e = completed(await assessEndpoint({ host: 'portal.clinic.test', address: '127.0.0.1', port }, settings()));
    assert.deepEqual(supportedVersions(e), ['SSLv3', 'TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(
      e.versions.find((v) => v.version === 'TLSv1.2')!.suites.map((s) => s.name),
      ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_RC4_128_SHA'],
    );
    assert.deepEqual(e.groups, ['x25519']);
  });
});

describe("the lab's legacy responder with its key: modern choices complete in node:tls", () => {
  const serving = {
    kind: 'responder',
    certificate: 'valid-rsa',
    suites: { 'TLSv1.0': [0x002f, 0x0008], 'TLSv1.2': [0x009c], 'TLSv1.3': [0x1301, 0x1302] },
  } as const;
  let port = 0;
  before(async () => {
    const rsaLeaf = await issueLeaf(pki, {
      names: ['portal.clinic.test'],
      key: pki.rsaKey,
      issuer: pki.intermediate,
      notBeforeDays: -1,
      notAfterDays: 60,
    });
    const chain = [new X509Certificate(rsaLeaf).raw];
    port = await listen(createLegacyResponder(serving, chain, { key: pki.rsaKey.privatePem, cert: rsaLeaf }));
  });

  const handshake = (options: tls.ConnectionOptions) =>
    new Promise<{ protocol: string | null; cipher: string } | string>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options }, () => {
        resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().standardName });
        socket.destroy();
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });

  test('Vitals reads the same verdicts as from the first flights alone', async () => {
    const e = completed(await assessEndpoint({ host: 'portal.clinic.test', address: '127.0.0.1', port }, settings()));
    assert.deepEqual(supportedVersions(e), ['TLSv1.0', 'TLSv1.2', 'TLSv1.3']);
    const suites = (version: string) => e.versions.find((v) => v.version === version)!.suites.map((s) => s.name);
    assert.deepEqual(suites('TLSv1.0'), ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA']);
    assert.deepEqual(suites('TLSv1.2'), ['TLS_RSA_WITH_AES_128_GCM_SHA256']);
    assert.deepEqual(suites('TLSv1.3'), ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384']);
    assert.equal(e.versions.find((v) => v.version === 'TLSv1.3')!.serverPreference, true);
    assert.deepEqual(e.groups, ['x25519']);
  });

  test('an OpenSSL client completes TLS 1.3, 1.2 and 1.0 handshakes, in the profile order; never TLS 1.1', async () => {
    const tls13 = await handshake({ ciphers: 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256' });
    assert.deepEqual(tls13, { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' });
    const tls12 = await handshake({ maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA:AES128-GCM-SHA256' });
    assert.deepEqual(tls12, { protocol: 'TLSv1.2', cipher: 'TLS_RSA_WITH_AES_128_GCM_SHA256' });
    const tls10 = await handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'AES128-SHA:@SECLEVEL=0' });
    assert.deepEqual(tls10, { protocol: 'TLSv1', cipher: 'TLS_RSA_WITH_AES_128_CBC_SHA' });
    const tls11 = await handshake({ minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'AES128-SHA:@SECLEVEL=0' });
    assert.equal(typeof tls11, 'string', JSON.stringify(tls11));
  });
});

describe('hostile servers cost bounded time and are not assessed', () => {
  const hostile = async (onConnection: (socket: net.Socket) => void) => {
    const port = await listen(
      net.createServer((socket) => {
        socket.on('error', () => {});
        onConnection(socket);
      }),
    );
    const started = Date.now();
    const e = await assessEndpoint({ host: 'bad.clinic.test', address: '127.0.0.1', port }, settings());
    return { e, ms: Date.now() - started };
  };

  test('garbage instead of a ServerHello', async () => {
    const { e, ms } = await hostile((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    assert.equal(e.status, 'not_assessed');
    assert.equal(e.status === 'not_assessed' && e.reason, 'malformed_reply');
    assert.ok(ms < 2000, `${ms} ms`);
  });

  test('a stall after the TCP connection', async () => {
    const { e, ms } = await hostile(() => {});
    assert.equal(e.status === 'not_assessed' && e.reason, 'timeout');
    assert.ok(ms < 2000, `${ms} ms`);
  });

  test('a stall in the middle of a ServerHello', async () => {
    const { e, ms } = await hostile((s) => s.write(Buffer.from([22, 3, 3, 0, 80, 2, 0, 0, 76, 3, 3])));
    assert.equal(e.status === 'not_assessed' && e.reason, 'timeout');
    assert.ok(ms < 2000, `${ms} ms`);
  });

  test('a trickle of one byte every 100 ms', async () => {
    // A record header announcing a ServerHello, then its body a byte at a time: the reply never completes in time.
    const bytes = [22, 3, 3, 0, 80, 2, 0, 0, 76, ...Array.from({ length: 76 }, () => 3)];
    const { e, ms } = await hostile((s) => {
      let i = 0;
      const timer = setInterval(
        () => (s.destroyed ? clearInterval(timer) : s.write(Buffer.from([bytes[i++] ?? 0]))),
        100,
      );
    });
    assert.equal(e.status === 'not_assessed' && e.reason, 'timeout');
    assert.ok(ms < 2000, `${ms} ms`);
  });

  test('an oversized Certificate message is refused from its header', async () => {
    const { e, ms } = await hostile((s) => {
      // A valid ServerHello, then a Certificate message that announces 16 MB.
      const hello = Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32, 1), Buffer.from([0, 0xc0, 0x2c, 0])]);
      const helloMessage = Buffer.concat([Buffer.from([2, 0, 0, hello.length]), hello]);
      const certificateHeader = Buffer.from([11, 0xff, 0xff, 0xff]);
      const payload = Buffer.concat([helloMessage, certificateHeader]);
      s.write(Buffer.concat([Buffer.from([22, 3, 3, 0, payload.length]), payload]));
    });
    assert.equal(e.status === 'not_assessed' && e.reason, 'malformed_reply');
    assert.match(e.status === 'not_assessed' ? e.detail : '', /handshake message of/);
    assert.ok(ms < 2000, `${ms} ms`);
  });

  test('a closed port is no TLS service, not a finding and not a pass', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const e = await assessEndpoint({ host: 'none.clinic.test', address: '127.0.0.1', port }, settings());
    assert.equal(e.status, 'no_service');
  });

  test('an address the policy refuses gets no packet', async () => {
    const guard = new NetworkGuard({
      policy: { allowPrivate: false, allowedEndpoints: [], exclusions: { cidrs: [], suffixes: [] } },
    });
    const e = await assessEndpoint({ host: 'x.clinic.test', address: '127.0.0.1', port: 443 }, settings({ guard }));
    assert.equal(e.status === 'not_assessed' && e.reason, 'policy_refused');
  });
});
