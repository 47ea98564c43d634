import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import { seededRandom } from '../../core/seeded-random.js';
import { decodeReply, validateMessageStructure } from './reply-parser.js';

const RESPONSE = 0x8000;

/** RDATA of a record (OPT pseudo-records have none). */
function dataOf(answer: Answer | undefined): unknown {
  return answer !== undefined && 'data' in answer ? answer.data : undefined;
}

/** Valid replies of the shapes the scanner sees, encoded by dns-packet (which never compresses). */
function sampleReplies(): Buffer[] {
  const packets: Packet[] = [
    {
      type: 'response',
      id: 1,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: [{ name: 'www.example.test', type: 'A', class: 'IN' }],
      answers: [
        { name: 'www.example.test', type: 'CNAME', ttl: 60, data: 'web.example.test' },
        { name: 'web.example.test', type: 'A', ttl: 60, data: '192.0.2.10' },
        { name: 'web.example.test', type: 'AAAA', ttl: 60, data: '2001:db8::10' },
      ],
      additionals: [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: 1232,
          extendedRcode: 0,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        },
      ],
    },
    {
      type: 'response',
      id: 2,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      questions: [{ name: 'example.test', type: 'TXT' }],
      answers: [
        { name: 'example.test', type: 'TXT', ttl: 300, data: ['v=spf1 include:_spf.example.test ', '-all'] },
        { name: 'example.test', type: 'MX', ttl: 300, data: { preference: 10, exchange: 'mx1.example.test' } },
        { name: 'example.test', type: 'CAA', ttl: 300, data: { flags: 0, tag: 'issue', value: 'ca.example' } },
        { name: 'example.test', type: 'NS', ttl: 300, data: 'ns1.example.test' },
        {
          name: '_sip._tcp.example.test',
          type: 'SRV',
          ttl: 300,
          data: { priority: 1, weight: 2, port: 5060, target: 'sip.example.test' },
        },
      ],
      authorities: [
        {
          name: 'example.test',
          type: 'SOA',
          ttl: 300,
          data: {
            mname: 'ns1.example.test',
            rname: 'hostmaster.example.test',
            serial: 7,
            refresh: 1,
            retry: 2,
            expire: 3,
            minimum: 4,
          },
        },
      ],
    },
    {
      type: 'response',
      id: 3,
      flags: 3, // NXDOMAIN
      questions: [{ name: 'nope.example.test', type: 'A' }],
      authorities: [
        {
          name: 'example.test',
          type: 'NSEC',
          ttl: 300,
          data: { nextDomain: 'a.example.test', rrtypes: ['A', 'NS', 'SOA', 'RRSIG', 'NSEC'] },
        },
        {
          name: 'example.test',
          type: 'RRSIG',
          ttl: 300,
          data: {
            typeCovered: 'NSEC',
            algorithm: 13,
            labels: 2,
            originalTTL: 300,
            expiration: 2000000000,
            inception: 1700000000,
            keyTag: 12345,
            signersName: 'example.test',
            signature: Buffer.alloc(64, 7),
          },
        },
        {
          name: 'example.test',
          type: 'DNSKEY',
          ttl: 300,
          data: { flags: 257, algorithm: 13, key: Buffer.alloc(64, 9) },
        },
        {
          name: 'example.test',
          type: 'DS',
          ttl: 300,
          data: { keyTag: 1, algorithm: 13, digestType: 2, digest: Buffer.alloc(32, 1) },
        },
      ],
    },
  ];
  return packets.map((p) => dnsPacket.encode(p));
}

/**
 * A reply using name compression (RFC 1035 section 4.1.4), hand-made since dns-packet does not
 * compress: question www.example.test A; answer owner = pointer to the question name; a CNAME whose
 * RDATA is "web" + pointer to "example.test" inside the question name.
 */
