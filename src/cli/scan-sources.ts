/**
 * Where a scan asks and what it trusts, from the options `vitals scan` and `vitals serve` share: the
 * resolver (`--resolver`, the system's, or the running lab's with `--lab`), the name-server port, the DNSSEC
 * trust anchor, the Certificate Transparency names to start discovery from, and the TLS settings (`--ca`,
 * `--tls-ports`, or the lab's CA and ports).
 */
import { readFileSync } from 'node:fs';
import { FILE_CAPS } from '../core/capped-file.js';
import { IANA_ROOT_TRUST_ANCHORS, parseTrustAnchors, type TrustAnchor } from '../dnssec/trust-anchor.js';
import { isLabRunning } from '../lab/lab-process.js';
import { labPortList, readLabState } from '../lab/lab-runner.js';
import type { DnsServer } from '../net/dns/dns-client.types.js';
import { parseServer } from '../net/dns/server-address.js';
import { parseCtLog } from '../probes/dns/discovery.probe.js';
import { SCAN_DEFAULTS } from '../scanner/scan-defaults.js';
import { CliError } from './errors.js';
import { parseIntegerOption, parseServerOption, readInputFile, systemResolver } from './options.js';
import { parsePortList, readCaFile } from './tls-options.js';
import { parsePortList as parsePortSpec } from '../probes/ports/port-list.js';
import type { WebPorts } from '../probes/web/web-family.js';

export interface ScanSourceOptions {
  resolver?: string;
  nsPort?: string;
  trustAnchor?: string;
  ct?: string;
  allowPrivate?: boolean;
  lab?: boolean;
  ca?: string;
  tlsPorts?: string;
  ports?: string;
}

export interface ScanSources {
  resolver: DnsServer;
  nameServerPort: number;
  trustAnchors: TrustAnchor[];
  /** Where the trust anchor came from, as the report names it. */
  anchorsSource: string;
  ctNames: string[];
  allowPrivate: boolean;
  tls: { caPem: string | null; ports?: number[] };
  /** TCP ports of the port scan (`--ports`, or the lab's shifted service ports); the default list when absent. */
  ports?: number[];
  /** The lab's web ports with `--lab` (HTTP of the web tier, HTTPS of the TLS tier); else the defaults. */
  webPorts?: WebPorts;
}

export function scanSourcesFromOptions(options: ScanSourceOptions, home: string): ScanSources {
  let resolver: DnsServer;
  let nameServerPort: number = SCAN_DEFAULTS.nameServerPort;
  let anchorsText = IANA_ROOT_TRUST_ANCHORS;
  let anchorsSource = 'the IANA root trust anchor';
  let ctFile = options.ct;
  let allowPrivate = options.allowPrivate === true;
  let caFile = options.ca;
  let tlsPorts: number[] | undefined;
  let ports: number[] | undefined;
  let webPorts: WebPorts | undefined;
  if (options.lab) {
    const state = readLabState(home);
    if (!state || !isLabRunning(state)) throw new CliError('--lab: no lab is running (start it with `vitals lab up`)');
    resolver = parseServer(state.resolver);
    nameServerPort = state.port;
    anchorsText = readFileSync(state.files.trustAnchor, 'utf8');
    anchorsSource = state.files.trustAnchor;
    ctFile ??= state.files.ct;
    allowPrivate = true;
    if (state.web) webPorts = { http: [state.web.http], https: state.tls ? [state.tls.https] : [] };
    if (state.tls) {
      caFile ??= state.files.tlsCa;
      tlsPorts = [state.tls.https, state.tls.alt];
    }
    // Where the lab could not bind the standard service ports it shifted them; its state says where.
    if (state.servicePorts) ports = labPortList(state.servicePorts);
  } else {
    resolver = options.resolver ? parseServerOption(options.resolver) : systemResolver();
  }
  if (options.resolver && options.lab) resolver = parseServerOption(options.resolver);
  if (options.nsPort !== undefined) nameServerPort = parseIntegerOption(options.nsPort, '--ns-port', 1, 65535);
  if (options.trustAnchor) {
    anchorsText = readInputFile(options.trustAnchor, FILE_CAPS.trustAnchor, '--trust-anchor');
    anchorsSource = options.trustAnchor;
  }
  let trustAnchors: TrustAnchor[];
  try {
    trustAnchors = parseTrustAnchors(anchorsText);
  } catch (error) {
    throw new CliError(`trust anchor ${anchorsSource}: ${(error as Error).message}`);
  }
  let ctNames: string[] = [];
  if (ctFile) {
    const ctText = readInputFile(ctFile, FILE_CAPS.ctLog, '--ct');
    try {
      ctNames = parseCtLog(JSON.parse(ctText));
    } catch (error) {
      throw new CliError(`--ct ${ctFile}: ${(error as Error).message}`);
    }
  }
  if (options.tlsPorts !== undefined) tlsPorts = parsePortList(options.tlsPorts, '--tls-ports');
  if (options.ports !== undefined) ports = parsePortsOption(options.ports);
  const caPem = caFile === undefined ? null : readCaFile(caFile);
  const tls = { caPem, ...(tlsPorts ? { ports: tlsPorts } : {}) };
  return {
    resolver,
    nameServerPort,
    trustAnchors,
    anchorsSource,
    ctNames,
    allowPrivate,
    tls,
    ...(ports ? { ports } : {}),
    ...(webPorts ? { webPorts } : {}),
  };
}

/** `--ports`: nmap-style ports and ranges (`22,80,8000-8100`). */
function parsePortsOption(text: string): number[] {
  try {
    return parsePortSpec(text);
  } catch (error) {
    throw new CliError(`--ports: ${(error as Error).message}`);
  }
}
