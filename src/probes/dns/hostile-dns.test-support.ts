/**
 * Test support (not shipped behaviour): a resolver on loopback that answers every question the same
 * way, for the table-driven tests of "absence of data" against "failure to get it". Two modes are
 * well-formed absence (NODATA, NXDOMAIN); every other mode is a failure to observe, which a check may
 * only report as not assessed. Real UDP and TCP sockets, loopback only.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Socket as TcpSocket } from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { canonicalName } from '../../core/names.js';

/** Answers that say the data does not exist: the only ones that may yield a "missing" finding. */
export const ABSENCE_MODES = ['nodata', 'nxdomain'] as const;
/** Replies that say nothing about the data. */
export const FAILURE_MODES = [
  'timeout',
  'servfail',
  'refused',
  'garbage',
  'cname_loop',
  'truncated',
  'broken_chain',
] as const;
export type HostileMode = (typeof ABSENCE_MODES)[number] | (typeof FAILURE_MODES)[number];

export interface HostileResolver {
  address: string;
  port: number;
  close(): Promise<void>;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** Starts a resolver on `address` (UDP and TCP, one ephemeral port) that answers everything per `mode`. */
export async function startHostileResolver(address: string, mode: HostileMode): Promise<HostileResolver> {
  const udp = createSocket('udp4');
  udp.on('message', (msg, remote) => {
    const query = decode(msg);
    if (query === null) return;
    const reply = replyFor(query, mode, 'udp');
    if (reply !== null) udp.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(0, address, () => resolve());
  });
  const port = udp.address().port;
  const sockets = new Set<TcpSocket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      const query = chunk.length > 2 ? decode(chunk.subarray(2)) : null;
      const reply = query === null ? null : replyFor(query, mode, 'tcp');
      if (reply === null) {
        socket.destroy();
        return;
      }
      const length = Buffer.alloc(2);
      length.writeUInt16BE(reply.length);
      socket.write(Buffer.concat([length, reply]));
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, address, () => resolve());
  });
  return {
    address,
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}

function decode(buf: Buffer): DecodedPacket | null {
  try {
    return dnsPacket.decode(buf);
  } catch {
    return null;
  }
}

function replyFor(query: DecodedPacket, mode: HostileMode, transport: 'udp' | 'tcp'): Buffer | null {
  const question = query.questions?.[0];
  if (question === undefined) return null;
  const name = canonicalName(question.name);
  const base = (rcode: number, answers: Answer[] = [], authorities: Answer[] = [], tc = false): Buffer => {
    let flags = rcode | dnsPacket.RECURSION_AVAILABLE | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED);
    if (tc) flags |= dnsPacket.TRUNCATED_RESPONSE;
    const packet: Packet = { type: 'response', id: query.id ?? 0, flags, questions: [question], answers, authorities };
    return dnsPacket.encode(packet);
  };
  switch (mode) {
    case 'nodata':
      return base(RCODE.NOERROR, [], [soaOf(name)]);
    case 'nxdomain':
      return base(RCODE.NXDOMAIN, [], [soaOf(name)]);
    case 'timeout':
      return null;
    case 'servfail':
      return base(RCODE.SERVFAIL);
    case 'refused':
      return base(RCODE.REFUSED);
    case 'garbage': {
      // A header that promises one answer, then bytes that cannot be a record.
      const reply = base(RCODE.NOERROR);
      reply.writeUInt16BE(1, 6);
      return Buffer.concat([reply, Buffer.from([0xc0, 0xff, 0x00, 0x10])]);
    }
    case 'cname_loop':
      return base(RCODE.NOERROR, [cname(name, `loop.${name}`), cname(`loop.${name}`, name)]);
    case 'truncated':
      // Over UDP: "try TCP", with nothing in it. Over TCP: the connection is dropped.
      return transport === 'udp' ? base(RCODE.NOERROR, [], [], true) : null;
    case 'broken_chain':
      // The alias's target is answered for, but not the alias itself: the chain does not connect.
      return base(RCODE.NOERROR, [cname(`elsewhere.${name}`, 'target.invalid'), txt('target.invalid')]);
  }
}

function cname(name: string, target: string): Answer {
  return { name, type: 'CNAME', ttl: 60, class: 'IN', data: target };
}

function txt(name: string): Answer {
  return { name, type: 'TXT', ttl: 60, class: 'IN', data: ['v=spf1 -all'] };
}

function soaOf(name: string): Answer {
  const zone = name.split('.').slice(-2).join('.') || '.';
  return {
    name: zone,
    type: 'SOA',
    ttl: 60,
    class: 'IN',
    data: {
      mname: `ns.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: 1,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: 60,
    },
  };
}