function compressedReply(): Buffer {
  const header = Buffer.from([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0]);
  const qname = Buffer.from([3, 0x77, 0x77, 0x77, 7, ...Buffer.from('example'), 4, ...Buffer.from('test'), 0]);
  const question = Buffer.concat([qname, Buffer.from([0, 5, 0, 1])]); // CNAME IN
  // "example.test" starts at offset 12 + 4 = 16 (after "www" label).
  const cname = Buffer.concat([
    Buffer.from([0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6]),
    Buffer.from([3, 0x77, 0x65, 0x62, 0xc0, 16]),
  ]);
  // Owner "web.example.test" = pointer to the CNAME RDATA (an earlier name that itself points back).
  const cnameRdataOffset = 12 + question.length + 12;
  const a = Buffer.from([0xc0, cnameRdataOffset, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7]);
  return Buffer.concat([header, question, cname, a]);
}

/** Header + one question whose name is `nameBytes`, type A class IN, followed by `tail`. */
function withQuestionName(nameBytes: number[], tail: number[] = []): Buffer {
  return Buffer.from([0, 1, RESPONSE >> 8, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...nameBytes, 0, 1, 0, 1, ...tail]);
}

function timedDecode(buf: Buffer): { durationMs: number; result: ReturnType<typeof decodeReply> } {
  const started = performance.now();
  const result = decodeReply(buf);
  return { durationMs: performance.now() - started, result };
}

describe('decodeReply on valid replies', () => {
  test('decodes what dns-packet encoded, with the same content', () => {
    for (const buf of sampleReplies()) {
      const decoded = decodeReply(buf);
      assert.ok(decoded, 'a valid reply must decode');
      assert.deepEqual(decoded, dnsPacket.decode(buf));
    }
  });

  test('follows backward compression pointers in owner names and RDATA', () => {
    const decoded = decodeReply(compressedReply());
    assert.ok(decoded);
    assert.equal(decoded.id, 0x1234);
    assert.equal(decoded.rcode, 'NOERROR');
    assert.equal(decoded.questions[0]?.name, 'www.example.test');
    assert.equal(decoded.answers[0]?.name, 'www.example.test');
    assert.equal(dataOf(decoded.answers[0]), 'web.example.test');
    assert.equal(decoded.answers[1]?.name, 'web.example.test');
    assert.equal(dataOf(decoded.answers[1]), '192.0.2.7');
  });

  test('tolerates trailing bytes after the last record', () => {
    const buf = Buffer.concat([sampleReplies()[0] ?? Buffer.alloc(0), Buffer.from([1, 2, 3])]);
    assert.ok(decodeReply(buf));
  });
});

