/**
 * The lab `vitals demo` scans. A lab already running in the home (started by `vitals lab up`) is used
 * as it is when it is the same world (seed and size); a different one is refused, because starting
 * the demo's own lab would overwrite the running lab's files (organizations, truth, CT log, corpus)
 * while it keeps serving the old world.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { isLabRunning } from '../lab/lab-process.js';
import { type LabFiles, labPortList, readLabState, servicePortsRecord, startLab } from '../lab/lab-runner.js';
import { readCorpusSummary } from '../lab/darkweb/corpus/index.js';
import { CliError } from './errors.js';
import type { LabTlsPorts } from '../lab/tls/lab-tls-server.js';
import type { LabWebPorts } from '../lab/web/site-content.js';

/** What the demo needs of a lab, whoever started it. */
export interface DemoLab {
  resolverAddress: string;
  port: number;
  /** The ports of the lab's web sites (absent for a lab started before the web tier existed). */
  webPorts?: LabWebPorts;
  files: LabFiles;
  /** The ports to scan: the default list with the lab's shifted service ports. */
  ports: number[];
  /** Documents of the dark-web corpus to ingest (0: none). */
  documents: number;
  /** The ports of the lab's TLS endpoints (none for a lab started before it had them). */
  tls?: LabTlsPorts;
  /** Set when the lab was already running: its pid. The demo leaves that lab running. */
  reusedPid?: number;
  /** Stops the lab if the demo started it; a reused lab keeps running. */
  stop(): Promise<void>;
}

export interface DemoLabOptions {
  home: string;
  seed: number;
  orgs: number;
  port: number | undefined;
  documents: number;
  /** HTTP port of the web sites (default 80, or 10080). */
  webPort?: number;
}

export async function demoLab(options: DemoLabOptions): Promise<DemoLab> {
  const state = readLabState(options.home);
  if (state && isLabRunning(state)) {
    const sameWorld =
      state.seed === options.seed &&
      state.orgs === options.orgs &&
      (options.port === undefined || options.port === state.port);
    if (!sameWorld) {
      throw new CliError(
        `a lab is already running in ${options.home} (pid ${state.pid}, seed ${state.seed}, ${state.orgs} ` +
          `organizations, resolver ${state.resolver}); the demo would overwrite its files: run ` +
          `\`vitals demo --seed ${state.seed} --orgs ${state.orgs}\` to use it, or \`vitals lab down\` first`,
      );
    }
    const corpus = state.files.darkwebCorpus;
    const documents =
      options.documents > 0 && corpus !== undefined && existsSync(corpus)
        ? readCorpusSummary(dirname(corpus)).documents
        : 0;
    return {
      resolverAddress: state.resolver.replace(/:\d+$/, ''),
      port: state.port,
      ...(state.web && state.tls ? { webPorts: { http: state.web.http, https: state.tls.https } } : {}),
      files: state.files,
      ports: labPortList(state.servicePorts),
      documents,
      ...(state.tls ? { tls: state.tls } : {}),
      reusedPid: state.pid,
      stop: async () => undefined,
    };
  }
  const { seed, orgs, port, home, documents, webPort } = options;
  const lab = await startLab({
    seed,
    orgs,
    port,
    home,
    ...(documents > 0 ? { documents } : {}),
    ...(webPort !== undefined ? { webPort } : {}),
  });
  return {
    resolverAddress: lab.resolverAddress,
    port: lab.port,
    webPorts: lab.webPorts,
    files: lab.files,
    documents,
    tls: lab.tls.ports,
    ports: labPortList(servicePortsRecord(lab.services)),
    stop: () => lab.stop(),
  };
}
