/**
 * A small DNS server for the blind world, over UDP and TCP on loopback: a recursive resolver (127.77.0.1)
 * that answers from the whole world, and every name server of world.zone on its own address, answering
 * authoritatively for the zones whose NS names it, with the behaviours the world gives it (zone transfer,
 * CHAOS version.bind/id.server, recursion, lame zones). Started in-process by blind-dns.test.ts.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { canonicalName, type Rr, type ServerSpec, type World } from './world.js';
import { type Answer, BlindZones } from './zones.js';

export const RESOLVER_IP = '127.77.0.1';

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, NOTAUTH: 9 } as const;
type Rcode = keyof typeof RCODE;

const AA = dnsPacket.AUTHORITATIVE_ANSWER;
const RA = dnsPacket.RECURSION_AVAILABLE;
const RD = dnsPacket.RECURSION_DESIRED;
const TC = dnsPacket.TRUNCATED_RESPONSE;
const AXFR_RECORDS_PER_MESSAGE = 40;

interface Reply {
  rcode: Rcode;
  flags: number;
  answers: Rr[];
  authorities: Rr[];
}

/** The role of one listening address. */
interface Role {
  ip: string;
  /** Undefined for the resolver. */
  spec?: ServerSpec;
  /** Zones this server answers for. */
  served: Set<string>;
}

function toWire(rr: Rr): dnsPacket.Answer {
  return { ...rr, name: rr.name === '' ? '.' : rr.name } as dnsPacket.Answer;
}

export interface BlindDnsServer {
  zones: BlindZones;
  port: number;
  /** `ip:port` of the recursive resolver. */
  resolver: string;
  close(): Promise<void>;
}

export class BlindDns {
  readonly zones: BlindZones;
  private readonly roles: Role[];

  constructor(world: World) {
    this.zones = new BlindZones(world);
    const addressOf = (host: string): string | undefined => {
      const a = this.zones.resolve(host, 'A', false).answers.find((rr) => rr.type === 'A');
      return a?.data as string | undefined;
    };
    const served = new Map<string, Set<string>>();
    for (const zone of this.zones.zones.values()) {
      const ns = zone.nodes.get(zone.origin)?.get('NS') ?? [];
      for (const rr of ns) {
        const ip = addressOf(rr.data as string);
        if (!ip) continue;
        served.set(ip, (served.get(ip) ?? new Set()).add(zone.origin));
      }
    }
    this.roles = [
      { ip: RESOLVER_IP, served: new Set() },
      ...world.servers.map((spec) => {
        const zones = new Set([...(served.get(spec.ip) ?? [])].filter((z) => !spec.lame.has(z)));
        return { ip: spec.ip, spec, served: zones };
      }),
    ];
  }

  get addresses(): string[] {
    return this.roles.map((r) => r.ip);
  }

