import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, NsecAnswer, Packet, RecordClass, RecordType, TxtAnswer } from 'dns-packet';
import { canonicalNameCompare } from '../../dnssec/canonical.js';
import { startLabDnsServer } from './lab-dns-server.js';
import type { LabDnsServer } from './lab-dns-server.js';
import type { LabDnsConfig, LabZone } from './lab-dns.types.js';

// ---------------------------------------------------------------------------------------------------
// A small hand-made world. Every address is on loopback (127.5.x.y, routed to lo by Linux).
// ---------------------------------------------------------------------------------------------------

const PROVIDER = '127.5.53.10'; // serves `test` and `northwind.test`
const PARENT_ONLY = '127.5.54.10'; // serves `test` only: gives referrals for its children
const SELF_HOSTED = '127.5.60.20'; // serves `selfhost.test`; open recursion; discloses its version
const RESOLVER = '127.5.53.1';
const VERSION = 'lab-bind 9.11.3-P4';
const SELFHOST_HOSTS = 1200;

type Rec = Answer;
const soa = (origin: string): Rec => ({
  name: origin,
  type: 'SOA',
  ttl: 3600,
  data: {
    mname: `ns1.lab-dns.test`,
    rname: `hostmaster.${origin}`,
    serial: 1,
    refresh: 3600,
    retry: 600,
    expire: 86400,
    minimum: 300,
  },
});
const rr = (name: string, type: 'A' | 'NS' | 'CNAME', data: string): Rec => ({ name, type, ttl: 300, data });
const txt = (name: string, ...strings: string[]): Rec => ({ name, type: 'TXT', ttl: 300, data: strings });

/**
 * Adds an NSEC chain and RRSIGs to a zone the way a signer lays them out (RFC 4035 section 2): glue
 * below a cut is neither signed nor in the chain, NS at a cut is not signed. Signatures are fake bytes:
 * the server never validates, it only has to place them.
 */
function signLike(origin: string, records: Rec[]): Rec[] {
  const cuts = new Set(records.filter((r) => r.type === 'NS' && r.name !== origin).map((r) => r.name));
  const belowCut = (name: string): boolean => [...cuts].some((cut) => name !== cut && name.endsWith(`.${cut}`));
  const owners = [...new Set(records.map((r) => r.name))].filter((n) => !belowCut(n)).sort(canonicalNameCompare);
  const out = [...records];
  owners.forEach((owner, i) => {
    const types = [...new Set(records.filter((r) => r.name === owner).map((r) => r.type))];
    const next = owners[(i + 1) % owners.length]!;
    out.push({ name: owner, type: 'NSEC', ttl: 300, data: { nextDomain: next, rrtypes: [...types, 'NSEC', 'RRSIG'] } });
    for (const type of [...types, 'NSEC']) {
      if (type === 'NS' && cuts.has(owner)) continue;
      const labels = owner.split('.').filter((l) => l !== '*').length;
      out.push({
        name: owner,
        type: 'RRSIG',
        ttl: 300,
        data: {
          typeCovered: type,
          algorithm: 13,
          labels,
          originalTTL: 300,
          expiration: 2000000000,
          inception: 1700000000,
          keyTag: 4242,
          signersName: origin,
          signature: Buffer.alloc(64, type.length),
        },
      });
    }
  });
  return out;
}

const dsRecord: Rec = {
  name: 'northwind.test',
  type: 'DS',
  ttl: 300,
  data: { keyTag: 4242, algorithm: 13, digestType: 2, digest: Buffer.alloc(32, 7) },
};

function testZone(): LabZone {
  return {
    origin: 'test',
    axfr: 'closed',
    records: signLike('test', [
      soa('test'),
      rr('test', 'NS', 'ns1.lab-dns.test'),
      rr('test', 'NS', 'ns2.lab-dns.test'),
      rr('ns1.lab-dns.test', 'A', PROVIDER),
      rr('ns2.lab-dns.test', 'A', PARENT_ONLY),
      rr('northwind.test', 'NS', 'ns1.lab-dns.test'),
      rr('northwind.test', 'NS', 'ns2.lab-dns.test'),
      dsRecord,
      rr('selfhost.test', 'NS', 'ns1.selfhost.test'),
      rr('ns1.selfhost.test', 'A', SELF_HOSTED),
    ]),
  };
}

const BIG_STRINGS = Array.from({ length: 5 }, (_, i) => `${i}`.repeat(200));

function northwindZone(wwwAddress = '127.5.1.2'): LabZone {
  const o = 'northwind.test';
  return {
    origin: o,
    axfr: 'closed',
    records: signLike(o, [
      soa(o),
      rr(o, 'NS', 'ns1.lab-dns.test'),
      rr(o, 'NS', 'ns2.lab-dns.test'),
      rr(o, 'A', '127.5.1.1'),
      { name: o, type: 'MX', ttl: 300, data: { preference: 10, exchange: `mail.${o}` } },
      txt(o, 'v=spf1 mx -all'),
      txt(`_dmarc.${o}`, 'v=DMARC1; p=reject; rua=mailto:d@northwind.test'),
      txt(`s1._domainkey.${o}`, 'v=DKIM1; k=rsa; p=MIIB'),
      rr(`www.${o}`, 'A', wwwAddress),
      rr(`mail.${o}`, 'A', '127.5.1.3'),
      rr(`video.${o}`, 'CNAME', `video2.${o}`),
      rr(`video2.${o}`, 'CNAME', `portal.${o}`),
      rr(`portal.${o}`, 'A', '127.5.1.4'),
      rr(`files.${o}`, 'CNAME', 'files.selfhost.test'),
      rr(`old.${o}`, 'CNAME', 'gone.nowhere.example'),
      rr(`loop1.${o}`, 'CNAME', `loop2.${o}`),
      rr(`loop2.${o}`, 'CNAME', `loop1.${o}`),
      rr(`*.${o}`, 'A', '127.5.1.9'),
      txt(`big.${o}`, ...BIG_STRINGS),
    ]),
  };
}

