/**
 * Evidence is text and bounded: a hostile DNS server on loopback that answers a 58 KB `version.bind`
 * and floods the wildcard test with TXT records does not put hundreds of kilobytes of serialized byte
 * arrays in the store. Real sockets, the real CLI, the real SQLite file.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { MAX_EVIDENCE_JSON_BYTES } from '../../src/core/evidence-text.js';
import { respond, startScriptedServer } from '../../src/probes/dns/dns-infra.test-helpers.js';
import { removeTempHomes, runVitals, tempHome } from '../helpers/cli.js';
import { randomHighPort } from '../helpers/lab.js';

after(removeTempHomes);

const APEX = 'hostile.test';
const ADDRESS = '127.55.0.1';

/** `count` character-strings of 255 bytes: printable text with a quote and a control byte in each. */
function bigTxt(count: number, fill: string): Buffer[] {
  return Array.from({ length: count }, () => Buffer.from(`"\u0001${fill.repeat(253)}`, 'latin1'));
}

function hostileAnswer(query: DecodedPacket, transport: 'udp' | 'tcp'): Packet {
  const question = query.questions?.[0];
  const name = (question?.name ?? '').toLowerCase();
  const type = question?.type;
  const record = (rtype: string, data: unknown): Answer => ({ name, type: rtype, ttl: 60, data }) as Answer;
  let reply: Packet;
  if (question?.class === 'CH') {
    reply = respond(query, { aa: true, answers: [{ ...record('TXT', bigTxt(230, 'v')), class: 'CH' } as Answer] });
  } else if (name === APEX || name === `ns1.${APEX}`) {
    const answers: Answer[] = [];
    if (type === 'A') answers.push(record('A', ADDRESS));
    if (type === 'NS' && name === APEX) answers.push(record('NS', `ns1.${APEX}`));
    if (type === 'SOA' && name === APEX)
      answers.push(
        record('SOA', {
          mname: `ns1.${APEX}`,
          rname: `hostmaster.${APEX}`,
          serial: 1,
          refresh: 3600,
          retry: 600,
          expire: 86400,
          minimum: 60,
        }),
      );
    reply = respond(query, { aa: true, answers });
  } else if (name.endsWith(`.${APEX}`) && (type === 'A' || type === 'AAAA')) {
    // Every name exists (a wildcard), and answers with twenty TXT records of 2.5 KB each.
    reply = respond(query, {
      aa: true,
      answers: Array.from({ length: 20 }, (_, i) => record('TXT', bigTxt(10, String.fromCharCode(97 + i)))),
    });
  } else {
    reply = respond(query, { rcode: name.endsWith(APEX) ? 'NXDOMAIN' : 'REFUSED', aa: true });
  }
  // Like a real server, a reply too large for UDP comes back truncated, and the client retries over TCP.
  if (transport === 'udp' && dnsPacket.encode(reply).length > 1232) {
    return { ...reply, flags: (reply.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [] };
  }
  return reply;
}

test(
  'a hostile server cannot bloat the stored evidence: TXT is text, version.bind and the finding are ' + 'capped',
  async () => {
    const server = await startScriptedServer(ADDRESS, randomHighPort(), hostileAnswer);
    const home = tempHome();
    try {
      const scan = await runVitals(
        [
          'scan',
          APEX,
          '--resolver',
          `${ADDRESS}:${server.port}`,
          '--ns-port',
          String(server.port),
          '--allow-private',
          '--no-wordlist',
          '--format',
          'json',
        ],
        home,
      );
      assert.ok(scan.code === 0 || scan.code === 1, scan.stderr);
      const db = new Database(join(home, 'vitals.db'), { readonly: true });
      const rows = db.prepare('select type, evidence from findings').all() as Array<{ type: string; evidence: string }>;
      db.close();
      const byType = new Map(rows.map((r) => [r.type, r.evidence]));
      const wildcard = byType.get('dns.wildcard');
      const version = byType.get('dns.version_disclosed');
      assert.ok(wildcard !== undefined && version !== undefined, `findings: ${[...byType.keys()].join(', ')}`);
      for (const row of rows) {
        assert.ok(
          Buffer.byteLength(row.evidence) <= MAX_EVIDENCE_JSON_BYTES,
          `${row.type}: ${row.evidence.length} bytes`,
        );
      }
      // TXT data is presentation text, not the JSON of byte arrays.
      assert.doesNotMatch(wildcard, /"type":"Buffer"|"data":\[\d/);
      const wildcardEvidence = JSON.parse(wildcard) as { truncated?: boolean; answers: Array<{ data: string }> };
      assert.equal(wildcardEvidence.truncated, true);
      assert.match(wildcardEvidence.answers[0]!.data, /^"\\"\\001aaa/);
      // The version text is cut where it was cut, and says so.
      const versionEvidence = JSON.parse(version) as Record<string, string>;
      assert.match(versionEvidence['version.bind']!, /…\(truncated, \d+ bytes\)$/);
      assert.ok(versionEvidence['version.bind']!.length < 1024);
      // What the scan printed is what was stored.
      const printed = JSON.parse(scan.stdout) as { findings: Array<{ type: string; evidence: unknown }> };
      const printedWildcard = printed.findings.find((f) => f.type === 'dns.wildcard');
      assert.deepEqual(printedWildcard?.evidence, wildcardEvidence);
    } finally {
      await server.close();
    }
  },
);
