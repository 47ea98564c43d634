/**
 * What the MDN HTTP Observatory comparison fetches (scripts/observatory-oracle.mjs records it, and
 * test/e2e/observatory-oracle.test.ts checks the lab still serves it): every lab web site and the
 * dashboard of `vitals serve` over TLS, fetched as `vitals web` fetches them (the lab's resolver or a
 * known loopback address, the network policy, the lab CA trusted), plus the raw body of the page the
 * Observatory reads. Ports are random per run, so URLs are recorded with the standard ones.
 */
import { addUser } from '../../src/auth/service.js';
import { createLabPki, issueLeaf } from '../../src/lab/tls/lab-ca.js';
import type { RunningLab } from '../../src/lab/lab-runner.js';
import { NetworkGuard } from '../../src/net/guarded-socket.js';
import { createScanDnsClient, scanNetworkSpec, type ScanNetworkSpec } from '../../src/net/scan-network.js';
import { GuardedOrigin, webSecureContext } from '../../src/probes/web/http-client.js';
import { WEB_DEFAULTS, type WebPorts } from '../../src/probes/web/web-family.js';
import type { AnsweredEndpoint, WebHost } from '../../src/probes/web/web.types.js';
import { assessWebSite } from '../../src/scanner/web-assessment.js';
import { startTestApi } from '../../src/server/api.test-support.js';
import { testDialects } from '../../src/store/test-dialects.js';

/** One site as fetched: Vitals' observation of the host and the raw body of its final page. */
export interface FetchedSite {
  /** `organization|template` for lab sites, `dashboard` for `vitals serve`. */
  site: string;
  host: string;
  web: WebHost;
  /** The body of the answer the Observatory grades (its "auto" response), as text; null when none. */
  body: string | null;
}

const HEADERS_THAT_CHANGE = new Set(['date']);

/**
 * The observation as the grade reads it: the run's ports replaced by the standard ones, the Date header,
 * sensitive paths, libraries and products (no part of the grade) left out.
 */
