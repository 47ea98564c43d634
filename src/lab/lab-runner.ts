/**
 * Starts and stops the lab: builds the world from a seed, serves its DNS on loopback, and writes the
 * files a scan needs (trust anchor, CT log, organizations, ground truth) under `<home>/lab/`.
 */
import { readFileSync, rmSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { ensurePrivateDir } from '../core/private-files.js';
import { labPortError } from './port-in-use.js';

export { isProcessAlive } from './lab-process.js';
import { join } from 'node:path';
import { buildLabWorld, type LabWorld } from './world/world.js';
import { startLabDnsServer, type LabDnsServer } from './dns/lab-dns-server.js';
import { corpusFiles, writeCorpus } from './darkweb/corpus/index.js';
import { startHiddenServices, type HiddenServices } from './darkweb/index.js';
import { type LabTlsPorts, type LabTlsServer, startLabTls } from './tls/lab-tls-server.js';
import { startLabServices, type LabServices } from './services/lab-services.js';
import { DEFAULT_PORTS } from '../probes/ports/port-list.js';
import { labWebTlsHandler, startLabWebServer, type LabWebServer } from './web/lab-web-server.js';
import type { LabWebPorts } from './web/site-content.js';

/** The port the lab prefers, and the one it falls back to where ports below 1024 cannot be bound. */
export const LAB_STANDARD_DNS_PORT = 53;
export const LAB_FALLBACK_DNS_PORT = 10053;
/**
 * Where the network services go when their standard ports cannot be bound (an unprivileged user, or a
 * wildcard listener of the machine's own on one of them): every service port shifted by this much.
 */
export const LAB_FALLBACK_SERVICE_OFFSET = 30_000;

export interface LabFiles {
  dir: string;
  state: string;
  trustAnchor: string;
  truth: string;
  ct: string;
  organizations: string;
  log: string;
  /** The lab CA's root and intermediate (PEM): what `vitals scan --lab` and `vitals tls` pass as `--ca`. */
  tlsCa: string;
  /** Dark-web corpus (JSONL ingestion format), its truth summary and its per-document truth (JSONL). */
  darkwebCorpus: string;
  darkwebTruth: string;
  darkwebTruthLines: string;
  /** Threat-feed files listing some lab addresses (import them with `vitals feeds import`, docs/lab.md). */
  feeds: string;
}

/** What `lab up` records so that other commands (scan --lab, lab status, lab down) find the lab. */
export interface LabState {
  pid: number;
  /** The lab process's start time (Linux clock ticks since boot), so a reused pid is never taken for the lab. */
  startToken?: string;
  seed: number;
  orgs: number;
  port: number;
  resolver: string;
  startedAt: string;
  files: LabFiles;
  /** The lab's dark web, when started: a SOCKS5 proxy (socks5h URL) and the hidden services' seed URLs. */
  darkweb?: { proxy: string; seeds: string[] };
  /** The ports the lab's TLS endpoints listen on (443 and 8443, or 10443 and 18443 without privileges). */
  tls?: LabTlsPorts;
  /** Standard service port → the port the lab's service listens on, when they differ (see docs/network.md). */
  servicePorts?: Record<string, number>;
  /** The HTTP port of the lab's web sites (80, or 10080); their HTTPS is the TLS endpoints' `https` port. */
  web?: { http: number };
}

export interface RunningLab {
  world: LabWorld;
  server: LabDnsServer;
  port: number;
  resolverAddress: string;
  /** The ports of the lab's web sites: HTTP of the web tier, HTTPS of the TLS tier's `https` endpoints. */
  webPorts: LabWebPorts;
  files: LabFiles;
  /** The hidden services and their SOCKS5 proxy, when `hiddenServices` was asked for. */
  hiddenServices?: HiddenServices;
  /** The TLS endpoints (ports and the lab CA's trust bundle). */
  tls: LabTlsServer;
  /** The network services (RDP, SMB, databases, DICOM...) and the ports they listen on. */
  services: LabServices;
  /** Re-writes truth.json after the world changed (lifecycle tests and demos). */
  writeTruth(): void;
  stop(): Promise<void>;
}

export function labFiles(home: string): LabFiles {
  const dir = join(home, 'lab');
  const darkweb = corpusFiles(join(dir, 'darkweb'));
  return {
    dir,
    state: join(dir, 'state.json'),
    trustAnchor: join(dir, 'trust-anchor.txt'),
    truth: join(dir, 'truth.json'),
    ct: join(dir, 'ct.json'),
    organizations: join(dir, 'organizations.csv'),
    log: join(dir, 'lab.log'),
    tlsCa: join(dir, 'tls-ca.pem'),
    darkwebCorpus: darkweb.corpus,
    darkwebTruth: darkweb.truth,
    darkwebTruthLines: darkweb.truthLines,
    feeds: join(dir, 'feeds'),
  };
}

/** The home and its lab folder are private to the user (0700), whichever command creates them first. */
export function ensurePrivateHome(home: string): void {
  ensurePrivateDir(home);
  ensurePrivateDir(labFiles(home).dir);
}

export interface StartLabOptions {
  seed: number;
  orgs: number;
  /** DNS port; by default 53, or 10053 where 53 cannot be bound. */
  port?: number;
  /** Folder for the lab's files; none are written when omitted. */
  home?: string;
  /**
   * Documents of the dark-web corpus written under `<home>/lab/darkweb/` (`lab up` passes 20,000 by default); none when
   * omitted.
   */
  documents?: number;
  /** Also start the dark-web hidden services behind a SOCKS5 proxy (on 127.66.0.1, port 9050 if free). */
  hiddenServices?: boolean;
  /** TLS ports; by default 443 and 8443, or 10443 and 18443 where those cannot be bound. */
  tlsPorts?: LabTlsPorts;
  /** Serve the TLS endpoints (default true). */
  tls?: boolean;
  /**
   * Shift of every network service port (0: the standard ports). By default the standard ports, or
   * LAB_FALLBACK_SERVICE_OFFSET where they cannot be bound.
   */
  servicePortOffset?: number;
  /** HTTP port of the web sites; by default 80, or 10080 where it cannot be bound. */
  webPort?: number;
  /** Serve the web sites (default true; their HTTPS needs the TLS tier). */
  web?: boolean;
  /** Start the network services (default true); false where a running lab of the same world serves them. */
  services?: boolean;
}

/** Builds the world and serves it. The caller stops it with `stop()`. */
export async function startLab(options: StartLabOptions): Promise<RunningLab> {
  const world = buildLabWorld({ seed: options.seed, orgs: options.orgs });
  const server = await bindLabDns(world, options.port);
  const config = world.dnsConfig(server.port);
  const resolverAddress = config.resolvers[0]!;
  const files = labFiles(options.home ?? '');
  // The web sites' pages behind the TLS endpoints; their redirects name both ports, known once bound.
  const webPorts: LabWebPorts = { http: 0, https: 0 };
  const sites = options.web === false ? [] : world.webSites;
  let tls: LabTlsServer;
  try {
    tls = await startLabTls({
      endpoints: options.tls === false ? [] : world.tlsEndpoints,
      ...(options.tlsPorts ? { ports: options.tlsPorts } : {}),
      handler: labWebTlsHandler(sites, webPorts),
    });
  } catch (error) {
    await server.close();
    const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
    throw labPortError(error, e.address ?? '127.16.0.1', e.port ?? options.tlsPorts?.https ?? 443);
  }
  const writeTruth = (): void => {
    if (options.home === undefined) return;
    atomicWrite(files.truth, `${JSON.stringify(world.truth, null, 2)}\n`);
  };
  if (options.home !== undefined) {
    ensurePrivateHome(options.home);
    atomicWrite(files.trustAnchor, world.trustAnchor);
    atomicWrite(files.tlsCa, tls.trustBundlePem);
    atomicWrite(files.ct, `${JSON.stringify(world.ctLog, null, 2)}\n`);
    atomicWrite(files.organizations, world.organizationsCsv());
    ensurePrivateDir(files.feeds);
    for (const [name, content] of Object.entries(world.feedFiles())) atomicWrite(join(files.feeds, name), content);
    writeTruth();
    if (options.documents !== undefined) {
      await writeCorpus(join(files.dir, 'darkweb'), {
        seed: options.seed,
        documents: options.documents,
        organizations: world.truth.organizations,
      }).catch(async (error: unknown) => {
        await Promise.all([server.close(), tls.close()]);
        throw error;
      });
    }
  }
  let services: LabServices;
  try {
    services =
      options.services === false
        ? await startLabServices([], 0)
        : await bindLabServices(world, options.servicePortOffset);
  } catch (error) {
    await Promise.all([server.close(), tls.close()]);
    throw error;
  }
  let web: LabWebServer;
  try {
    web = await startLabWebServer(sites, webPorts, options.webPort);
  } catch (error) {
    await Promise.all([server.close(), tls.close(), services.close()]);
    throw error;
  }
  webPorts.https = tls.ports.https;
  let hiddenServices: HiddenServices | undefined;
  if (options.hiddenServices) {
    const organizations = world.truth.organizations.map((o) => ({ name: o.name, domain: o.domain }));
    const start = (proxyPort: number) =>
      startHiddenServices({ seed: options.seed, corpus: { organizations }, proxyPort });
    try {
      // Tor's own SOCKS port, so the crawl command reads like the real thing; any free port otherwise.
      hiddenServices = await start(LAB_SOCKS_PORT).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE' || error.code === 'EACCES') return start(0);
        throw error;
      });
    } catch (error) {
      await Promise.all([server.close(), tls.close(), services.close(), web.close()]);
      throw error;
    }
  }
  return {
    world,
    server,
    port: server.port,
    resolverAddress,
    webPorts,
    files,
    ...(hiddenServices ? { hiddenServices } : {}),
    tls,
    services,
    writeTruth,
    async stop() {
      await Promise.all([server.close(), hiddenServices?.close(), tls.close(), services.close(), web.close()]);
    },
  };
}