describe('decodeReply rejects hostile structure', () => {
  const www = [3, 0x77, 0x77, 0x77];

  test('a pointer to itself', () => {
    // The question name at offset 12 is a pointer to offset 12.
    assert.equal(decodeReply(withQuestionName([0xc0, 12])), null);
  });

  test('two pointers pointing at each other', () => {
    // Question 1 at 12: "www" + pointer to 22 (question 2); question 2 at 22: pointer to 16 (question 1's pointer).
    const buf = Buffer.from([
      0,
      1,
      0x80,
      0,
      0,
      2,
      0,
      0,
      0,
      0,
      0,
      0,
      ...www,
      0xc0,
      22,
      0,
      1,
      0,
      1,
      0xc0,
      16,
      0,
      1,
      0,
      1,
    ]);
    assert.equal(buf.readUInt8(22), 0xc0);
    assert.equal(decodeReply(buf), null);
  });

  test('a forward pointer', () => {
    // "www" + pointer to offset 30, beyond the pointer itself, where a valid-looking name sits.
    const buf = withQuestionName([...www, 0xc0, 30], [0, 0, 0, 0, 0, 0, 0, 0, 4, ...Buffer.from('test'), 0]);
    assert.equal(decodeReply(buf), null);
  });

  test('a pointer into the header', () => {
    assert.equal(decodeReply(withQuestionName([...www, 0xc0, 4])), null);
  });

  test('a pointer chain that does not move strictly backwards', () => {
    // Name A at 12: "a" + ptr -> 20. Name at 20 would have to be before 12 for a legal chain.
    const buf = Buffer.from([
      0, 1, 0x80, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1, 0x61, 0xc0, 20, 0, 1, 0, 1, 1, 0x62, 0xc0, 12, 0, 1, 0, 1,
    ]);
    assert.equal(decodeReply(buf), null);
  });

  test('extended label types 0x40 and 0x80 (RFC 6891 section 5)', () => {
    assert.equal(decodeReply(withQuestionName([0x41, ...Buffer.alloc(1, 0x61), 0])), null);
    assert.equal(decodeReply(withQuestionName([0x81, 0x61, 0])), null);
  });

  test('a name over 255 octets', () => {
    const label = [63, ...Buffer.alloc(63, 0x61)];
    const long = [...label, ...label, ...label, ...label, 0]; // 4 * 64 + 1 = 257 octets
    assert.equal(decodeReply(withQuestionName(long)), null);
    const fits = [...label, ...label, ...label, 61, ...Buffer.alloc(61, 0x61), 0]; // 255 octets
    assert.ok(decodeReply(withQuestionName(fits)));
  });

  test('huge section counts with a small buffer', () => {
    const buf = Buffer.from(sampleReplies()[0] ?? Buffer.alloc(0));
    buf.writeUInt16BE(0xffff, 6);
    buf.writeUInt16BE(0xffff, 8);
    buf.writeUInt16BE(0xffff, 10);
    const { durationMs, result } = timedDecode(buf);
    assert.equal(result, null);
    assert.ok(durationMs < 1000, `took ${durationMs} ms`);
  });

  test('truncated RDATA and RDLENGTH beyond the buffer', () => {
    const valid = sampleReplies()[1] ?? Buffer.alloc(0);
    assert.equal(decodeReply(valid.subarray(0, valid.length - 3)), null);
  });

  test('A record with a wrong RDLENGTH', () => {
    // Answer: root owner, type A, class IN, ttl, rdlength 5.
    const buf = withQuestionName([0], [0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 5, 1, 2, 3, 4, 5]);
    buf.writeUInt16BE(1, 6);
    assert.equal(decodeReply(buf), null);
  });

  test('SOA whose RDLENGTH disagrees with its fields', () => {
    const soa = dnsPacket.encode({
      type: 'response',
      id: 9,
      answers: [{ name: 'x.test', type: 'SOA', data: { mname: 'a.test', rname: 'b.test', serial: 1 } }],
    });
    // RDLENGTH sits 2 octets before RDATA; RDATA is the last (2 + 2*8 + 20) octets... find it by decoding offsets:
    const rdLengthOffset = soa.length - (8 + 8 + 20) - 2;
    assert.equal(soa.readUInt16BE(rdLengthOffset), 36);
    const lying = Buffer.from(soa);
    lying.writeUInt16BE(30, rdLengthOffset);
    assert.equal(decodeReply(Buffer.concat([lying])), null);
  });

  test('TXT character-string running past RDATA', () => {
    const buf = withQuestionName([0], [0, 0, 16, 0, 1, 0, 0, 0, 1, 0, 3, 5, 0x61, 0x62, 0x63, 0x64, 0x65]);
    buf.writeUInt16BE(1, 6);
    assert.equal(decodeReply(buf), null);
  });

  test('a name in RDATA that runs past RDLENGTH', () => {
    // NS record with RDLENGTH 2 whose name "ns" + root needs 4 octets.
    const buf = withQuestionName([0], [0, 0, 2, 0, 1, 0, 0, 0, 1, 0, 2, 2, 0x6e, 0x73, 0]);
    buf.writeUInt16BE(1, 6);
    assert.equal(decodeReply(buf), null);
  });

  test('short buffers and over-long messages', () => {
    assert.equal(decodeReply(Buffer.alloc(0)), null);
    assert.equal(decodeReply(Buffer.alloc(11)), null);
    assert.equal(decodeReply(Buffer.alloc(65536)), null);
    assert.equal(validateMessageStructure(Buffer.alloc(12)), 12);
  });
});