export function normalizeHost(web: WebHost, ports: { https: number; http: number }): WebHost {
  const text = JSON.stringify(web).replace(/(https?):\/\/([^/"\s:]+):(\d+)/g, (all, scheme, host, port) => {
    const n = Number(port);
    if (scheme === 'https' && n === ports.https) return `https://${host}`;
    if (scheme === 'http' && n === ports.http) return `http://${host}`;
    return all;
  });
  const host = JSON.parse(text) as WebHost;
  for (const endpoint of host.endpoints) {
    if (endpoint.state !== 'answered') continue;
    endpoint.port = endpoint.scheme === 'https' ? 443 : 80;
    endpoint.sensitive = [];
    endpoint.libraries = [];
    for (const exchange of endpoint.chain)
      exchange.headers = exchange.headers.filter(([name]) => !HEADERS_THAT_CHANGE.has(name.toLowerCase()));
  }
  for (const endpoint of host.endpoints)
    if (endpoint.state !== 'answered') endpoint.port = endpoint.scheme === 'https' ? 443 : 80;
  return { ...host, products: [], telehealth: false };
}

/** The endpoint the Observatory grades: HTTPS when it answered, else HTTP. */
export function autoEndpoint(web: WebHost): AnsweredEndpoint | undefined {
  const answered = (scheme: 'http' | 'https') =>
    web.endpoints.find((e): e is AnsweredEndpoint => e.scheme === scheme && e.state === 'answered');
  return answered('https') ?? answered('http');
}

interface FetchContext {
  network: ScanNetworkSpec;
  resolver: { address: string; port: number };
  ports: WebPorts;
  extraCa: string;
}

async function fetchSite(
  ctx: FetchContext,
  site: string,
  host: string,
  address: string | undefined,
  client: ReturnType<typeof createScanDnsClient>,
): Promise<FetchedSite> {
  const { host: web } = await assessWebSite(
    { host, ports: ctx.ports },
    {
      client,
      resolver: ctx.resolver,
      network: ctx.network,
      timeoutMs: 2000,
      retries: 1,
      extraCa: ctx.extraCa,
      ...(address === undefined ? {} : { address }),
    },
  );
  return { site, host, web, body: await finalBody(ctx, web) };
}

/** The final page again, through the same client and policy as the probe (the probe keeps facts, not bodies). */
async function finalBody(ctx: FetchContext, web: WebHost): Promise<string | null> {
  const endpoint = autoEndpoint(web);
  if (!endpoint) return null;
  const url = new URL(endpoint.finalUrl);
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const origin = new GuardedOrigin(
    new NetworkGuard({ policy: ctx.network.policy, rate: ctx.network.rate }),
    {
      scheme,
      host: url.hostname,
      address: web.address,
      port: Number(url.port || (scheme === 'https' ? 443 : 80)),
      secureContext: webSecureContext(ctx.extraCa),
    },
    WEB_DEFAULTS.limits,
  );
  try {
    const answer = await origin.request(`${url.pathname}${url.search}`);
    return answer.ok ? answer.body.toString('utf8') : null;
  } finally {
    await origin.close();
  }
}

/** Every lab web site, one host name per site (the first the scan discovers at its address). */
export async function fetchLabSites(lab: RunningLab): Promise<FetchedSite[]> {
  const resolver = { address: lab.resolverAddress, port: lab.port };
  const network = scanNetworkSpec({ allowPrivate: true, resolver });
  const ctx: FetchContext = {
    network,
    resolver,
    ports: { https: [lab.webPorts.https], http: [lab.webPorts.http] },
    extraCa: lab.tls.trustBundlePem,
  };
  const client = createScanDnsClient(network);
  try {
    const out: FetchedSite[] = [];
    for (const site of lab.world.webSites) {
      const org = lab.world.truth.organizations.find((o) => o.name === site.organization)!;
      const host = org.hosts.find(
        (h) =>
          h.addresses.includes(site.address) &&
          !(h.discoverableBy.length === 1 && h.discoverableBy[0] === 'permutation'),
      )!.host;
      const fetched = await fetchSite(ctx, `${site.organization}|${site.template}`, host, undefined, client);
      out.push({ ...fetched, web: normalizeHost(fetched.web, lab.webPorts) });
    }
    return out;
  } finally {
    await client.close();
  }
}

export const DASHBOARD_HOST = 'vitals.test';

/**
 * The dashboard as `vitals serve --tls-cert --tls-key` serves it (a lab CA certificate for vitals.test,
 * SQLite, one user), fetched at `/` over HTTPS; nothing listens for plain HTTP.
 */
export async function fetchDashboard(): Promise<FetchedSite> {
  const pki = createLabPki();
  const cert = issueLeaf(pki, {
    names: [DASHBOARD_HOST],
    key: pki.ecKey,
    issuer: pki.intermediate,
    notBeforeDays: -1,
    notAfterDays: 30,
  });
  const dialect = testDialects('observatory')[0]!;
  const api = await startTestApi(dialect, { tls: { cert: cert + pki.intermediate.pem, key: pki.ecKey.privatePem } });
  try {
    await addUser(api.store, { username: 'admin', role: 'admin', password: 'a password long enough' });
    const port = Number(new URL(api.url).port);
    const resolver = { address: '127.0.0.1', port: 9 };
    const network = scanNetworkSpec({ allowPrivate: true, resolver });
    const client = createScanDnsClient(network);
    try {
      const ctx: FetchContext = { network, resolver, ports: { https: [port], http: [] }, extraCa: pki.root.pem };
      const fetched = await fetchSite(ctx, 'dashboard', DASHBOARD_HOST, '127.0.0.1', client);
      return { ...fetched, web: normalizeHost(fetched.web, { https: port, http: -1 }) };
    } finally {
      await client.close();
    }
  } finally {
    await api.close();
    await dialect.dispose();
  }
}
