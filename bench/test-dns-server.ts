/**
 * A tiny real DNS server on loopback UDP for the benchmark helpers' tests: it answers A queries for
 * the names it is given (127.0.0.1), NXDOMAIN for everything else, optionally stays silent for some
 * names, and records every query it received with its flags.
 */
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';

/** A query as the test server saw it. */
export interface SeenQuery {
  name: string;
  type: string;
  qclass: string;
  recursionDesired: boolean;
  dnssecOk: boolean;
  checkingDisabled: boolean;
}

/** A running test server. */
export interface TestDnsServer {
  address: string;
  port: number;
  seen: SeenQuery[];
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 and an ephemeral port. */
export async function startTestDnsServer(options: {
  existing: readonly string[];
  silent?: readonly string[];
}): Promise<TestDnsServer> {
  const existing = new Set(options.existing.map((n) => n.toLowerCase()));
  const silent = new Set((options.silent ?? []).map((n) => n.toLowerCase()));
  const seen: SeenQuery[] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, peer) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // not DNS: ignore
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase().replace(/\.$/, '');
    const opt = query.additionals?.find((a) => a.type === 'OPT') as { flag_do?: boolean } | undefined;
    seen.push({
      name,
      type: question.type,
      qclass: question.class ?? 'IN',
      recursionDesired: ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) !== 0,
      dnssecOk: opt?.flag_do === true,
      checkingDisabled: ((query.flags ?? 0) & dnsPacket.CHECKING_DISABLED) !== 0,
    });
    if (silent.has(name)) return;
    const found = existing.has(name);
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      // rcode 3: NXDOMAIN
      flags: dnsPacket.RECURSION_AVAILABLE | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | (found ? 0 : 3),
      questions: [question],
      answers: found && question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 60, data: '127.0.0.1' }] : [],
    });
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    address: '127.0.0.1',
    port: socket.address().port,
    seen,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