describe('decodeReply fuzz (seeded, no throw, no hang)', () => {
  // A hang or a quadratic blow-up on a ~300-byte reply costs seconds; one decode normally takes
  // microseconds. The bound is generous so a garbage-collection pause on a loaded CI machine (a
  // 70 ms case was seen) does not fail the run, while a real hang still does.
  const PER_CALL_LIMIT_MS = 1000;

  function fuzz(label: string, cases: number, seed: number, make: (random: () => number, i: number) => Buffer): void {
    test(`${label}: ${cases} cases, seed ${seed}`, () => {
      const random = seededRandom(seed);
      let slowest = 0;
      let decoded = 0;
      for (let i = 0; i < cases; i++) {
        const buf = make(random, i);
        let outcome: ReturnType<typeof timedDecode>;
        try {
          outcome = timedDecode(buf);
        } catch (error) {
          assert.fail(`case ${i} threw ${String(error)} on ${buf.toString('hex')}`);
        }
        slowest = Math.max(slowest, outcome.durationMs);
        assert.ok(
          outcome.durationMs < PER_CALL_LIMIT_MS,
          `case ${i} took ${outcome.durationMs} ms: ${buf.toString('hex')}`,
        );
        const result = outcome.result;
        if (result !== null) {
          decoded++;
          // Whatever is accepted is internally consistent with its header counts.
          assert.equal(result.questions.length, buf.readUInt16BE(4));
          assert.equal(result.answers.length, buf.readUInt16BE(6));
          assert.equal(result.authorities.length, buf.readUInt16BE(8));
          assert.equal(result.additionals.length, buf.readUInt16BE(10));
        }
      }
      assert.ok(slowest < PER_CALL_LIMIT_MS);
      // Not a pass condition on its own, but shows the corpus exercises both outcomes.
      if (label.startsWith('random')) assert.ok(decoded < cases);
    });
  }

  const samples = [...sampleReplies(), compressedReply()];
  const pick = (random: () => number): Buffer => samples[Math.floor(random() * samples.length)] ?? compressedReply();

  fuzz('random buffers', 20_000, 1, (random) => {
    const buf = Buffer.alloc(Math.floor(random() * 600));
    for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(random() * 256);
    return buf;
  });

  fuzz('random headers over small bodies (plausible counts)', 10_000, 2, (random) => {
    const buf = Buffer.alloc(12 + Math.floor(random() * 200));
    for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(random() * 256);
    for (const at of [4, 6, 8, 10]) buf.writeUInt16BE(Math.floor(random() * 4), at);
    // Sprinkle compression pointers to random earlier or later offsets.
    for (let k = 0; k < 6; k++) {
      const at = 12 + Math.floor(random() * (buf.length - 13));
      if (at + 1 < buf.length) {
        buf[at] = 0xc0;
        buf[at + 1] = Math.floor(random() * buf.length);
      }
    }
    return buf;
  });

  fuzz('truncations of valid replies', 20_000, 3, (random) => {
    const valid = pick(random);
    return valid.subarray(0, Math.floor(random() * valid.length));
  });

  fuzz('bit flips in valid replies', 30_000, 4, (random) => {
    const buf = Buffer.from(pick(random));
    const flips = 1 + Math.floor(random() * 4);
    for (let k = 0; k < flips; k++) {
      const at = Math.floor(random() * buf.length);
      buf[at] = (buf[at] ?? 0) ^ (1 << Math.floor(random() * 8));
    }
    return buf;
  });

  fuzz('pointer loops and forward pointers planted in valid replies', 10_000, 5, (random) => {
    const buf = Buffer.from(pick(random));
    const at = 12 + Math.floor(random() * (buf.length - 14));
    const kind = Math.floor(random() * 3);
    const target = kind === 0 ? at : kind === 1 ? at + 2 + Math.floor(random() * 8) : Math.floor(random() * buf.length);
    buf[at] = 0xc0 | ((target >> 8) & 0x3f);
    buf[at + 1] = target & 0xff;
    return buf;
  });

  test('a planted self-pointer in the question is always rejected', () => {
    for (const valid of samples) {
      const buf = Buffer.from(valid);
      buf[12] = 0xc0;
      buf[13] = 12;
      assert.equal(decodeReply(buf), null);
    }
  });
});