function selfhostZone(): LabZone {
  const o = 'selfhost.test';
  const hosts = Array.from({ length: SELFHOST_HOSTS }, (_, i) =>
    rr(`h${String(i).padStart(4, '0')}.${o}`, 'A', `127.5.${61 + Math.floor(i / 250)}.${(i % 250) + 1}`),
  );
  return {
    origin: o,
    axfr: 'open',
    records: [
      soa(o),
      rr(o, 'NS', `ns1.${o}`),
      rr(`ns1.${o}`, 'A', SELF_HOSTED),
      rr(`files.${o}`, 'A', '127.5.60.30'),
      ...hosts,
    ],
  };
}

function worldConfig(port: number): LabDnsConfig {
  return {
    port,
    zones: [testZone(), northwindZone(), selfhostZone()],
    nameServers: [
      { address: PROVIDER, zones: ['test', 'northwind.test'], recursion: 'refused' },
      { address: PARENT_ONLY, zones: ['test'], recursion: 'refused' },
      { address: SELF_HOSTED, zones: ['selfhost.test'], recursion: 'open', version: VERSION },
    ],
    resolvers: [RESOLVER],
  };
}

// ---------------------------------------------------------------------------------------------------
// A minimal client built from dns-packet and node:dgram/net.
// ---------------------------------------------------------------------------------------------------

type Reply = DecodedPacket & { rcode: string };

interface QueryOptions {
  dnssecOk?: boolean;
  rd?: boolean;
  klass?: RecordClass;
  /** EDNS payload size; false sends no OPT record. */
  edns?: number | false;
  ednsVersion?: number;
}

function query(name: string, type: RecordType, options: QueryOptions = {}): Packet {
  const edns = options.edns ?? 4096;
  const packet: Packet = {
    type: 'query',
    id: Math.floor(Math.random() * 65536),
    flags: options.rd ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ name, type, class: options.klass ?? 'IN' }],
  };
  if (edns !== false) {
    packet.additionals = [
      {
        name: '.',
        type: 'OPT',
        udpPayloadSize: edns,
        extendedRcode: 0,
        ednsVersion: options.ednsVersion ?? 0,
        flags: options.dnssecOk ? dnsPacket.DNSSEC_OK : 0,
        flag_do: options.dnssecOk ?? false,
        options: [],
      },
    ];
  }
  return packet;
}

function udpRaw(address: string, port: number, message: Buffer, timeoutMs = 1000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, timeoutMs);
    socket.on('message', (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    });
    socket.send(message, port, address);
  });
}

async function udp(address: string, port: number, packet: Packet): Promise<Reply> {
  const raw = await udpRaw(address, port, dnsPacket.encode(packet));
  assert.ok(raw, `no UDP reply from ${address}`);
  const reply = dnsPacket.decode(raw) as Reply;
  assert.equal(reply.id, packet.id, 'reply ID matches the query');
  return reply;
}

/** Sends one framed message over TCP and collects replies until `done` says so (or the peer closes). */
function tcpRaw(
  address: string,
  port: number,
  message: Buffer,
  done: (replies: Buffer[]) => boolean,
  timeoutMs = 3000,
): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const replies: Buffer[] = [];
    let pending = Buffer.alloc(0);
    const socket = net.connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('TCP exchange timed out'));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(replies);
    };
    socket.on('connect', () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(message.length);
      socket.write(Buffer.concat([prefix, message]));
    });
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const length = pending.readUInt16BE(0);
        replies.push(pending.subarray(2, 2 + length));
        pending = pending.subarray(2 + length);
      }
      if (done(replies)) finish();
    });
    socket.on('close', finish);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function tcp(address: string, port: number, packet: Packet): Promise<Reply> {
  const replies = await tcpRaw(address, port, dnsPacket.encode(packet), (r) => r.length >= 1);
  assert.equal(replies.length, 1);
  return dnsPacket.decode(replies[0]!) as Reply;
}

const ofType = <T extends Answer['type']>(records: Answer[] | undefined, type: T): (Answer & { type: T })[] =>
  (records ?? []).filter((r) => r.type === type) as (Answer & { type: T })[];

const flags = (reply: Reply): { aa: boolean; ra: boolean; ad: boolean; tc: boolean } => ({
  aa: reply.flag_aa,
  ra: reply.flag_ra,
  ad: reply.flag_ad,
  tc: reply.flag_tc,
});

/** NSEC `n` covers `name`: owner < name < next in canonical order, or the last NSEC wrapping to the apex. */
function covers(nsec: NsecAnswer, name: string): boolean {
  const afterOwner = canonicalNameCompare(nsec.name, name) < 0;
  const beforeNext = canonicalNameCompare(name, nsec.data.nextDomain) < 0;
  const wraps = canonicalNameCompare(nsec.data.nextDomain, nsec.name) <= 0;
  return afterOwner && (beforeNext || wraps);
}

