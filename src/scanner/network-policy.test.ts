/**
 * The network policy end to end, with real sockets on loopback: a resolver started here answers for a
 * hostile zone whose name servers point at loopback, private, NAT64, link-local, multicast and
 * unspecified addresses; name-server listeners on 127.0.0.1 and ::1 (a separate port) see every packet
 * that reaches a name server, and the socket layer's recorder sees every send and refusal.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import { createScanDnsClient, scanNetworkSpec } from '../net/scan-network.js';
import type { ContactRecorder, Refusal } from '../net/guarded-socket.js';
import type { DnsServer } from '../net/dns/dns-client.types.js';
import type { Exclusions } from '../net/exclusions.js';
import { probeDnsInfra } from '../probes/dns/dns-infra.probe.js';
import { checkDnsInfra } from '../checks/dns_health/dns-infra.check.js';
import { runScan, type ScanSettings } from './scan.js';

/** Name servers of each test zone and their addresses. */
const ZONES: Record<string, Record<string, { A?: string[]; AAAA?: string[] }>> = {
  'hostile.test': {
    'ns-loop6.hostile.test': { AAAA: ['::1'] },
    'ns-mapped.hostile.test': { AAAA: ['::ffff:127.0.0.1'] },
    'ns-ula.hostile.test': { AAAA: ['fd00::1'] },
    'ns-nat64.hostile.test': { AAAA: ['64:ff9b::7f00:1'] },
    'ns-metadata.hostile.test': { A: ['169.254.169.254'] },
  },
  // Only addresses that stay on this machine or are never contacted: with --allow-private the
  // loopback ones are contacted, and nothing may leave the machine.
  'mixed.test': {
    'ns-loop6.mixed.test': { AAAA: ['::1'] },
    'ns-mapped.mixed.test': { AAAA: ['::ffff:127.0.0.1'] },
    'ns-mcast.mixed.test': { AAAA: ['ff02::1'] },
    'ns-unspec.mixed.test': { A: ['0.0.0.0'], AAAA: ['::'] },
  },
};
/** The addresses as the records' decoder spells them (`::ffff:127.0.0.1` decodes as `::ffff:7f00:1`). */
const HOSTILE_ADDRESSES = ['::1', '::ffff:7f00:1', 'fd00::1', '64:ff9b::7f00:1', '169.254.169.254'];

/** An address as decoded from a record and as the socket layer spells it (Node's canonical form). */
function spellings(ip: string): string[] {
  return net.isIPv6(ip) ? [ip, new net.SocketAddress({ address: ip, family: 'ipv6' }).address] : [ip];
}

function mentions(values: readonly string[], ip: string): boolean {
  return spellings(ip).some((spelling) => values.includes(spelling));
}

function resolverAnswer(query: DecodedPacket): Buffer {
  const question = query.questions?.[0];
  const name = (question?.name ?? '').toLowerCase();
  const answers: Answer[] = [];
  const zone = ZONES[name];
  if (zone && question?.type === 'NS') {
    for (const host of Object.keys(zone)) answers.push({ name, type: 'NS', ttl: 60, data: host });
  }
  for (const servers of Object.values(ZONES)) {
    const addresses = servers[name];
    if (addresses && (question?.type === 'A' || question?.type === 'AAAA')) {
      for (const ip of addresses[question.type] ?? []) answers.push({ name, type: question.type, ttl: 60, data: ip });
    }
  }
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags: dnsPacket.RECURSION_AVAILABLE | dnsPacket.RECURSION_DESIRED,
    questions: query.questions,
    answers,
  });
}

interface Listener {
  close(): Promise<void>;
}

/** Seen at the name-server port: "udp 127.0.0.1" or "tcp ::1", one entry per packet or connection. */
const nameServerContacts: string[] = [];
const listeners: Listener[] = [];
let resolver: DnsServer;
let nameServerPort = 0;

