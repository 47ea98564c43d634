/**
 * Test helpers: start the lab on a random high port (tests run as any user and in parallel), and build
 * scan settings pointing at it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labPortList, startLab, type RunningLab } from '../../src/lab/lab-runner.js';
import { createDnsClient } from '../../src/net/dns/dns-client.js';
import { parseCtLog } from '../../src/probes/dns/discovery.probe.js';
import { DEFAULT_WORDLIST } from '../../src/probes/dns/wordlist.js';
import { parseTrustAnchors } from '../../src/dnssec/trust-anchor.js';
import type { ScanSettings } from '../../src/scanner/scan.js';
import { LAB_FEEDS } from '../../src/lab/world/reputation.js';
import { readFeedFile } from '../../src/intel/reputation/feed-import-file.js';
import { reputationIndexData } from '../../src/scanner/reputation-data.js';
import type { ReputationData } from '../../src/probes/reputation/reputation-family.js';

export function randomHighPort(): number {
  return 20000 + Math.floor(Math.random() * 30000);
}

/** Starts a lab, retrying on another port if the random one is taken. */
export async function startTestLab(orgs: number, seed = 1): Promise<RunningLab & { home: string }> {
  const home = mkdtempSync(join(tmpdir(), 'vitals-test-'));
  for (let attempt = 0; ; attempt++) {
    try {
      const https = randomHighPort();
      const tlsPorts = { https, alt: https === 49999 ? 20000 : https + 1 };
      // Services move by a random offset too: several labs may run at once, and ports below 1024 need root.
      const lab = await startLab({
        seed,
        orgs,
        port: randomHighPort(),
        home,
        tlsPorts,
        servicePortOffset: randomServiceOffset(),
      });
      const stop = lab.stop.bind(lab);
      // The test's folder goes with the lab: nothing is left behind in the temp directory.
      return Object.assign(lab, {
        home,
        stop: async () => {
          await stop();
          rmSync(home, { recursive: true, force: true });
        },
      });
    } catch (error) {
      if (!['EADDRINUSE', 'lab-port-unavailable'].includes(String((error as { code?: unknown }).code)) || attempt > 5)
        throw error;
    }
  }
}

/** An offset that keeps every shifted service port (the highest standard one is 27017) below 65536. */
export function randomServiceOffset(): number {
  return 20000 + Math.floor(Math.random() * 18000);
}

/** The ports a scan of this lab tries: the default list, with the lab's shifted service ports. */
export function labPorts(lab: RunningLab): number[] {
  return labPortList(Object.fromEntries([...lab.services.ports].map(([s, a]) => [String(s), a])));
}

export function labScanSettings(lab: RunningLab, overrides: Partial<ScanSettings> = {}): ScanSettings {
  return {
    client: createDnsClient(),
    resolver: { address: lab.resolverAddress, port: lab.port },
    nameServerPort: lab.port,
    trustAnchors: parseTrustAnchors(readFileSync(lab.files.trustAnchor, 'utf8')),
    allowPrivate: true,
    concurrency: 32,
    // The lab answers in the test's own process, beside the scanner: on a loaded 2-core machine its event
    // loop can be late by seconds (seen: a 2 s zone transfer timing out at load 14). Nothing in the lab is
    // meant to time out, so a wait that only load can exceed keeps these tests about answers, not speed.
    timeoutMs: 5000,
    retries: 1,
    wordlist: DEFAULT_WORDLIST,
    ctNames: parseCtLog(JSON.parse(readFileSync(lab.files.ct, 'utf8'))),
    tls: { ports: [lab.tls.ports.https, lab.tls.ports.alt], caPem: readFileSync(lab.files.tlsCa, 'utf8') },
    ports: labPorts(lab),
    webPorts: { http: [lab.webPorts.http], https: [lab.webPorts.https] },
    ...overrides,
  };
}

/** The lab's feed files read as `vitals feeds import` reads them, as the data a scan loads from the store. */
export function labReputation(lab: RunningLab): ReputationData {
  const now = new Date();
  const entries = LAB_FEEDS.flatMap(({ file, category }) => {
    const feed = readFeedFile(join(lab.files.feeds, file), { category, now });
    return feed.entries.map((e) => ({ ...e, feed: feed.name }));
  });
  return reputationIndexData(entries, {});
}