async function startOnRandomPort(build: (port: number) => LabDnsConfig, tcpIdleMs?: number): Promise<LabDnsServer> {
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    try {
      return await startLabDnsServer(build(port), tcpIdleMs === undefined ? {} : { tcpIdleMs });
    } catch (error) {
      if (attempt >= 10 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------------

describe('lab DNS server', () => {
  let server: LabDnsServer;
  let port: number;

  before(async () => {
    server = await startOnRandomPort(worldConfig, 400);
    port = server.port;
  });
  after(async () => {
    await server.close();
  });

  test('listens on every name-server and resolver address', () => {
    assert.deepEqual([...server.addresses].sort(), [PARENT_ONLY, PROVIDER, RESOLVER, SELF_HOSTED].sort());
  });

  describe('authoritative answers', () => {
    test('exact match: AA, the RRset, no RRSIG without DO, no OPT without EDNS', async () => {
      const reply = await udp(PROVIDER, port, query('www.northwind.test', 'A', { edns: false }));
      assert.equal(reply.rcode, 'NOERROR');
      assert.deepEqual(flags(reply), { aa: true, ra: false, ad: false, tc: false });
      assert.deepEqual(
        reply.answers?.map((a) => [a.name, a.type, (a as { data: unknown }).data]),
        [['www.northwind.test', 'A', '127.5.1.2']],
      );
      assert.equal(reply.additionals?.length, 0, 'no OPT echoed to a query without one');
    });

    test('DO bit: RRSIG beside the RRset, OPT echoed with DO, AD never set', async () => {
      const reply = await udp(PROVIDER, port, query('www.northwind.test', 'A', { dnssecOk: true }));
      assert.deepEqual(
        ofType(reply.answers, 'A').map((a) => a.data),
        ['127.5.1.2'],
      );
      const sigs = ofType(reply.answers, 'RRSIG');
      assert.equal(sigs.length, 1);
      assert.equal(sigs[0]!.data.typeCovered, 'A');
      assert.equal(sigs[0]!.data.signersName, 'northwind.test');
      const opt = ofType(reply.additionals, 'OPT');
      assert.equal(opt.length, 1);
      assert.equal(opt[0]!.flag_do, true);
      assert.equal(reply.flag_ad, false);
    });

    test('the question is echoed as sent, matching case-insensitively', async () => {
      const reply = await udp(PROVIDER, port, query('WwW.NorthWind.TEST', 'A'));
      assert.equal(reply.questions?.[0]?.name, 'WwW.NorthWind.TEST');
      assert.deepEqual(
        ofType(reply.answers, 'A').map((a) => a.data),
        ['127.5.1.2'],
      );
    });

    test('DS for a zone apex comes from the parent side, signed by the parent', async () => {
      const reply = await udp(PROVIDER, port, query('northwind.test', 'DS', { dnssecOk: true }));
      assert.equal(reply.rcode, 'NOERROR');
      assert.equal(reply.flag_aa, true);
      assert.equal(ofType(reply.answers, 'DS').length, 1);
      assert.equal(ofType(reply.answers, 'DS')[0]!.data.keyTag, 4242);
      assert.deepEqual(
        ofType(reply.answers, 'RRSIG').map((s) => s.data.signersName),
        ['test'],
      );
    });

    test('referral from a parent-only server: NS, DS + RRSIG, glue; AA clear', async () => {
      const reply = await udp(PARENT_ONLY, port, query('www.northwind.test', 'A', { dnssecOk: true }));
      assert.equal(reply.rcode, 'NOERROR');
      assert.equal(reply.flag_aa, false);
      assert.equal(reply.answers?.length, 0);
      assert.deepEqual(
        ofType(reply.authorities, 'NS')
          .map((r) => r.data)
          .sort(),
        ['ns1.lab-dns.test', 'ns2.lab-dns.test'],
      );
      assert.equal(ofType(reply.authorities, 'DS').length, 1);
      assert.deepEqual(
        ofType(reply.authorities, 'RRSIG').map((s) => s.data.typeCovered),
        ['DS'],
      );
      assert.deepEqual(
        ofType(reply.additionals, 'A')
          .map((r) => [r.name, r.data])
          .sort(),
        [
          ['ns1.lab-dns.test', PROVIDER],
          ['ns2.lab-dns.test', PARENT_ONLY],
        ],
      );
    });

    test('referral to an unsigned child: glue, and with DO the NSEC proving there is no DS', async () => {
      const reply = await udp(PROVIDER, port, query('www.selfhost.test', 'A', { dnssecOk: true }));
      assert.equal(reply.flag_aa, false);
      assert.equal(reply.answers?.length, 0);
      assert.deepEqual(
        ofType(reply.authorities, 'NS').map((r) => r.data),
        ['ns1.selfhost.test'],
      );
      assert.equal(ofType(reply.authorities, 'DS').length, 0);
      const nsec = ofType(reply.authorities, 'NSEC');
      assert.equal(nsec.length, 1);
      assert.equal(nsec[0]!.name, 'selfhost.test');
      assert.ok(!nsec[0]!.data.rrtypes.includes('DS'));
      assert.deepEqual(
        ofType(reply.additionals, 'A').map((r) => [r.name, r.data]),
        [['ns1.selfhost.test', SELF_HOSTED]],
      );
    });

    test('the server that also serves the child answers the child authoritatively', async () => {
      const reply = await udp(PROVIDER, port, query('mail.northwind.test', 'A'));
      assert.equal(reply.flag_aa, true);
      assert.deepEqual(
        ofType(reply.answers, 'A').map((r) => r.data),
        ['127.5.1.3'],
      );
    });

    test('CNAME chain inside the zone is followed', async () => {
      const reply = await udp(PROVIDER, port, query('video.northwind.test', 'A'));
      assert.equal(reply.rcode, 'NOERROR');
      assert.equal(reply.flag_aa, true);
      assert.deepEqual(
        reply.answers?.map((a) => [a.name, a.type, (a as { data: unknown }).data]),
        [
          ['video.northwind.test', 'CNAME', 'video2.northwind.test'],
          ['video2.northwind.test', 'CNAME', 'portal.northwind.test'],
          ['portal.northwind.test', 'A', '127.5.1.4'],
        ],
      );
    });

    test('a CNAME query returns the CNAME itself, not its target', async () => {
      const reply = await udp(PROVIDER, port, query('video.northwind.test', 'CNAME'));
      assert.deepEqual(
        reply.answers?.map((a) => a.type),
        ['CNAME'],
      );
    });

    test('an authoritative server does not follow a CNAME into a zone it does not serve', async () => {
      const reply = await udp(PROVIDER, port, query('files.northwind.test', 'A'));
      assert.equal(reply.rcode, 'NOERROR');
      assert.deepEqual(
        reply.answers?.map((a) => [a.type, (a as { data: unknown }).data]),
        [['CNAME', 'files.selfhost.test']],
      );
    });

    test('a CNAME loop stops within the chain bound', async () => {
      const reply = await udp(PROVIDER, port, query('loop1.northwind.test', 'A'));
      assert.equal(reply.rcode, 'NOERROR');
      const cnames = ofType(reply.answers, 'CNAME');
      assert.ok(cnames.length >= 2 && cnames.length <= 8, `got ${cnames.length} CNAMEs`);
    });

    test('NODATA: NOERROR, empty answer, SOA; with DO the NSEC of the name and RRSIGs', async () => {
      const reply = await udp(PROVIDER, port, query('www.northwind.test', 'MX', { dnssecOk: true }));
      assert.equal(reply.rcode, 'NOERROR');
      assert.equal(reply.flag_aa, true);
      assert.equal(reply.answers?.length, 0);
      const soaRecords = ofType(reply.authorities, 'SOA');
      assert.equal(soaRecords.length, 1);
      assert.equal(soaRecords[0]!.ttl, 300, 'negative TTL is min(SOA TTL, MINIMUM) (RFC 2308)');
      const nsec = ofType(reply.authorities, 'NSEC');
      assert.deepEqual(
        nsec.map((n) => n.name),
        ['www.northwind.test'],
      );
      assert.ok(!nsec[0]!.data.rrtypes.includes('MX'));
      assert.deepEqual(
        ofType(reply.authorities, 'RRSIG')
          .map((s) => s.data.typeCovered)
          .sort(),
        ['NSEC', 'SOA'],
      );
    });

    test('NODATA without DO carries only the SOA', async () => {
      const reply = await udp(PROVIDER, port, query('www.northwind.test', 'MX'));
      assert.deepEqual(
        reply.authorities?.map((a) => a.type),
        ['SOA'],
      );
    });

    test('an empty non-terminal is NODATA, not NXDOMAIN and not the wildcard', async () => {
      const reply = await udp(PROVIDER, port, query('_domainkey.northwind.test', 'TXT', { dnssecOk: true }));
      assert.equal(reply.rcode, 'NOERROR');
      assert.equal(reply.answers?.length, 0);
      assert.equal(ofType(reply.authorities, 'SOA').length, 1);
      const nsec = ofType(reply.authorities, 'NSEC');
      assert.equal(nsec.length, 1);
      assert.ok(covers(nsec[0]!, '_domainkey.northwind.test'));
      const dkim = await udp(PROVIDER, port, query('s1._domainkey.northwind.test', 'TXT'));
      assert.equal(ofType(dkim.answers, 'TXT').length, 1);
    });

    test('wildcard: synthesized with the query name as owner, RRSIG labels unchanged, covering NSEC', async () => {
      const reply = await udp(PROVIDER, port, query('anything.northwind.test', 'A', { dnssecOk: true }));
      assert.equal(reply.rcode, 'NOERROR');
      assert.equal(reply.flag_aa, true);
      const a = ofType(reply.answers, 'A');
      assert.deepEqual(
        a.map((r) => [r.name, r.data]),
        [['anything.northwind.test', '127.5.1.9']],
      );
      const sig = ofType(reply.answers, 'RRSIG');
      assert.equal(sig.length, 1);
      assert.equal(sig[0]!.name, 'anything.northwind.test');
      assert.equal(sig[0]!.data.labels, 2, 'labels of *.northwind.test: shows the expansion');
      const nsec = ofType(reply.authorities, 'NSEC');
      assert.equal(nsec.length, 1);
      assert.ok(covers(nsec[0]!, 'anything.northwind.test'), `${nsec[0]!.name} -> ${nsec[0]!.data.nextDomain}`);
    });

    test('wildcard without the queried type: NODATA with SOA', async () => {
      const reply = await udp(PROVIDER, port, query('anything.northwind.test', 'MX', { dnssecOk: true }));
      assert.equal(reply.rcode, 'NOERROR');
      assert.equal(reply.answers?.length, 0);
      assert.equal(ofType(reply.authorities, 'SOA').length, 1);
      const nsecOwners = ofType(reply.authorities, 'NSEC').map((n) => n.name);
      assert.ok(nsecOwners.includes('*.northwind.test'), 'the wildcard NSEC shows the type is absent');
    });

    test('NXDOMAIN: SOA, and with DO the covering NSEC and the wildcard-denying NSEC', async () => {
      const qname = 'nope.www.northwind.test';
      const reply = await udp(PROVIDER, port, query(qname, 'A', { dnssecOk: true }));
      assert.equal(reply.rcode, 'NXDOMAIN');
      assert.equal(reply.flag_aa, true);
      assert.equal(reply.answers?.length, 0);
      assert.equal(ofType(reply.authorities, 'SOA').length, 1);
      const nsec = ofType(reply.authorities, 'NSEC');
      assert.ok(
        nsec.some((n) => covers(n, qname)),
        'an NSEC covers the query name',
      );
      assert.ok(
        nsec.some((n) => covers(n, '*.www.northwind.test')),
        'an NSEC denies the wildcard',
      );
      const sigCovered = ofType(reply.authorities, 'RRSIG').map((s) => s.data.typeCovered);
      assert.equal(sigCovered.filter((t) => t === 'NSEC').length, nsec.length);
      assert.ok(sigCovered.includes('SOA'));
    });

    test('NXDOMAIN below an empty non-terminal: two different NSECs deny the name and the wildcard', async () => {
      const qname = 'zz._domainkey.northwind.test';
      const reply = await udp(PROVIDER, port, query(qname, 'TXT', { dnssecOk: true }));
      assert.equal(reply.rcode, 'NXDOMAIN');
      const nsec = ofType(reply.authorities, 'NSEC');
      const forName = nsec.filter((n) => covers(n, qname));
      const forWildcard = nsec.filter((n) => covers(n, '*._domainkey.northwind.test'));
      assert.deepEqual(
        forName.map((n) => n.name),
        ['s1._domainkey.northwind.test'],
      );
      assert.deepEqual(
        forWildcard.map((n) => n.name),
        ['_dmarc.northwind.test'],
      );
    });

    test('NXDOMAIN in the parent zone for an undelegated name', async () => {
      const reply = await udp(PROVIDER, port, query('nobody.test', 'A'));
      assert.equal(reply.rcode, 'NXDOMAIN');
      assert.equal(ofType(reply.authorities, 'SOA')[0]?.name, 'test');
    });

    test('ANY is answered with one RRset (RFC 8482)', async () => {
      const reply = await udp(PROVIDER, port, query('northwind.test', 'ANY' as RecordType));
      assert.equal(reply.rcode, 'NOERROR');
      const types = new Set(reply.answers?.map((a) => a.type));
      assert.equal(types.size, 1);
    });

    test('names outside the served zones are REFUSED with RA clear, even with RD', async () => {
      const reply = await udp(PROVIDER, port, query('www.example.com', 'A', { rd: true }));
      assert.equal(reply.rcode, 'REFUSED');
      assert.equal(reply.flag_ra, false);
      const child = await udp(SELF_HOSTED, port, query('www.northwind.test', 'A'));
      assert.equal(child.rcode, 'REFUSED', 'no RD: an open resolver still refuses foreign names');
      assert.equal(child.flag_ra, false);
    });
  });

  describe('open recursion on a self-hosted name server', () => {
    test('RD for a lab name outside its zones: answered from the whole lab with RA set', async () => {
      const reply = await udp(SELF_HOSTED, port, query('www.northwind.test', 'A', { rd: true }));
      assert.equal(reply.rcode, 'NOERROR');
      assert.deepEqual(flags(reply), { aa: false, ra: true, ad: false, tc: false });
      assert.deepEqual(
        ofType(reply.answers, 'A').map((r) => r.data),
        ['127.5.1.2'],
      );
    });

    test('RD for a name no lab zone covers: NXDOMAIN with RA set', async () => {
      const reply = await udp(SELF_HOSTED, port, query('www.example.com', 'A', { rd: true }));
      assert.equal(reply.rcode, 'NXDOMAIN');
      assert.equal(reply.flag_ra, true);
    });

    test('its own zone is still answered authoritatively', async () => {
      const reply = await udp(SELF_HOSTED, port, query('h0007.selfhost.test', 'A'));
      assert.equal(reply.flag_aa, true);
      assert.deepEqual(
        ofType(reply.answers, 'A').map((r) => r.data),
        ['127.5.61.8'],
      );
    });
  });

  describe('resolver address', () => {
    test('RA set, AA clear, data from any lab zone', async () => {
      const reply = await udp(RESOLVER, port, query('mail.northwind.test', 'A', { rd: true }));
      assert.equal(reply.rcode, 'NOERROR');
      assert.deepEqual(flags(reply), { aa: false, ra: true, ad: false, tc: false });
      assert.deepEqual(
        ofType(reply.answers, 'A').map((r) => r.data),
        ['127.5.1.3'],
      );
    });

    test('follows a CNAME across zones', async () => {
      const reply = await udp(RESOLVER, port, query('files.northwind.test', 'A', { rd: true }));
      assert.deepEqual(
        reply.answers?.map((a) => [a.name, a.type, (a as { data: unknown }).data]),
        [
          ['files.northwind.test', 'CNAME', 'files.selfhost.test'],
          ['files.selfhost.test', 'A', '127.5.60.30'],
        ],
      );
    });

    test('a dangling CNAME: NXDOMAIN with the CNAME in the answer', async () => {
      const reply = await udp(RESOLVER, port, query('old.northwind.test', 'A', { rd: true }));
      assert.equal(reply.rcode, 'NXDOMAIN');
      assert.equal(reply.flag_ra, true);
      assert.deepEqual(
        reply.answers?.map((a) => [a.type, (a as { data: unknown }).data]),
        [['CNAME', 'gone.nowhere.example']],
      );
    });

    test('a CNAME loop: SERVFAIL', async () => {
      const reply = await udp(RESOLVER, port, query('loop1.northwind.test', 'A', { rd: true }));
      assert.equal(reply.rcode, 'SERVFAIL');
    });

    test('DS from the parent side, with RRSIG and NSEC passed through on DO, and never AD', async () => {
      const ds = await udp(RESOLVER, port, query('northwind.test', 'DS', { rd: true, dnssecOk: true }));
      assert.equal(ds.rcode, 'NOERROR');
      assert.equal(ofType(ds.answers, 'DS').length, 1);
      assert.deepEqual(
        ofType(ds.answers, 'RRSIG').map((s) => s.data.signersName),
        ['test'],
      );
      assert.equal(ds.flag_ad, false);
      assert.equal(ds.flag_aa, false);
      const noDs = await udp(RESOLVER, port, query('selfhost.test', 'DS', { rd: true, dnssecOk: true }));
      assert.equal(noDs.rcode, 'NOERROR');
      assert.equal(noDs.answers?.length, 0);
      assert.deepEqual(
        ofType(noDs.authorities, 'NSEC').map((n) => n.name),
        ['selfhost.test'],
      );
    });

    test('names no lab zone covers: NXDOMAIN, RA set', async () => {
      const reply = await udp(RESOLVER, port, query('www.example.org', 'A', { rd: true }));
      assert.equal(reply.rcode, 'NXDOMAIN');
      assert.equal(reply.flag_ra, true);
      assert.equal(reply.flag_aa, false);
    });
  });

  describe('CHAOS class', () => {
    test('version.bind and id.server are answered when the server has a version', async () => {
      for (const name of ['version.bind', 'id.server']) {
        const reply = await udp(SELF_HOSTED, port, query(name, 'TXT', { klass: 'CH' }));
        assert.equal(reply.rcode, 'NOERROR');
        const txtRecords = ofType(reply.answers, 'TXT') as TxtAnswer[];
        assert.equal(txtRecords.length, 1);
        assert.equal(txtRecords[0]!.class, 'CH');
        assert.deepEqual(
          (txtRecords[0]!.data as Buffer[]).map((b) => b.toString()),
          [VERSION],
        );
      }
    });

    test('REFUSED without a version, and at the resolver', async () => {
      for (const address of [PROVIDER, RESOLVER]) {
        const reply = await udp(address, port, query('version.bind', 'TXT', { klass: 'CH' }));
        assert.equal(reply.rcode, 'REFUSED');
        assert.equal(reply.answers?.length, 0);
      }
    });
  });

  describe('zone transfers', () => {
    test('AXFR of an open zone over TCP: several messages, SOA first and last, every record', async () => {
      const packet = query('selfhost.test', 'AXFR' as RecordType, { edns: false });
      const isLastSoa = (replies: Buffer[]): boolean => {
        const answers = replies.flatMap((r) => dnsPacket.decode(r).answers ?? []);
        return answers.length > 1 && answers[answers.length - 1]!.type === 'SOA';
      };
      const raw = await tcpRaw(SELF_HOSTED, port, dnsPacket.encode(packet), isLastSoa);
      const messages = raw.map((r) => dnsPacket.decode(r) as Reply);
      const zone = selfhostZone();
      assert.ok(messages.length >= 3, `${zone.records.length} records in ${messages.length} messages`);
      for (const message of messages) {
        assert.equal(message.rcode, 'NOERROR');
        assert.equal(message.id, packet.id);
        assert.ok((message.answers?.length ?? 0) <= 500);
      }
      const answers = messages.flatMap((m) => m.answers ?? []);
      assert.equal(answers[0]!.type, 'SOA');
      assert.equal(answers[answers.length - 1]!.type, 'SOA');
      assert.equal(answers.length, zone.records.length + 1);
      const names = new Set(answers.map((a) => `${a.name} ${a.type}`));
      for (const record of zone.records) assert.ok(names.has(`${record.name} ${record.type}`), record.name);
    });

    test('AXFR of a closed zone, or at a resolver: REFUSED', async () => {
      const closed = await tcp(PROVIDER, port, query('northwind.test', 'AXFR' as RecordType, { edns: false }));
      assert.equal(closed.rcode, 'REFUSED');
      assert.equal(closed.answers?.length, 0);
      const resolver = await tcp(RESOLVER, port, query('selfhost.test', 'AXFR' as RecordType, { edns: false }));
      assert.equal(resolver.rcode, 'REFUSED');
    });

    test('AXFR over UDP is not served', async () => {
      const reply = await udp(SELF_HOSTED, port, query('selfhost.test', 'AXFR' as RecordType, { edns: false }));
      assert.equal(reply.rcode, 'FORMERR');
      assert.equal(reply.answers?.length, 0);
    });
  });

  describe('UDP size and TCP', () => {
    test('a reply larger than 512 without EDNS is truncated: TC, header and question only', async () => {
      const reply = await udp(PROVIDER, port, query('big.northwind.test', 'TXT', { edns: false }));
      assert.equal(reply.flag_tc, true);
      assert.equal(reply.answers?.length, 0);
      assert.equal(reply.authorities?.length, 0);
      assert.equal(reply.questions?.[0]?.name, 'big.northwind.test');
    });

    test('EDNS 1232 is honoured for a reply that fits; a small EDNS size truncates', async () => {
      const fits = await udp(PROVIDER, port, query('big.northwind.test', 'TXT', { edns: 1232 }));
      assert.equal(fits.flag_tc, false);
      assert.equal(ofType(fits.answers, 'TXT').length, 1);
      const tooSmall = await udp(PROVIDER, port, query('big.northwind.test', 'TXT', { edns: 512, dnssecOk: true }));
      assert.equal(tooSmall.flag_tc, true);
      assert.equal(ofType(tooSmall.additionals, 'OPT').length, 1, 'the OPT record survives truncation');
    });

    test('the client retries over TCP and gets the whole RRset', async () => {
      const packet = query('big.northwind.test', 'TXT', { edns: false });
      const first = await udp(PROVIDER, port, packet);
      assert.equal(first.flag_tc, true);
      const retry = await tcp(PROVIDER, port, packet);
      assert.equal(retry.flag_tc, false);
      const strings = (ofType(retry.answers, 'TXT')[0]!.data as Buffer[]).map((b) => b.toString());
      assert.deepEqual(strings, BIG_STRINGS);
    });

    test('an unsupported EDNS version gets BADVERS', async () => {
      const reply = await udp(PROVIDER, port, query('www.northwind.test', 'A', { ednsVersion: 1 }));
      assert.equal(ofType(reply.additionals, 'OPT')[0]?.extendedRcode, 1, 'BADVERS = 16: upper bits 1');
      assert.equal(reply.answers?.length, 0);
    });

    test('pipelined TCP queries on one connection are all answered', async () => {
      const packets = ['www', 'mail', 'portal'].map((h) => query(`${h}.northwind.test`, 'A'));
      const framed = Buffer.concat(
        packets.map((p) => {
          const body = dnsPacket.encode(p);
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(body.length);
          return Buffer.concat([prefix, body]);
        }),
      );
      // tcpRaw frames its argument once more: send the three as the raw stream instead.
      const replies = await new Promise<Buffer[]>((resolve, reject) => {
        const got: Buffer[] = [];
        let pending = Buffer.alloc(0);
        const socket = net.connect({ host: PROVIDER, port }, () => socket.write(framed));
        const timer = setTimeout(() => reject(new Error('timeout')), 3000);
        socket.on('data', (chunk) => {
          pending = Buffer.concat([pending, chunk]);
          while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
            got.push(pending.subarray(2, 2 + pending.readUInt16BE(0)));
            pending = pending.subarray(2 + pending.readUInt16BE(0));
          }
          if (got.length === 3) {
            clearTimeout(timer);
            socket.destroy();
            resolve(got);
          }
        });
        socket.on('error', reject);
      });
      const decoded = replies.map((r) => dnsPacket.decode(r));
      assert.deepEqual(
        decoded.map((d) => d.id),
        packets.map((p) => p.id),
      );
      assert.deepEqual(
        decoded.map((d) => ofType(d.answers, 'A')[0]?.data),
        ['127.5.1.2', '127.5.1.3', '127.5.1.4'],
      );
    });

    test('an idle TCP connection is closed by the server', async () => {
      const started = Date.now();
      const closed = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: PROVIDER, port });
        const timer = setTimeout(() => {
          socket.destroy();
          resolve(false);
        }, 3000);
        socket.on('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
        socket.on('error', () => undefined);
      });
      assert.equal(closed, true);
      assert.ok(Date.now() - started >= 300, 'not closed before the idle timeout');
    });
  });

  describe('hostile input', () => {
    test('UDP garbage is dropped and the server keeps answering', async () => {
      const tooShort = await udpRaw(PROVIDER, port, Buffer.from([1, 2, 3, 4, 5]), 300);
      assert.equal(tooShort, undefined);
      const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
      const badName = await udpRaw(PROVIDER, port, Buffer.concat([header, Buffer.from([0x3f, 0x61, 0x62])]), 300);
      assert.equal(badName, undefined, 'a label running past the end is dropped');
      const pointerLoop = await udpRaw(
        PROVIDER,
        port,
        Buffer.concat([header, Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]),
        300,
      );
      assert.equal(pointerLoop, undefined);
      const response = Buffer.from(header);
      response[2] = 0x81; // QR set: a response is never answered
      assert.equal(
        await udpRaw(PROVIDER, port, Buffer.concat([response, Buffer.from([0, 0, 1, 0, 1])]), 300),
        undefined,
      );
      const ok = await udp(PROVIDER, port, query('www.northwind.test', 'A'));
      assert.equal(ok.rcode, 'NOERROR');
    });

    test('a well-framed query without exactly one question gets FORMERR', async () => {
      const noQuestion = Buffer.from([0xab, 0xcd, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
      const raw = await udpRaw(PROVIDER, port, noQuestion);
      assert.ok(raw);
      const reply = dnsPacket.decode(raw) as Reply;
      assert.equal(reply.id, 0xabcd);
      assert.equal(reply.rcode, 'FORMERR');
    });

    test('an opcode other than QUERY gets NOTIMP', async () => {
      const notify = dnsPacket.encode(query('northwind.test', 'SOA', { edns: false }));
      notify[2] = (notify[2]! & 0x87) | (4 << 3); // opcode 4 = NOTIFY (RFC 1996)
      const raw = await udpRaw(PROVIDER, port, notify);
      assert.ok(raw);
      assert.equal((dnsPacket.decode(raw) as Reply).rcode, 'NOTIMP');
    });

    test('garbage over TCP gets FORMERR', async () => {
      const junk = Buffer.concat([
        Buffer.from([0x55, 0x66, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]),
        Buffer.from([0x30, 1, 2]),
      ]);
      const replies = await tcpRaw(PROVIDER, port, junk, (r) => r.length >= 1);
      assert.equal(replies.length, 1);
      const reply = dnsPacket.decode(replies[0]!) as Reply;
      assert.equal(reply.id, 0x5566);
      assert.equal(reply.rcode, 'FORMERR');
    });
  });

  describe('replaceZone', () => {
    test('new data is served at once, including to queries answered before', async () => {
      const packet = query('www.northwind.test', 'A');
      const before = await udp(PROVIDER, port, packet);
      assert.deepEqual(
        ofType(before.answers, 'A').map((r) => r.data),
        ['127.5.1.2'],
      );
      server.replaceZone(northwindZone('127.5.1.77'));
      try {
        const afterUdp = await udp(PROVIDER, port, { ...packet, id: (packet.id! + 1) & 0xffff });
        assert.deepEqual(
          ofType(afterUdp.answers, 'A').map((r) => r.data),
          ['127.5.1.77'],
        );
        const viaResolver = await udp(RESOLVER, port, query('www.northwind.test', 'A', { rd: true }));
        assert.deepEqual(
          ofType(viaResolver.answers, 'A').map((r) => r.data),
          ['127.5.1.77'],
        );
      } finally {
        server.replaceZone(northwindZone());
      }
    });
  });

  test('throughput: 20,000 UDP queries answered', async () => {
    const total = 20000;
    const window = 256;
    const names = ['www', 'mail', 'portal', 'video', 'nohost', 'x1', 'anything', '_dmarc'].map(
      (h) => `${h}.northwind.test`,
    );
    const socket = dgram.createSocket('udp4');
    const before = server.stats().queries;
    let sent = 0;
    let answered = 0;
    const startedAt = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${answered} of ${total} answered`)), 60000);
      const sendOne = (): void => {
        const i = sent++;
        const name =
          i % 3 === 0 ? `h${String(i % SELFHOST_HOSTS).padStart(4, '0')}.selfhost.test` : names[i % names.length]!;
        const packet = query(name, i % 5 === 0 ? 'TXT' : 'A', { rd: true, dnssecOk: i % 2 === 0 });
        packet.id = i & 0xffff;
        socket.send(dnsPacket.encode(packet), port, RESOLVER);
      };
      socket.on('message', (raw) => {
        if (raw.length >= 12 && (raw.readUInt16BE(2) & 0x8000) !== 0) answered++;
        if (answered === total) {
          clearTimeout(timer);
          resolve();
        } else if (sent < total) {
          sendOne();
        }
      });
      socket.bind(0, '127.0.0.1', () => {
        for (let i = 0; i < window; i++) sendOne();
      });
    });
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    socket.close();
    console.log(
      `lab DNS throughput: ${total} queries in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} q/s ` +
        `(client and server in one process)`,
    );
    assert.equal(answered, total);
    assert.ok(server.stats().queries - before >= total);
  });
});

describe('lab DNS server start-up', () => {
  test('port 0 with a single address picks a port and serves', async () => {
    const server = await startLabDnsServer({
      port: 0,
      zones: [northwindZone()],
      nameServers: [],
      resolvers: ['127.5.99.1'],
    });
    try {
      assert.ok(server.port > 0);
      const reply = await udp('127.5.99.1', server.port, query('www.northwind.test', 'A', { rd: true }));
      assert.deepEqual(
        ofType(reply.answers, 'A').map((r) => r.data),
        ['127.5.1.2'],
      );
    } finally {
      await server.close();
    }
  });

  test('a zone without SOA, or a record outside its zone, is rejected at start', async () => {
    const noSoa: LabZone = { origin: 'bad.test', axfr: 'closed', records: [rr('bad.test', 'A', '127.5.9.9')] };
    await assert.rejects(
      startLabDnsServer({ port: 0, zones: [noSoa], nameServers: [], resolvers: ['127.5.99.2'] }),
      /no SOA/,
    );
    const outside: LabZone = {
      origin: 'bad.test',
      axfr: 'closed',
      records: [soa('bad.test'), rr('other.test', 'A', '127.5.9.9')],
    };
    await assert.rejects(
      startLabDnsServer({ port: 0, zones: [outside], nameServers: [], resolvers: ['127.5.99.2'] }),
      /outside/,
    );
  });

  test('zone data that cannot be encoded costs a SERVFAIL, not the server', async () => {
    const broken = northwindZone();
    broken.records.push({ name: 'broken.northwind.test', type: 'MX', ttl: 300, data: null } as unknown as Answer);
    const server = await startLabDnsServer({ port: 0, zones: [broken], nameServers: [], resolvers: ['127.5.99.5'] });
    try {
      const bad = await udp('127.5.99.5', server.port, query('broken.northwind.test', 'MX', { rd: true }));
      assert.equal(bad.rcode, 'SERVFAIL');
      const badTcp = await tcp('127.5.99.5', server.port, query('broken.northwind.test', 'MX', { rd: true }));
      assert.equal(badTcp.rcode, 'SERVFAIL');
      const good = await udp('127.5.99.5', server.port, query('www.northwind.test', 'A', { rd: true }));
      assert.equal(good.rcode, 'NOERROR');
    } finally {
      await server.close();
    }
  });

  test('the same address twice is a configuration error', async () => {
    await assert.rejects(
      startLabDnsServer({
        port: 0,
        zones: [northwindZone()],
        nameServers: [{ address: '127.5.99.3', zones: ['northwind.test'], recursion: 'refused' }],
        resolvers: ['127.5.99.3'],
      }),
      /twice/,
    );
  });

  test('close() releases the ports', async () => {
    const first = await startLabDnsServer({
      port: 0,
      zones: [northwindZone()],
      nameServers: [],
      resolvers: ['127.5.99.4'],
    });
    const port = first.port;
    await first.close();
    const second = await startLabDnsServer({
      port,
      zones: [northwindZone()],
      nameServers: [],
      resolvers: ['127.5.99.4'],
    });
    assert.equal(second.port, port);
    await second.close();
  });
});
