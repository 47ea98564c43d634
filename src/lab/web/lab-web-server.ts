/**
 * The lab's web tier: one HTTP listener per site address (src/lab/world/web-sites.ts) on port 80 where it
 * can be bound (the lab runs as root), else every address on 10080 together, as the DNS port falls back;
 * the port in use is recorded in the lab state. HTTPS is the TLS tier's (src/lab/tls/): its endpoints
 * serve the same sites, with the lab CA's certificates, through `labWebTlsHandler`.
 */
import http from 'node:http';
import type net from 'node:net';
import { labPortError } from '../port-in-use.js';
import type { LabWebSite } from '../world/web-sites.js';
import { type LabWebPorts, labWebResponse } from './site-content.js';

export const LAB_STANDARD_HTTP_PORT = 80;
export const LAB_FALLBACK_HTTP_PORT = 10080;

export interface LabWebServer {
  close(): Promise<void>;
}

/** Answers one request for `site` (the HTTP listeners and the TLS tier's HTTPS listeners alike). */
function answer(
  site: LabWebSite,
  scheme: 'http' | 'https',
  ports: LabWebPorts,
  hostHeader: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  const host = hostHeader
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  const origin = req.headers.origin;
  const reply = labWebResponse(
    site.template,
    { method: req.method ?? 'GET', path: req.url ?? '/', scheme, host, ...(origin ? { origin } : {}) },
    ports,
  );
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  res.statusCode = reply.status;
  for (const [name, value] of reply.headers) res.appendHeader(name, value);
  res.setHeader('content-length', body.length);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * The TLS tier's request handler: the site at the address the connection came to. Every address the TLS
 * tier serves on its `https` port has a site (web-sites.ts plans one for each), so no page goes unplanned.
 */
export function labWebTlsHandler(
  sites: readonly LabWebSite[],
  ports: LabWebPorts,
): (host: string, req: http.IncomingMessage, res: http.ServerResponse) => void {
  const byAddress = new Map(sites.map((s) => [s.address, s]));
  return (host, req, res) => {
    const site = byAddress.get((req.socket.localAddress ?? '').replace(/^::ffff:/, ''));
    if (site) {
      answer(site, 'https', ports, host, req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('no site here\n');
  };
}

/** Starts the HTTP listeners on `port` (tests), or 80, or 10080; sets `ports.http` to the one in use. */
export async function startLabWebServer(
  sites: readonly LabWebSite[],
  ports: LabWebPorts,
  port?: number,
): Promise<LabWebServer> {
  const bind = (chosen: number): Promise<LabWebServer> =>
    bindAll(sites, ports, chosen).catch((error: unknown) => {
      throw labPortError(error, sites[0]?.address ?? '127.0.0.1', chosen);
    });
  if (port !== undefined) return bind(port);
  try {
    return await bindAll(sites, ports, LAB_STANDARD_HTTP_PORT);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EADDRINUSE' && code !== 'EPERM') throw error;
    // Where port 80 cannot be bound, every site moves to the fallback port (docs/web.md).
    return bind(LAB_FALLBACK_HTTP_PORT);
  }
}

async function bindAll(sites: readonly LabWebSite[], ports: LabWebPorts, port: number): Promise<LabWebServer> {
  const servers: http.Server[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  };
  try {
    for (const site of sites) {
      const server = http.createServer((req, res) =>
        answer(site, 'http', ports, req.headers.host ?? site.address, req, res),
      );
      servers.push(server);
      await listen(server, site.address, port);
    }
  } catch (error) {
    await close();
    throw error;
  }
  ports.http = port;
  return { close };
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
