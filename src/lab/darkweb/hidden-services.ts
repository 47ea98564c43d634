/**
 * The lab's dark web: four hidden-service web servers (forum, market, paste site, ransomware leak site)
 * on their own loopback addresses, behind a SOCKS5 proxy that maps their v3 onion names to them, as
 * Tor would. Every request is logged per site (start, end, path), so tests can check a crawler's
 * politeness, scope and retries against what the servers actually saw.
 */
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildLabWorld } from '../world/world.js';
import { onionAddressFromLabel } from './onion-address.js';
import {
  buildSiteContents,
  HIDDEN_SERVICE_KINDS,
  type HiddenServiceKind,
  type HiddenServiceOrg,
  type SiteContent,
} from './site-content.js';
import { startLabSocks5Proxy, type ProxyRequestRecord } from './socks5-proxy.js';

/** One HTTP request a hidden service received. */
export interface SiteRequestRecord {
  path: string;
  /** performance.now() when the request arrived and when the response was finished. */
  start: number;
  end: number;
  status: number;
}

/** A running hidden service. */
export interface RunningHiddenService {
  onion: string;
  kind: HiddenServiceKind;
  name: string;
  /** Where its web server listens (the proxy's target). */
  address: string;
  port: number;
  /** Requests in arrival order. */
  readonly requests: readonly SiteRequestRecord[];
  /** The most requests this site ever handled at the same time. */
  readonly maxConcurrent: number;
}

/** A page a crawler should collect: ground truth. */
export interface ExpectedPage {
  url: string;
  onion: string;
  kind: HiddenServiceKind;
  /** Link distance from the site's `/`. */
  depth: number;
  format: 'html' | 'text';
  title?: string;
  orgs: string[];
}

/** The running lab dark web. */
export interface HiddenServices {
  proxy: { host: string; port: number; readonly requests: readonly ProxyRequestRecord[] };
  sites: RunningHiddenService[];
  /** Seed URLs: each site's `http://<onion>/`. */
  seeds: string[];
  /** Text pages reachable from the seeds within `depth` links, following in-site links only. */
  expectedPages(depth: number): ExpectedPage[];
  /** Every page URL served (any depth, including pages reachable only from another site). */
  allPageUrls(): string[];
  close(): Promise<void>;
}

/** Options of startHiddenServices. */
export interface HiddenServicesOptions {
  seed: number;
  /** Organizations the pages mention (default: the first 12 organizations of the lab world for `seed`). */
  corpus?: { organizations: readonly HiddenServiceOrg[] };
  /** Loopback /24 prefix to use, e.g. `127.66.0` (default): the proxy gets .1, the sites .11 to .14. */
  network?: string;
  /** Proxy port (default 0: ephemeral). */
  proxyPort?: number;
}

/** Starts the hidden services and the proxy in front of them. */
export async function startHiddenServices(options: HiddenServicesOptions): Promise<HiddenServices> {
  const network = options.network ?? '127.66.0';
  if (!/^127\.\d{1,3}\.\d{1,3}$/.test(network)) throw new Error(`network must be a 127.x.y prefix, not ${network}`);
  const organizations =
    options.corpus?.organizations ??
    buildLabWorld({ seed: options.seed, orgs: 12 }).truth.organizations.map((o) => ({
      name: o.name,
      domain: o.domain,
    }));
  const onions = Object.fromEntries(
    HIDDEN_SERVICE_KINDS.map((kind) => [kind, onionAddressFromLabel(`vitals-lab/${options.seed}/darkweb/${kind}`)]),
  ) as Record<HiddenServiceKind, string>;
  const contents = buildSiteContents(options.seed, organizations, onions);

  const servers: Server[] = [];
  const sites: RunningHiddenService[] = [];
  try {
    for (const [i, content] of contents.entries()) {
      const { server, site } = await startSite(content, onions[content.kind], `${network}.${11 + i}`);
      servers.push(server);
      sites.push(site);
    }
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }
  const byOnion = new Map(sites.map((s) => [s.onion, s]));
  const proxy = await startLabSocks5Proxy({
    host: `${network}.1`,
    port: options.proxyPort ?? 0,
    // Hidden services listen on virtual port 80, as `HiddenServicePort 80 ...` in a torrc.
    route: (host, port) => {
      const site = port === 80 ? byOnion.get(host) : undefined;
      return site ? { address: site.address, port: site.port } : undefined;
    },
  });

  return {
    proxy: { host: proxy.host, port: proxy.port, requests: proxy.requests },
    sites,
    seeds: sites.map((s) => `http://${s.onion}/`),
    expectedPages: (depth) => contents.flatMap((content) => expectedPagesOf(content, onions[content.kind], depth)),
    allPageUrls: () =>
      contents.flatMap((content) => content.pages.map((p) => `http://${onions[content.kind]}${p.path}`)),
    close: async () => {
      await proxy.close();
      await Promise.all(servers.map(closeServer));
    },
  };
}

