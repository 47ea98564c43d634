/**
 * The scanner's connect scan against nmap's on the lab (issue #8 section 5): for the lab's service hosts
 * and some hosts without services, the open ports are exactly those `nmap -sT -Pn -n` reports for the
 * same addresses and ports, and the service names agree with `nmap -sV --version-light` wherever nmap
 * names the service by a probe (not by its port table); SQL Server and Oracle at intensity 7, where nmap's
 * TDS and TNS probes are sent on any port. Skipped, saying so, where nmap is not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { Semaphore } from '../../src/net/concurrency.js';
import { NetworkGuard } from '../../src/net/guarded-socket.js';
import { scanAddress } from '../../src/probes/ports/connect-scan.js';
import { PORT_SCAN_DEFAULTS } from '../../src/probes/ports/ports-family.js';
import { identifyService } from '../../src/probes/ports/services/identify.js';
import type { RunningLab } from '../../src/lab/lab-runner.js';
import { labPorts, startTestLab } from '../helpers/lab.js';

const run = promisify(execFile);
const NMAP = ['/usr/bin/nmap', '/usr/local/bin/nmap'].find((p) => existsSync(p));
const skip = NMAP ? false : 'nmap is not installed (apt-get install nmap): the comparison with nmap cannot run';

/** The open ports per address in nmap's XML output (`-oX -`). */
function nmapOpenPorts(xml: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const host of xml.split('<host ').slice(1)) {
    const address = /<address addr="([^"]+)" addrtype="ipv[46]"/.exec(host)?.[1];
    if (!address) continue;
    const open = [...host.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="open"/g)].map((m) =>
      Number(m[1]),
    );
    out.set(
      address,
      open.sort((a, b) => a - b),
    );
  }
  return out;
}

/** Our service names, in nmap's words (nmap-services / nmap-service-probes names). */
const NMAP_NAMES: Record<string, readonly string[]> = {
  ssh: ['ssh'],
  ftp: ['ftp'],
  smtp: ['smtp'],
  telnet: ['telnet'],
  rdp: ['ms-wbt-server'],
  smb: ['microsoft-ds', 'netbios-ssn'],
  vnc: ['vnc'],
  mysql: ['mysql'],
  postgresql: ['postgresql'],
  redis: ['redis'],
  mongodb: ['mongodb', 'mongod'],
  elasticsearch: ['http', 'elasticsearch'],
  mssql: ['ms-sql-s'],
  oracle: ['oracle-tns'],
  dicom: ['dicom'],
  hl7: ['hl7'],
  sip: ['sip', 'sip-proxy'],
  stun: ['stun'],
  http: ['http', 'http-proxy'],
  tls: ['ssl', 'https'],
  dns: ['domain'],
  pop3: ['pop3'],
  imap: ['imap'],
};

/** Our services whose nmap probe is rarer than --version-light sends off its own ports. */
const RARE_PROBES: ReadonlySet<string> = new Set(['mssql', 'oracle']);

describe('the connect scan against nmap -sT on the lab', { skip }, () => {
  let lab: RunningLab;
  let addresses: string[];
  let ports: number[];
  const ours = new Map<string, number[]>();

  before(async () => {
    lab = await startTestLab(25);
    ports = labPorts(lab);
    const serviceAddresses = lab.world.services.map((h) => h.address);
    // Hosts without services: their ports must be closed for both scanners.
    const others = lab.world.truth.organizations
      .flatMap((o) => o.hosts.flatMap((h) => h.addresses))
      .filter((a) => /^127\.16\./.test(a) && !serviceAddresses.includes(a))
      .slice(0, 8);
    addresses = [...new Set([...serviceAddresses, ...others])];
    const guard = new NetworkGuard();
    const global = new Semaphore(PORT_SCAN_DEFAULTS.globalConcurrency);
    for (const address of addresses) {
      const result = await scanAddress(guard, address, [], ports, PORT_SCAN_DEFAULTS, global);
      ours.set(address, result.open);
    }
  });
  after(async () => {
    await lab?.stop();
  });

  test('the open-port sets are identical', async () => {
    const { stdout } = await run(NMAP!, ['-sT', '-Pn', '-n', '-T4', '-p', ports.join(','), '-oX', '-', ...addresses], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const theirs = nmapOpenPorts(stdout);
    assert.equal(theirs.size, addresses.length, 'nmap reported every address');
    for (const address of addresses) assert.deepEqual(ours.get(address), theirs.get(address), address);
    const open = [...ours.values()].reduce((n, p) => n + p.length, 0);
    assert.ok(open >= lab.world.services.length, `${open} open ports`);
  });

  test('service names agree with nmap -sV where nmap names the service', async () => {
    const compared: string[] = [];
    await Promise.all(
      [...ours].flatMap(([address, open]) =>
        open.map(async (port) => {
          const mine = await identifyService(
            { guard: new NetworkGuard(), address, port, tuning: PORT_SCAN_DEFAULTS },
            12_000,
          );
          // nmap's ms-sql-s and oracle-tns probes are rarity 7: --version-light sends them only on their own
          // ports (1433; 1521 and a few), and the lab's ports are shifted, so those two get intensity 7.
          const rare = mine.identified && RARE_PROBES.has(mine.service.name);
          const intensity = rare ? ['--version-intensity', '7'] : ['--version-light'];
          const { stdout } = await run(
            NMAP!,
            ['-sV', ...intensity, '-Pn', '-n', '-p', String(port), '-oX', '-', address],
            {
              maxBuffer: 16 * 1024 * 1024,
            },
          );
          const service = /<service name="([^"]+)"[^>]*method="(\w+)"/.exec(stdout);
          if (service === null) return;
          if (service[2] !== 'probed' || service[1] === 'unknown') return;
          assert.ok(mine.identified, `${address}:${port}: nmap says ${service[1]}, we could not name it`);
          const names = NMAP_NAMES[mine.service.name] ?? [mine.service.name];
          assert.ok(names.includes(service[1]!), `${address}:${port}: nmap ${service[1]}, ours ${mine.service.name}`);
          compared.push(`${mine.service.name}=${service[1]}`);
        }),
      ),
    );
    console.log(`service names compared with nmap -sV: ${compared.sort().join(', ')}`);
    assert.ok(compared.length > 0, 'nmap named at least one service');
    // The lab plants both (src/lab/services/plan.ts, COVERAGE): nmap must have named them too.
    for (const name of RARE_PROBES)
      assert.ok(
        compared.some((c) => c.startsWith(`${name}=`)),
        name,
      );
  });
});