/** Port of the lab's SOCKS5 proxy when free (Tor's default SOCKS port). */
export const LAB_SOCKS_PORT = 9050;

async function bindLabDns(world: LabWorld, port: number | undefined): Promise<LabDnsServer> {
  // A port that cannot be bound is a LabPortError naming the address, the port and, if known, its holder.
  const bind = (chosen: number): Promise<LabDnsServer> => {
    const config = world.dnsConfig(chosen);
    return startLabDnsServer(config).catch((error: unknown) => {
      throw labPortError(error, config.resolvers[0] ?? '127.0.0.1', chosen);
    });
  };
  if (port !== undefined) return bind(port);
  try {
    return await startLabDnsServer(world.dnsConfig(LAB_STANDARD_DNS_PORT));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EADDRINUSE' && code !== 'EPERM') throw error;
    // An ordinary user cannot bind port 53: every lab address moves to the fallback port together,
    // and scans are told so with --ns-port (or --lab). See docs/lab.md.
    return bind(LAB_FALLBACK_DNS_PORT);
  }
}

async function bindLabServices(world: LabWorld, offset: number | undefined): Promise<LabServices> {
  if (offset !== undefined) return startLabServices(world.services, offset);
  try {
    return await startLabServices(world.services, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EADDRINUSE' && code !== 'EPERM') throw error;
    return startLabServices(world.services, LAB_FALLBACK_SERVICE_OFFSET);
  }
}

/** The lab state's record of shifted service ports (absent when every service is on its standard port). */
export function servicePortsRecord(services: LabServices): Record<string, number> | undefined {
  const shifted = [...services.ports].filter(([standard, actual]) => standard !== actual);
  return shifted.length === 0 ? undefined : Object.fromEntries(shifted.map(([s, a]) => [String(s), a]));
}

/** The default port list with the lab's shifted service ports in place of the standard ones. */
export function labPortList(servicePorts: Record<string, number> | undefined): number[] {
  const ports = DEFAULT_PORTS.map((p) => servicePorts?.[String(p)] ?? p);
  return [...new Set(ports)].sort((a, b) => a - b);
}

export function readLabState(home: string): LabState | null {
  const file = labFiles(home).state;
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LabState;
  } catch {
    return null;
  }
}

export function writeLabState(state: LabState): void {
  atomicWrite(state.files.state, `${JSON.stringify(state, null, 2)}\n`);
}

export function removeLabState(home: string): void {
  rmSync(labFiles(home).state, { force: true });
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
function atomicWrite(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
