/**
 * Collects the software other probes saw and matches each version against the vulnerability data. Inputs:
 * the DNS infrastructure probe's CHAOS version.bind answers (the organization's own name servers), the
 * services probe's greetings and protocol fields (SSH, FTP, SMTP, Telnet, POP3, IMAP, SIP, MySQL, Redis,
 * MongoDB, Elasticsearch, Microsoft SQL Server), and the web probe's fingerprints (Server and X-Powered-By
 * headers, generator tags, X-OWA-Version, JavaScript libraries), each already named with a CPE there. One
 * collector per input; the tables below say which field is read as which source, and how sure each reading
 * is.
 */
import { defineProbe, type ProbeTarget } from '../../core/contract.js';
import type { SoftwareLocation, SoftwareObservation } from '../../core/software.js';
import {
  CONFIDENCE_NAMED,
  CONFIDENCE_UPSTREAM,
  readSoftwareBanner,
  softwareFromCpe,
} from '../../intel/vulns/banner.js';
import { matchSoftware } from '../../intel/vulns/vuln-data.js';
import { dnsInfraProbe } from '../dns/dns-probes.js';
import type { DnsInfraObservation } from '../dns/dns-infra.types.js';
import { servicesProbe } from '../ports/ports-probes.js';
import type { IdentifiedService, ServiceObservation } from '../ports/ports.types.js';
import { webProbe } from '../web/web-probes.js';
import type { ProductSighting, WebObservation } from '../web/web.types.js';
import { PATCHING_FAMILY, type PatchingContext } from './patching-family.js';
import type { SoftwareReport } from './software.types.js';

/** Longest text read as a banner (the probes cap theirs already; this bounds the regular expressions). */
const MAX_BANNER = 256;

/** Software named in name servers' version.bind answers. */
export function softwareFromDnsInfra(infra: DnsInfraObservation): SoftwareObservation[] {
  const out: SoftwareObservation[] = [];
  for (const server of infra.nameServerAddresses) {
    if (server.versionBind.status !== 'completed' || server.versionBind.result.rcode !== 'NOERROR') continue;
    const location = { host: server.names[0] ?? server.ip, ip: server.ip, port: server.port };
    for (const text of server.versionBind.result.texts.slice(0, 4)) {
      const observation = readSoftwareBanner(text.slice(0, MAX_BANNER), 'version.bind', location);
      if (observation) {
        out.push(observation);
        break;
      }
    }
  }
  return out;
}

/**
 * The field of each identified service that names its software, and the source it is read as. HTTP and
 * TLS on open ports are left to the web probe (which reads whole responses); VNC's RFB version, DICOM,
 * HL7, STUN and SMB name a protocol or no product version the data could match. Oracle's VSNNUM is the
 * listener's version, not necessarily the database's: it is not read.
 */
const SERVICE_FIELDS: {
  [N in IdentifiedService['name']]?: (s: IdentifiedService & { name: N }) => [string, string | null];
} = {
  ssh: (s) => ['ssh-banner', s.banner],
  ftp: (s) => ['ftp-banner', s.banner],
  smtp: (s) => ['smtp-banner', s.banner],
  telnet: (s) => ['telnet-banner', s.banner],
  pop3: (s) => ['pop3-banner', s.banner],
  imap: (s) => ['imap-banner', s.banner],
  sip: (s) => ['sip-server-header', s.server],
  mysql: (s) => ['mysql-greeting', s.version],
  redis: (s) => ['redis-info', s.version],
  mongodb: (s) => ['mongodb-buildinfo', s.version],
  elasticsearch: (s) => ['elasticsearch-root', s.version],
  mssql: (s) => ['mssql-prelogin', s.version],
};

function serviceField(service: IdentifiedService): [string, string | null] | null {
  const field = SERVICE_FIELDS[service.name] as ((s: IdentifiedService) => [string, string | null]) | undefined;
  return field ? field(service) : null;
}

/** Software the services probe read on open ports: one observation per host name at the address. */
export function softwareFromServices(services: ServiceObservation): SoftwareObservation[] {
  const out: SoftwareObservation[] = [];
  for (const address of services.addresses)
    for (const entry of address.services) {
      if (!entry.identified) continue;
      const field = serviceField(entry.service);
      if (!field || field[1] === null) continue;
      const [source, text] = field;
      for (const host of address.hosts) {
        const location = { host, ip: address.address, port: entry.port };
        const observation = readSoftwareBanner(text.slice(0, MAX_BANNER), source, location);
        if (observation) out.push(observation);
      }
    }
  return out;
}

/** How the web probe's fingerprints are read: the source by what the sighting's evidence starts with. */
const WEB_SOURCES: ReadonlyArray<{ prefix: string; source: string; confidence: number }> = [
  { prefix: 'server:', source: 'http-server-header', confidence: CONFIDENCE_UPSTREAM },
  { prefix: 'x-powered-by:', source: 'http-x-powered-by', confidence: CONFIDENCE_UPSTREAM },
  { prefix: 'x-owa-version:', source: 'http-x-owa-version', confidence: CONFIDENCE_UPSTREAM },
  { prefix: 'generator:', source: 'html-generator', confidence: CONFIDENCE_NAMED },
  // A library's version from its file name or its banner comment (the sighting does not say which).
  { prefix: 'script ', source: 'javascript-library', confidence: CONFIDENCE_NAMED },
];

/** Software the web probe fingerprinted with a version, per host (the address it fetched from). */
export function softwareFromWeb(web: WebObservation): SoftwareObservation[] {
  const out: SoftwareObservation[] = [];
  for (const host of web.hosts) {
    const location: SoftwareLocation = { host: host.host, ip: host.address };
    for (const sighting of host.products) {
      const observation = fromSighting(sighting, location);
      if (observation) out.push(observation);
    }
  }
  return out;
}

function fromSighting(sighting: ProductSighting, location: SoftwareLocation): SoftwareObservation | null {
  if (!sighting.cpe || !sighting.version) return null;
  const kind = WEB_SOURCES.find((k) => sighting.evidence.startsWith(k.prefix));
  if (!kind) return null;
  const raw = sighting.evidence.slice(0, MAX_BANNER);
  return softwareFromCpe({ cpe: sighting.cpe, version: sighting.version, raw }, kind.source, location, kind.confidence);
}

/** Each product and version once per place (a host name with two addresses is two places). */
function distinct(observations: readonly SoftwareObservation[]): SoftwareObservation[] {
  const seen = new Set<string>();
  return observations.filter((o) => {
    const key = JSON.stringify([o.location.host, o.location.ip, o.location.port, o.vendor, o.product, o.version]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const softwareProbe = defineProbe({
  id: 'software',
  family: PATCHING_FAMILY,
  description:
    'software versions the other probes saw (version.bind, service banners, HTTP headers, page fingerprints), ' +
    'matched against the CVE and KEV data',
  inputs: [dnsInfraProbe, servicesProbe, webProbe],
  run: async (_target: ProbeTarget, ctx: PatchingContext, [infra, services, web]) => {
    const observations = distinct([
      ...softwareFromDnsInfra(infra),
      ...softwareFromServices(services),
      ...softwareFromWeb(web),
    ]);
    const result: SoftwareReport = {
      dataDated: ctx.db.dated,
      software: observations.map((observation) => ({ observation, matches: matchSoftware(observation, ctx.db) })),
    };
    return { status: 'completed' as const, result };
  },
});