async function startSite(
  content: SiteContent,
  onion: string,
  address: string,
): Promise<{ server: Server; site: RunningHiddenService }> {
  const pages = new Map(content.pages.map((p) => [p.path, p]));
  const redirects = new Map(content.redirects.map((r) => [r.path, r]));
  const failuresLeft = new Map(Object.entries(content.flaky));
  const requests: SiteRequestRecord[] = [];
  let active = 0;
  let maxConcurrent = 0;
  const sockets = new Set<Socket>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const record: SiteRequestRecord = { path: req.url ?? '', start: performance.now(), end: Number.NaN, status: 0 };
    requests.push(record);
    active += 1;
    maxConcurrent = Math.max(maxConcurrent, active);
    res.on('close', () => {
      active -= 1;
      record.end = performance.now();
      record.status = res.statusCode;
    });
    const path = record.path;
    const host = (req.headers.host ?? '').toLowerCase();
    if (req.method !== 'GET' || host !== onion) {
      res.writeHead(req.method !== 'GET' ? 405 : 421, { 'content-type': 'text/plain' }).end('no\n');
      return;
    }
    const left = failuresLeft.get(path) ?? 0;
    if (left > 0) {
      failuresLeft.set(path, left - 1);
      res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503 Service Unavailable</h1>\n');
      return;
    }
    const redirect = redirects.get(path);
    if (redirect) {
      res
        .writeHead(redirect.status, { location: redirect.location, 'content-type': 'text/html' })
        .end(`<a href="${redirect.location}">moved</a>\n`);
      return;
    }
    const page = pages.get(path);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404 Not Found</h1>\n');
      return;
    }
    res
      .writeHead(200, { 'content-type': page.contentType })
      .end(page.contentType === 'image/png' ? Buffer.from(page.body, 'latin1') : page.body);
  };

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => resolve());
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('hidden service has no TCP address');
  const site: RunningHiddenService = {
    onion,
    kind: content.kind,
    name: content.name,
    address,
    port: bound.port,
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
  };
  return { server, site };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Breadth-first over the site's own links (redirects resolved to their in-site targets). */
function expectedPagesOf(content: SiteContent, onion: string, maxDepth: number): ExpectedPage[] {
  const pages = new Map(content.pages.map((p) => [p.path, p]));
  const redirects = new Map(content.redirects.map((r) => [r.path, r.location]));
  const resolve = (path: string): string | undefined => {
    for (let hops = 0; hops < 5; hops++) {
      const next = redirects.get(path);
      if (next === undefined) return path;
      if (!next.startsWith('/')) return undefined; // off the site: never followed
      path = next;
    }
    return undefined;
  };
  const depthOf = new Map<string, number>([['/', 0]]);
  const queue = ['/'];
  while (queue.length > 0) {
    const path = queue.shift()!;
    const depth = depthOf.get(path)!;
    if (depth >= maxDepth) continue;
    for (const target of pages.get(path)?.links ?? []) {
      const resolved = resolve(target);
      if (resolved === undefined || depthOf.has(resolved) || !pages.has(resolved)) continue;
      depthOf.set(resolved, depth + 1);
      queue.push(resolved);
    }
  }
  const out: ExpectedPage[] = [];
  for (const [path, depth] of depthOf) {
    const page = pages.get(path)!;
    const format = page.contentType.startsWith('text/html')
      ? 'html'
      : page.contentType.startsWith('text/plain')
        ? 'text'
        : undefined;
    if (!format) continue;
    out.push({
      url: `http://${onion}${path}`,
      onion,
      kind: content.kind,
      depth,
      format,
      ...(page.title !== undefined ? { title: page.title } : {}),
      orgs: page.orgs,
    });
  }
  return out;
}
