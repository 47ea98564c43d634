/**
 * The lab's TLS tier: one listener per planned endpoint (address and port), on the standard ports 443
 * and 8443 where they can be bound, else together on 10443 and 18443 (as the DNS port falls back, see
 * lab-runner.ts); node:tls (https) for what OpenSSL serves, the legacy responder for the rest. Behind the
 * HTTPS servers: the lab's web handler when one is given, else a minimal page.
 */
import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import { createLabPki, issueLeaf, type KeyPair, type LabPki, selfSignedLeaf } from './lab-ca.js';
import { createLegacyResponder } from './legacy-responder.js';
import { type LabPortRole, type LabTlsEndpoint, STANDARD_TLS_PORTS } from './tls-plan.js';
import { LAB_TLS_PROFILES, type LabCertificateKind } from './tls-profiles.js';

export const FALLBACK_TLS_PORTS = { https: 10443, alt: 18443 } as const;

export type LabTlsPorts = Record<LabPortRole, number>;

export type LabRequestHandler = (host: string, request: IncomingMessage, response: ServerResponse) => void;

export interface LabTlsServer {
  ports: LabTlsPorts;
  /** PEM: the lab root and its intermediate, for `--ca`. */
  trustBundlePem: string;
  endpoints: number;
  close(): Promise<void>;
}

export interface StartLabTlsOptions {
  endpoints: readonly LabTlsEndpoint[];
  /** Ports to use; default: the standard ones, or the fallback ones where those cannot be bound. */
  ports?: LabTlsPorts;
  handler?: LabRequestHandler;
}

export async function startLabTls(options: StartLabTlsOptions): Promise<LabTlsServer> {
  const pki = createLabPki();
  // Each endpoint's certificate and TLS context are made on its first connection: a 1,000-organization lab
  // has thousands of endpoints, and a scan that never reaches most of them should not pay for them.
  const servers = options.endpoints.map((e) => lazyServer(() => endpointServer(pki, e, options.handler)));
  const bindAll = async (ports: LabTlsPorts): Promise<void> => {
    const results = await Promise.allSettled(
      options.endpoints.map((endpoint, i) => listen(servers[i]!, endpoint.address, ports[endpoint.role])),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(servers.map(closeServer));
      throw failed.reason;
    }
  };
  let ports: LabTlsPorts = options.ports ?? { ...STANDARD_TLS_PORTS };
  try {
    await bindAll(ports);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (options.ports !== undefined || (code !== 'EACCES' && code !== 'EPERM')) throw error;
    ports = { ...FALLBACK_TLS_PORTS };
    await bindAll(ports);
  }
  return {
    ports,
    trustBundlePem: pki.trustBundlePem,
    endpoints: options.endpoints.length,
    close: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}

function listen(server: net.Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.emit('close-connections');
  });
}

/**
 * A listener that builds the real server on its first connection and hands it every connection (as
 * `connection` events: node:tls and the responder both take sockets so). Open connections are dropped on close.
 */
function lazyServer(build: () => net.Server): net.Server {
  let inner: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  const outer = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    inner ??= build();
    inner.emit('connection', socket);
  });
  outer.on('close-connections', () => {
    for (const socket of sockets) socket.destroy();
  });
  return outer;
}

