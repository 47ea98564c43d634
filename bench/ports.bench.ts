/**
 * Port-scan benchmark (issue #8 section 5): the connect scan of the default port list over 1,000 lab
 * hosts, side by side in the same run with `nmap -sT -Pn -n -T4` on the same hosts and ports. Figures:
 * ports per second for each, their ratio (target: at least 1.0) and whether the open-port sets are
 * identical. The lab's services listen on shifted ports (the bench need not run as root); both scanners
 * get the same shifted list.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { labPortList, servicePortsRecord, startLab } from '../src/lab/lab-runner.js';
import { Semaphore } from '../src/net/concurrency.js';
import { NetworkGuard } from '../src/net/guarded-socket.js';
import { scanAddress } from '../src/probes/ports/connect-scan.js';
import { PORT_SCAN_DEFAULTS } from '../src/probes/ports/ports-family.js';
import type { BenchResult } from './bench-result.js';

const exec = promisify(execFile);
const HOSTS = 1000;
/** Enough organizations for 1,000 distinct host addresses (each has 3 to 10). */
const ORGS = 250;

function nmapOpenPorts(xml: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const host of xml.split('<host ').slice(1)) {
    const address = /<address addr="([^"]+)"/.exec(host)?.[1];
    if (!address) continue;
    const open = [...host.matchAll(/portid="(\d+)"><state state="open"/g)].map((m) => Number(m[1]));
    out.set(
      address,
      open.sort((a, b) => a - b),
    );
  }
  return out;
}

export async function run(): Promise<BenchResult> {
  const notes: string[] = [];
  const lab = await startLab({
    seed: 1,
    orgs: ORGS,
    port: 20000 + Math.floor(Math.random() * 30000),
    servicePortOffset: 20000 + Math.floor(Math.random() * 18000),
  });
  try {
    const ports = labPortList(servicePortsRecord(lab.services));
    const serviceAddresses = lab.world.services.map((h) => h.address);
    const all = lab.world.truth.organizations.flatMap((o) => o.hosts.flatMap((h) => h.addresses));
    const addresses = [...new Set([...serviceAddresses, ...all.filter((a) => a.startsWith('127.16.'))])].slice(
      0,
      HOSTS,
    );
    const attempts = addresses.length * ports.length;

    const guard = new NetworkGuard();
    const global = new Semaphore(PORT_SCAN_DEFAULTS.globalConcurrency);
    const started = process.hrtime.bigint();
    const scanned = await Promise.all(
      addresses.map((a) => scanAddress(guard, a, [], ports, PORT_SCAN_DEFAULTS, global)),
    );
    const oursSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const ours = new Map(scanned.map((s) => [s.address, s.open]));

    const nmap = ['/usr/bin/nmap', '/usr/local/bin/nmap'].find((p) => existsSync(p));
    let nmapSeconds: number | null = null;
    let identical: boolean | null = null;
    let differences: string[] = [];
    if (!nmap) notes.push('nmap is not installed: no comparison (apt-get install nmap)');
    else {
      const dir = mkdtempSync(join(tmpdir(), 'vitals-ports-bench-'));
      try {
        const list = join(dir, 'targets.txt');
        writeFileSync(list, `${addresses.join('\n')}\n`);
        const t0 = process.hrtime.bigint();
        const { stdout } = await exec(
          nmap,
          ['-sT', '-Pn', '-n', '-T4', '-p', ports.join(','), '-iL', list, '-oX', '-'],
          { maxBuffer: 256 * 1024 * 1024 },
        );
        nmapSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
        const theirs = nmapOpenPorts(stdout);
        differences = addresses.filter(
          (a) => JSON.stringify(ours.get(a) ?? []) !== JSON.stringify(theirs.get(a) ?? []),
        );
        identical = differences.length === 0 && theirs.size === addresses.length;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const oursRate = attempts / oursSeconds;
    const nmapRate = nmapSeconds === null ? null : attempts / nmapSeconds;
    const ratio = nmapRate === null ? null : oursRate / nmapRate;
    const open = scanned.reduce((n, s) => n + s.open.length, 0);
    return {
      name: 'ports',
      rows: [
        {
          what: `connect scan, ${addresses.length.toLocaleString('en-US')} hosts x ${ports.length} ports`,
          unit: 'ports/s',
          vitals: oursRate,
          other: { tool: 'nmap -sT -T4', value: nmapRate },
          target: 'ratio >= 1.0, same open ports',
          met: ratio === null || identical === null ? null : ratio >= 1 && identical,
        },
      ],
      details: {
        hosts: addresses.length,
        ports: ports.length,
        openPorts: open,
        vitalsSeconds: oursSeconds,
        nmapSeconds,
        ratio,
        identicalOpenPorts: identical,
        differingHosts: differences.slice(0, 20),
        tuning: PORT_SCAN_DEFAULTS,
      },
      notes,
    };
  } finally {
    await lab.stop();
  }
}
