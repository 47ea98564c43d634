/**
 * The world served for real: the lab DNS server on loopback, asked through the lab's resolver
 * address. Only 127.0.0.0/8 is contacted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';
import { parseTrustAnchors } from '../../dnssec/trust-anchor.js';
import { validateZone, type FetchResult } from '../../dnssec/validate.js';
import { startLabDnsServer, type LabDnsServer } from '../dns/lab-dns-server.js';
import { buildLabWorld, type LabWorld } from './world.js';

/** Starts the world's DNS on a random high port, retrying when a port is taken. */
async function serve(world: LabWorld): Promise<LabDnsServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      return await startLabDnsServer(world.dnsConfig(randomInt(20_000, 60_000)));
    } catch (err) {
      lastError = err;
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  throw lastError;
}

interface Reply {
  rcode: string;
  flags: number;
  answers: Answer[];
  authorities: Answer[];
}

/** One UDP query with dns-packet; resolves to the decoded reply or rejects after the timeout. */
function ask(address: string, port: number, name: string, type: RecordType, dnssecOk = false): Promise<Reply> {
  if (!address.startsWith('127.')) throw new Error('tests only talk to loopback');
  const id = randomInt(0, 65536);
  const query = dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, flags: dnssecOk ? dnsPacket.DNSSEC_OK : 0 } as never],
  });
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no answer for ${name} ${type}`));
    }, 2000);
    socket.on('message', (message) => {
      const reply = dnsPacket.decode(message) as DecodedPacket & { rcode?: string };
      if (reply.id !== id) return;
      clearTimeout(timer);
      socket.close();
      resolve({
        rcode: reply.rcode ?? 'NOERROR',
        flags: reply.flags ?? 0,
        answers: reply.answers ?? [],
        authorities: reply.authorities ?? [],
      });
    });
    socket.send(query, port, address);
  });
}

describe('lab world served by the lab DNS server', () => {
  const world = buildLabWorld({ seed: 7, orgs: 5 });
  let server: LabDnsServer;
  before(async () => {
    server = await serve(world);
  });
  after(async () => {
    await server.close();
  });

  test("the resolver answers an organization's SPF TXT as the truth describes it", async () => {
    for (const org of world.truth.organizations) {
      const reply = await ask(world.resolverAddress, server.port, org.domain, 'TXT');
      assert.equal(reply.rcode, 'NOERROR', org.domain);
      assert.ok((reply.flags & dnsPacket.RECURSION_AVAILABLE) !== 0, 'RA set by the resolver');
      const texts = reply.answers
        .filter((a) => a.type === 'TXT')
        .map((a) => (a.data as Buffer[]).map((b) => b.toString()).join(''));
      const spf = texts.filter((t) => t.startsWith('v=spf1'));
      const findings = new Set(world.truth.weaknesses.filter((w) => w.organization === org.name).map((w) => w.type));
      if (findings.has('dns.spf.missing')) assert.equal(spf.length, 0, org.domain);
      else if (findings.has('dns.spf.multiple_records')) assert.equal(spf.length, 2, org.domain);
      else assert.equal(spf.length, 1, org.domain);
      if (findings.has('dns.spf.softfail_all')) assert.ok(spf[0]!.endsWith(' ~all'), spf[0]);
      const hardfail = world.truth.controls.some(
        (c) => c.organization === org.name && c.control === 'dns.spf.hardfail',
      );
      if (hardfail) assert.ok(spf[0]!.endsWith(' -all'), spf[0]);
    }
  });

  test('replaceZone with setWeaknesses output changes what the resolver answers', async () => {
    const org = world.truth.organizations[0]!;
    // Name-server behaviour (open recursion, version, NS count) needs a restart, so it is kept.
    const serverLevel = world.truth.weaknesses
      .filter(
        (w) =>
          w.organization === org.name &&
          ['dns.resolver.open', 'dns.version_disclosed', 'dns.ns.single'].includes(w.type),
      )
      .map((w) => w.type);
    for (const zone of world.setWeaknesses(org.domain, [
      ...new Set(serverLevel),
      'dns.spf.missing',
      'dns.dnssec.unsigned',
    ]))
      server.replaceZone(zone);
    const reply = await ask(world.resolverAddress, server.port, org.domain, 'TXT');
    const texts = reply.answers
      .filter((a) => a.type === 'TXT')
      .map((a) => (a.data as Buffer[]).map((b) => b.toString()).join(''));
    assert.deepEqual(
      texts.filter((t) => t.startsWith('v=spf1')),
      [],
    );
    const ds = await ask(world.resolverAddress, server.port, org.domain, 'DS');
    assert.equal(ds.answers.filter((a) => a.type === 'DS').length, 0, 'no DS once unsigned');
  });
});

describe('DNSSEC of the served world validates as the truth says', () => {
  const world = buildLabWorld({ seed: 3, orgs: 25 });
  let server: LabDnsServer;
  before(async () => {
    server = await serve(world);
  });
  after(async () => {
    await server.close();
  });

  test(
    'valid → secure, invalid → bogus, unsigned → insecure (through the resolver, from the trust ' + 'anchor)',
    async () => {
      const anchors = parseTrustAnchors(world.trustAnchor);
      const fetch = async (name: string, type: 'DNSKEY' | 'DS' | 'SOA'): Promise<FetchResult> => {
        try {
          const reply = await ask(world.resolverAddress, server.port, name, type, true);
          return { ok: true, rcode: reply.rcode, answers: reply.answers, authorities: reply.authorities };
        } catch (err) {
          return { ok: false, reason: (err as Error).message };
        }
      };
      const now = Math.floor(Date.now() / 1000);
      const seen = new Set<string>();
      for (const org of world.truth.organizations) {
        const types = new Set(world.truth.weaknesses.filter((w) => w.organization === org.name).map((w) => w.type));
        const valid = world.truth.controls.some((c) => c.organization === org.name && c.control === 'dns.dnssec.valid');
        const expected = valid ? 'secure' : types.has('dns.dnssec.invalid') ? 'bogus' : 'insecure';
        const result = await validateZone(org.domain, fetch, anchors, now);
        assert.equal(result.status, expected, `${org.domain}: ${JSON.stringify(result)}`);
        seen.add(expected);
      }
      assert.deepEqual([...seen].sort(), ['bogus', 'insecure', 'secure']);
    },
  );
});