function endpointServer(pki: LabPki, endpoint: LabTlsEndpoint, handler?: LabRequestHandler): net.Server {
  const profile = LAB_TLS_PROFILES[endpoint.profile];
  const serving = profile.serving;
  const { chainPem, key } = certificateFor(pki, serving.certificate, endpoint);
  if (serving.kind === 'responder') {
    const chain = chainPem.map((pem) => new X509Certificate(pem).raw);
    return createLegacyResponder(serving, chain, { key: key.privatePem, cert: chainPem.join('\n') });
  }
  const server = https.createServer(
    {
      key: key.privatePem,
      cert: chainPem.join('\n'),
      minVersion: serving.minVersion,
      maxVersion: serving.maxVersion,
      ciphers: serving.ciphers,
      honorCipherOrder: true,
      // The lab's own clients never resume; scanners must see a full handshake each time.
      sessionTimeout: 1,
    },
    (request, response) => {
      const host = (request.headers.host ?? endpoint.hosts[0] ?? '').replace(/:\d+$/, '');
      // Sites live on the `https` port (web-sites.ts); the alt port answers the minimal page, no HSTS, as a
      // scan's web probe never fetches it (so its SSL Labs grade and `vitals tls`'s read the same HSTS: none).
      if (handler && endpoint.role === 'https') {
        handler(host, request, response);
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
      response.end(`<!doctype html><html><head><title>${escapeHtml(host)}</title></head><body>Welcome</body></html>\n`);
    },
  );
  // A scanner drops connections mid-handshake by design: that is no error worth a crash.
  server.on('tlsClientError', () => {});
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 1000;
  return server;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const DAY = 1;

function certificateFor(
  pki: LabPki,
  kind: LabCertificateKind | 'valid-rsa',
  endpoint: LabTlsEndpoint,
): { chainPem: string[]; key: KeyPair } {
  const names = endpoint.hosts;
  const issue = (
    key: KeyPair,
    days: [number, number],
    extra: { names?: readonly string[]; sha1?: boolean; withIntermediate?: boolean; issuer?: 'rogue' } = {},
  ) => {
    const issuer = extra.issuer === 'rogue' ? pki.rogueRoot : pki.intermediate;
    const leaf = issueLeaf(pki, {
      names: extra.names ?? names,
      key,
      issuer,
      notBeforeDays: days[0],
      notAfterDays: days[1],
      ...(extra.sha1 ? { sha1: true } : {}),
    });
    const chain = extra.issuer === 'rogue' ? [leaf, pki.rogueRoot.pem] : [leaf, pki.intermediate.pem];
    return { chainPem: extra.withIntermediate === false ? [leaf] : chain, key };
  };
  const usual: [number, number] = [-10 * DAY, 80 * DAY];
  switch (kind) {
    case 'valid':
      return issue(pki.ecKey, usual);
    case 'valid-rsa':
      return issue(pki.rsaKey, usual);
    case 'wildcard': {
      const apex = wildcardBase(names);
      return issue(pki.ecKey, usual, { names: [apex, `*.${apex}`] });
    }
    case 'expired':
      return issue(pki.ecKey, [-100 * DAY, -10 * DAY]);
    case 'not-yet-valid':
      return issue(pki.ecKey, [20 * DAY, 110 * DAY]);
    case 'expiring-soon':
      return issue(pki.ecKey, [-80 * DAY, 10 * DAY]);
    case 'self-signed':
      return { chainPem: [selfSignedLeaf(pki, names, pki.ecKey)], key: pki.ecKey };
    case 'mismatch':
      return issue(pki.ecKey, usual, { names: ['unrelated-name.lab-hosting.test'] });
    case 'weak-key':
      return issue(pki.weakRsaKey, usual);
    case 'sha1':
      return issue(pki.ecKey, usual, { sha1: true });
    case 'no-intermediate':
      return issue(pki.ecKey, usual, { withIntermediate: false });
    case 'untrusted':
      return issue(pki.ecKey, usual, { issuer: 'rogue' });
    case 'too-long':
      return issue(pki.ecKey, [-10 * DAY, 815 * DAY]);
  }
}

/** The apex the hosts share (the shortest name: every host at an address is that name or one label below). */
function wildcardBase(names: readonly string[]): string {
  const shortest = [...names].sort((a, b) => a.split('.').length - b.split('.').length)[0] ?? 'lab.test';
  const labels = shortest.split('.');
  // A host one label below the apex: the wildcard belongs one level up.
  return names.every((n) => n === shortest || n.endsWith(`.${shortest}`)) ? shortest : labels.slice(1).join('.');
}