  /** Answers one query message; several messages for a zone transfer. */
  answer(ip: string, message: Buffer, overTcp: boolean): Buffer[] {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return [];
    }
    const question = query.questions?.[0];
    const role = this.roles.find((r) => r.ip === ip)!;
    const opt = query.additionals?.find((rr) => rr.type === 'OPT') as
      | { udpPayloadSize?: number; flags?: number }
      | undefined;
    const dnssecOk = ((opt?.flags ?? 0) & dnsPacket.DNSSEC_OK) !== 0;
    const rd = ((query.flags ?? 0) & RD) !== 0;
    const encode = (reply: Reply, extraFlags = 0): Buffer =>
      dnsPacket.encode({
        type: 'response',
        id: query.id ?? 0,
        flags: reply.flags | extraFlags | (rd ? RD : 0) | RCODE[reply.rcode],
        questions: query.questions,
        answers: reply.answers.map(toWire),
        authorities: reply.authorities.map(toWire),
        additionals: opt
          ? [
              {
                type: 'OPT',
                name: '.',
                udpPayloadSize: 1232,
                flags: dnssecOk ? dnsPacket.DNSSEC_OK : 0,
              } as dnsPacket.Answer,
            ]
          : [],
      });
    const opcode = (query as { opcode?: string }).opcode;
    if (!question || (opcode && opcode !== 'QUERY')) {
      return [encode({ rcode: question ? 'NOTIMP' : 'FORMERR', flags: 0, answers: [], authorities: [] })];
    }
    const qname = canonicalName(question.name);
    if (question.type === 'AXFR') {
      if (!overTcp) return [encode({ rcode: 'NOTIMP', flags: 0, answers: [], authorities: [] })];
      return this.transfer(role, qname, encode);
    }
    const reply = this.reply(role, qname, question.type, question.class ?? 'IN', dnssecOk, rd);
    // Answer owner names echo the question's spelling (a client may randomize case, RFC 0x20 draft).
    for (const rr of reply.answers) if (rr.name === qname) rr.name = question.name;
    const wire = encode(reply);
    const limit = opt ? Math.max(512, opt.udpPayloadSize ?? 512) : 512;
    if (!overTcp && wire.length > limit) return [encode({ ...reply, answers: [], authorities: [] }, TC)];
    return [wire];
  }

  private reply(role: Role, qname: string, qtype: string, qclass: string, dnssecOk: boolean, rd: boolean): Reply {
    const empty = (rcode: Rcode, flags = 0): Reply => ({ rcode, flags, answers: [], authorities: [] });
    const fromAnswer = (a: Answer, flags: number): Reply => ({
      rcode: a.rcode,
      flags,
      answers: a.answers.map((rr) => ({ ...rr })),
      authorities: a.authorities,
    });
    const spec = role.spec;
    if (!spec) {
      if (qclass !== 'IN') return empty('REFUSED', RA);
      return fromAnswer(this.zones.resolve(qname, qtype, dnssecOk), RA);
    }
    const raFlag = spec.recursion === 'open' || spec.recursion === 'refused-ra' ? RA : 0;
    if (qclass === 'CH') return this.chaos(spec, qname, qtype);
    if (qclass !== 'IN') return empty('REFUSED');
    const zone = this.zones.zoneOf(qname, role.served);
    if (zone) return fromAnswer(this.zones.resolve(qname, qtype, dnssecOk, role.served), AA | raFlag);
    switch (spec.recursion) {
      case 'open':
        return rd ? fromAnswer(this.zones.resolve(qname, qtype, dnssecOk), RA) : empty('REFUSED', RA);
      case 'refused-ra':
        return empty('REFUSED', RA);
      case 'referral':
        return {
          rcode: 'NOERROR',
          flags: 0,
          answers: [],
          authorities: [{ name: '', type: 'NS', ttl: 518400, data: 'a.root-servers.net' }],
        };
      default:
        return empty('REFUSED');
    }
  }

  private chaos(spec: ServerSpec, qname: string, qtype: string): Reply {
    const text =
      qname === 'version.bind' || qname === 'version.server'
        ? spec.version
        : qname === 'id.server' || qname === 'hostname.bind'
          ? spec.id
          : undefined;
    if (text !== undefined && (qtype === 'TXT' || qtype === 'ANY')) {
      return {
        rcode: 'NOERROR',
        flags: AA,
        answers: [{ name: qname, type: 'TXT', class: 'CH', ttl: 0, data: [text] }],
        authorities: [],
      };
    }
    return { rcode: spec.chaos === 'notimp' ? 'NOTIMP' : 'REFUSED', flags: 0, answers: [], authorities: [] };
  }

  private transfer(role: Role, qname: string, encode: (reply: Reply, extra?: number) => Buffer): Buffer[] {
    const spec = role.spec;
    const allowed = spec !== undefined && role.served.has(qname) && spec.axfr.has(qname);
    if (!allowed) {
      const rcode: Rcode = spec?.axfrDeny === 'notauth' ? 'NOTAUTH' : 'REFUSED';
      return [encode({ rcode, flags: 0, answers: [], authorities: [] })];
    }
    const records = this.zones.transfer(qname);
    const all = [...records, records[0]!];
    const messages: Buffer[] = [];
    for (let i = 0; i < all.length; i += AXFR_RECORDS_PER_MESSAGE) {
      messages.push(
        encode({ rcode: 'NOERROR', flags: AA, answers: all.slice(i, i + AXFR_RECORDS_PER_MESSAGE), authorities: [] }),
      );
    }
    return messages;
  }
}

/** Starts the world's servers on every address, UDP and TCP, on one port. */
export async function startBlindDns(world: World, port: number): Promise<BlindDnsServer> {
  const dns = new BlindDns(world);
  const closers: Array<() => Promise<void>> = [];
  for (const ip of dns.addresses) {
    const udp = dgram.createSocket('udp4');
    udp.on('message', (msg, rinfo) => {
      for (const out of dns.answer(ip, msg, false)) udp.send(out, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind({ address: ip, port }, () => resolve());
    });
    closers.push(() => new Promise((resolve) => udp.close(() => resolve())));

    const tcp = net.createServer((socket) => {
      let buffer = Buffer.alloc(0);
      socket.on('error', () => socket.destroy());
      socket.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
          const length = buffer.readUInt16BE(0);
          const msg = buffer.subarray(2, 2 + length);
          buffer = buffer.subarray(2 + length);
          for (const out of dns.answer(ip, msg, true)) {
            const prefix = Buffer.alloc(2);
            prefix.writeUInt16BE(out.length, 0);
            socket.write(Buffer.concat([prefix, out]));
          }
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen({ host: ip, port }, () => resolve());
    });
    closers.push(
      () =>
        new Promise((resolve) => {
          tcp.close(() => resolve());
          tcp.unref();
        }),
    );
  }
  return {
    zones: dns.zones,
    port,
    resolver: `${RESOLVER_IP}:${port}`,
    close: async () => {
      await Promise.all(closers.map((close) => close()));
    },
  };
}