async function udpListener(address: string, port: number, onMessage: (m: Buffer, r: dgram.RemoteInfo) => void) {
  const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => resolve());
  });
  socket.on('message', onMessage);
  listeners.push({ close: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
  return socket;
}

async function tcpListener(address: string, port: number): Promise<void> {
  const server = net.createServer((socket) => {
    nameServerContacts.push(`tcp ${address}`);
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  listeners.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

before(async () => {
  const udp = await udpListener('127.0.0.1', 0, (message, remote) => {
    try {
      udp.send(resolverAnswer(dnsPacket.decode(message)), remote.port, remote.address);
    } catch {
      // not DNS: ignored
    }
  });
  resolver = { address: '127.0.0.1', port: udp.address().port };
  for (let tries = 0; tries < 20 && nameServerPort === 0; tries++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    try {
      for (const address of ['127.0.0.1', '::1']) {
        await udpListener(address, port, () => nameServerContacts.push(`udp ${address}`));
        await tcpListener(address, port);
      }
      nameServerPort = port;
    } catch {
      await Promise.all(listeners.splice(1).map((l) => l.close()));
    }
  }
  assert.notEqual(nameServerPort, 0, 'could not bind the name-server listeners');
});

after(async () => {
  await Promise.all(listeners.map((l) => l.close()));
});

function recorder(): ContactRecorder & { sentTo: string[]; refusals: Refusal[] } {
  const sentTo: string[] = [];
  const refusals: Refusal[] = [];
  return {
    sentTo,
    refusals,
    sent: (address) => sentTo.push(address),
    refused: (refusal) => refusals.push(refusal),
  };
}

function settings(allowPrivate: boolean, rec: ContactRecorder, exclusions?: Exclusions): ScanSettings {
  const network = scanNetworkSpec({ allowPrivate, resolver, exclusions });
  return {
    client: createScanDnsClient(network, rec),
    resolver,
    nameServerPort,
    trustAnchors: [],
    allowPrivate,
    network,
    concurrency: 1,
    timeoutMs: 300,
    retries: 0,
    wordlist: null,
    ctNames: [],
  };
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
}

describe('network policy: a zone whose name servers point inside the network', () => {
  test('without --allow-private the target is refused up front, naming each address and why; no packet', async () => {
    nameServerContacts.length = 0;
    const rec = recorder();
    const scan = settings(false, rec);
    try {
      const [result] = await runScan([{ domain: 'hostile.test', organization: null }], scan);
      assert.equal(result?.status, 'refused');
      const error = result?.error ?? '';
      assert.match(error, /ns-ula\.hostile\.test resolves to fd00::1 \(fd00::1 is a unique-local \(private\) address/);
      assert.match(error, /169\.254\.169\.254 is a link-local address/);
      assert.match(error, /::1 is a loopback address/);
      assert.match(error, /::ffff:7f00:1 is an IPv4-mapped address of 127\.0\.0\.1, a loopback address/);
      assert.match(error, /64:ff9b::7f00:1 is a NAT64 address of 127\.0\.0\.1, a loopback address/);
      assert.match(error, /--allow-private/);
    } finally {
      await scan.client.close();
    }
    await settle();
    assert.deepEqual(nameServerContacts, [], 'a name server was contacted');
    for (const address of HOSTILE_ADDRESSES) assert.ok(!mentions(rec.sentTo, address), `sent to ${address}`);
    assert.ok(rec.sentTo.length > 0 && rec.sentTo.every((a) => a === resolver.address), rec.sentTo.join());
  });

  test('at the socket: a probe that would send to a refused address is not assessed, and sends nothing', async () => {
    nameServerContacts.length = 0;
    const rec = recorder();
    const scan = settings(false, rec);
    try {
      // The probe runs without the up-front refusal: only the socket layer stands in the way.
      const infra = await probeDnsInfra('hostile.test', {
        client: scan.client,
        resolver,
        nameServerPort,
        queryOptions: { timeoutMs: 300, retries: 0 },
        now: () => Math.floor(Date.now() / 1000),
      });
      assert.deepEqual(infra.nameServerAddresses.map((p) => p.ip).sort(), [...HOSTILE_ADDRESSES].sort());
      for (const probe of infra.nameServerAddresses) {
        for (const attempt of [probe.axfr, probe.versionBind, probe.idServer, probe.recursion]) {
          assert.equal(attempt.status, 'not_assessed', `${probe.ip}: ${JSON.stringify(attempt)}`);
          if (attempt.status !== 'not_assessed') continue;
          assert.equal(attempt.reason, 'policy_refused');
          assert.ok(
            spellings(probe.ip).some((ip) => attempt.detail.includes(`not sent: ${ip} is a`)),
            attempt.detail,
          );
        }
      }
      const outcome = checkDnsInfra(infra);
      const nameServerChecks = ['dns.axfr.open', 'dns.resolver.open', 'dns.version_disclosed'];
      assert.ok(!outcome.controls.some((c) => nameServerChecks.includes(c.control)), 'a refused probe passed');
      assert.ok(
        outcome.notAssessed.some((n) => n.check === 'dns.axfr.open' && n.reason.includes('fd00::1')),
        JSON.stringify(outcome.notAssessed),
      );
    } finally {
      await scan.client.close();
    }
    await settle();
    assert.deepEqual(nameServerContacts, [], 'a name server was contacted');
    for (const address of HOSTILE_ADDRESSES) {
      assert.ok(!mentions(rec.sentTo, address), `sent to ${address}`);
      assert.ok(
        mentions(
          rec.refusals.map((r) => r.address),
          address,
        ),
        `no refusal recorded for ${address}`,
      );
    }
  });

  test('with --allow-private the loopback name servers are contacted; multicast and unspecified never', async () => {
    nameServerContacts.length = 0;
    const rec = recorder();
    const scan = settings(true, rec);
    try {
      const [result] = await runScan([{ domain: 'mixed.test', organization: null }], scan);
      assert.equal(result?.status, 'scanned', result?.error);
    } finally {
      await scan.client.close();
    }
    await settle();
    assert.ok(nameServerContacts.includes('udp ::1'), nameServerContacts.join());
    assert.ok(nameServerContacts.includes('udp 127.0.0.1'), `::ffff:127.0.0.1 not reached: ${nameServerContacts}`);
    assert.ok(rec.sentTo.includes('::1') && rec.sentTo.includes('::ffff:127.0.0.1'), rec.sentTo.join());
    for (const never of ['ff02::1', '::', '0.0.0.0']) {
      assert.ok(!rec.sentTo.includes(never), `sent to ${never}`);
      const refusal = rec.refusals.find((r) => r.address === never);
      assert.ok(refusal, `no refusal recorded for ${never}`);
      assert.match(refusal.reason, /no option allows contacting it/);
    }
  });

  test(
    '--exclude: an excluded suffix refuses the target before any query; an excluded CIDR wins over ' +
      '--allow-private',
    async () => {
      nameServerContacts.length = 0;
      const bySuffix = recorder();
      const suffixScan = settings(true, bySuffix, { cidrs: [], suffixes: ['hostile.test'] });
      try {
        const [result] = await runScan([{ domain: 'hostile.test', organization: null }], suffixScan);
        assert.equal(result?.status, 'refused');
        assert.match(result?.error ?? '', /hostile\.test: it is excluded by --exclude \(hostile\.test\)/);
      } finally {
        await suffixScan.client.close();
      }
      assert.deepEqual(bySuffix.sentTo, [], 'an excluded target was asked about');
      const byCidr = recorder();
      const cidrScan = settings(true, byCidr, { cidrs: ['::1/128'], suffixes: [] });
      try {
        const [result] = await runScan([{ domain: 'mixed.test', organization: null }], cidrScan);
        assert.equal(result?.status, 'refused');
        assert.match(
          result?.error ?? '',
          /ns-loop6\.mixed\.test resolves to ::1 \(::1 is excluded by --exclude \(::1\/128\)\)/,
        );
      } finally {
        await cidrScan.client.close();
      }
      await settle();
      assert.deepEqual(nameServerContacts, [], 'a name server was contacted');
    },
  );
});
