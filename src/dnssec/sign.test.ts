import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer, NsecAnswer, RrsigAnswer } from 'dns-packet';
import { zoneKeyFromSeed } from './keys.js';
import { signRRset, signZone } from './sign.js';
import { verifyRRsig } from './verify.js';

const now = 1_750_000_000;
const window = { inception: now - 3600, expiration: now + 30 * 86400 };
const keys = {
  ksk: zoneKeyFromSeed('clinic.test', 'ksk', 'sign-test/ksk'),
  zsk: zoneKeyFromSeed('clinic.test', 'zsk', 'sign-test/zsk'),
};

const zoneData: Answer[] = [
  {
    name: 'clinic.test',
    type: 'SOA',
    ttl: 3600,
    class: 'IN',
    data: {
      mname: 'ns1.lab-dns.test',
      rname: 'hostmaster.clinic.test',
      serial: 7,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: 300,
    },
  },
  { name: 'clinic.test', type: 'NS', ttl: 3600, class: 'IN', data: 'ns1.lab-dns.test' },
  { name: 'clinic.test', type: 'MX', ttl: 3600, class: 'IN', data: { preference: 10, exchange: 'mail.clinic.test' } },
  { name: 'clinic.test', type: 'TXT', ttl: 300, class: 'IN', data: ['v=spf1 -all'] },
  { name: 'www.clinic.test', type: 'A', ttl: 300, class: 'IN', data: '127.16.0.2' },
  { name: 'Portal.Clinic.test', type: 'CNAME', ttl: 300, class: 'IN', data: 'www.clinic.test' },
  { name: '*.clinic.test', type: 'A', ttl: 300, class: 'IN', data: '127.16.0.3' },
  // A delegation with glue below it.
  { name: 'branch.clinic.test', type: 'NS', ttl: 3600, class: 'IN', data: 'ns1.branch.clinic.test' },
  { name: 'ns1.branch.clinic.test', type: 'A', ttl: 3600, class: 'IN', data: '127.16.0.53' },
];

const byType = <T extends Answer['type']>(records: Answer[], type: T): Array<Extract<Answer, { type: T }>> =>
  records.filter((r): r is Extract<Answer, { type: T }> => r.type === type);

describe('signZone', () => {
  const signed = signZone(zoneData, 'clinic.test', keys, window);
  const rrsigs = byType(signed, 'RRSIG');
  const nsecs = byType(signed, 'NSEC');
  const covering = (name: string, type: string): RrsigAnswer[] =>
    rrsigs.filter((s) => s.name === name && s.data.typeCovered === type);
  const rrset = (name: string, type: string): Answer[] =>
    signed.filter((r) => r.name.toLowerCase() === name && r.type === type);

  test('publishes both DNSKEYs and signs the DNSKEY RRset with the KSK', () => {
    const dnskeys = byType(signed, 'DNSKEY');
    assert.deepEqual(dnskeys.map((k) => k.data.flags).sort(), [256, 257]);
    const sigs = covering('clinic.test', 'DNSKEY');
    assert.equal(sigs.length, 1);
    assert.equal(sigs[0]!.data.keyTag, keys.ksk.keyTag);
    assert.deepEqual(verifyRRsig(dnskeys, sigs[0]!, keys.ksk.dnskey, now), { ok: true });
  });

  test('every authoritative RRset has a ZSK signature that verifies', () => {
    const expected: Array<[string, string]> = [
      ['clinic.test', 'SOA'],
      ['clinic.test', 'NS'],
      ['clinic.test', 'MX'],
      ['clinic.test', 'TXT'],
      ['www.clinic.test', 'A'],
      ['portal.clinic.test', 'CNAME'],
      ['*.clinic.test', 'A'],
    ];
    for (const [name, type] of expected) {
      const sigs = covering(name, type);
      assert.equal(sigs.length, 1, `${name} ${type}`);
      assert.equal(sigs[0]!.data.keyTag, keys.zsk.keyTag);
      assert.deepEqual(verifyRRsig(rrset(name, type), sigs[0]!, keys.zsk.dnskey, now), { ok: true }, `${name} ${type}`);
    }
    assert.equal(covering('*.clinic.test', 'A')[0]!.data.labels, 2);
  });

  test('delegation NS and glue are not signed; glue is not in the NSEC chain', () => {
    assert.equal(covering('branch.clinic.test', 'NS').length, 0);
    assert.equal(rrsigs.filter((s) => s.name === 'ns1.branch.clinic.test').length, 0);
    assert.equal(
      nsecs.some((n) => n.name === 'ns1.branch.clinic.test'),
      false,
    );
  });

  test('the NSEC chain is closed, in canonical order, with RRSIG and NSEC in each bitmap', () => {
    assert.deepEqual(
      nsecs.map((n) => `${n.name} -> ${n.data.nextDomain}`),
      [
        'clinic.test -> *.clinic.test',
        '*.clinic.test -> branch.clinic.test',
        'branch.clinic.test -> portal.clinic.test',
        'portal.clinic.test -> www.clinic.test',
        'www.clinic.test -> clinic.test',
      ],
    );
    const bitmap = (name: string): string[] => nsecs.find((n) => n.name === name)!.data.rrtypes;
    assert.deepEqual(bitmap('clinic.test'), ['DNSKEY', 'MX', 'NS', 'NSEC', 'RRSIG', 'SOA', 'TXT']);
    assert.deepEqual(bitmap('branch.clinic.test'), ['NS', 'NSEC', 'RRSIG']);
    assert.deepEqual(bitmap('www.clinic.test'), ['A', 'NSEC', 'RRSIG']);
    for (const n of nsecs) {
      assert.equal(n.ttl, 300, 'NSEC TTL is min(SOA TTL, SOA minimum) (RFC 9077)');
      const sig = covering(n.name, 'NSEC');
      assert.equal(sig.length, 1);
      assert.deepEqual(verifyRRsig([n], sig[0]!, keys.zsk.dnskey, now), { ok: true });
    }
  });

  test('a DS at a delegation is signed and appears in the bitmap', () => {
    const child = zoneKeyFromSeed('branch.clinic.test', 'ksk', 'child');
    const withDs: Answer[] = [
      ...zoneData,
      {
        name: 'branch.clinic.test',
        type: 'DS',
        ttl: 3600,
        class: 'IN',
        data: { keyTag: child.keyTag, algorithm: 13, digestType: 2, digest: Buffer.alloc(32, 7) },
      },
    ];
    const out = signZone(withDs, 'clinic.test', keys, window);
    const nsec = byType(out, 'NSEC').find((n) => n.name === 'branch.clinic.test')!;
    assert.deepEqual(nsec.data.rrtypes, ['DS', 'NS', 'NSEC', 'RRSIG']);
    const dsSigs = byType(out, 'RRSIG').filter((s) => s.name === 'branch.clinic.test' && s.data.typeCovered === 'DS');
    assert.equal(dsSigs.length, 1);
  });

  test('the signed zone encodes and decodes through dns-packet and still verifies', () => {
    const decoded = dnsPacket.decode(dnsPacket.encode({ type: 'response', answers: signed })).answers!;
    assert.equal(decoded.length, signed.length);
    const soaSig = decoded.find((r): r is RrsigAnswer => r.type === 'RRSIG' && r.data.typeCovered === 'SOA')!;
    const soa = decoded.filter((r) => r.type === 'SOA');
    assert.deepEqual(verifyRRsig(soa, soaSig, keys.zsk.dnskey, now), { ok: true });
  });

  test('does not mutate its input records', () => {
    const input: Answer[] = [
      zoneData[0]!,
      { name: 'clinic.test', type: 'TXT', ttl: 300, class: 'IN', data: ['a', 'b'] },
    ];
    signZone(input, 'clinic.test', keys, window);
    assert.deepEqual(input[1], { name: 'clinic.test', type: 'TXT', ttl: 300, class: 'IN', data: ['a', 'b'] });
  });

  test("corrupt: 'expired' signs every RRset with a window already over", () => {
    const out = signZone(zoneData, 'clinic.test', keys, window, { corrupt: 'expired' });
    const sigs = byType(out, 'RRSIG');
    assert.ok(sigs.length > 0);
    for (const s of sigs) assert.ok(s.data.expiration < window.inception && s.data.expiration < now);
    const soaSig = sigs.find((s) => s.data.typeCovered === 'SOA')!;
    assert.equal(
      verifyRRsig(
        out.filter((r) => r.type === 'SOA'),
        soaSig,
        keys.zsk.dnskey,
        now,
      ).ok,
      false,
    );
  });

  test("corrupt: 'bad_signature' breaks the data signatures but not the DNSKEY one", () => {
    const out = signZone(zoneData, 'clinic.test', keys, window, { corrupt: 'bad_signature' });
    const sigs = byType(out, 'RRSIG');
    const dnskeySig = sigs.find((s) => s.data.typeCovered === 'DNSKEY')!;
    assert.deepEqual(verifyRRsig(byType(out, 'DNSKEY'), dnskeySig, keys.ksk.dnskey, now), { ok: true });
    const soaSig = sigs.find((s) => s.data.typeCovered === 'SOA')!;
    const r = verifyRRsig(
      out.filter((x) => x.type === 'SOA'),
      soaSig,
      keys.zsk.dnskey,
      now,
    );
    assert.equal(r.ok ? 'ok' : r.reason, 'bad_signature');
  });

  test('refuses records outside the zone, a zone without SOA, and foreign keys', () => {
    assert.throws(
      () => signZone([...zoneData, { name: 'other.test', type: 'A', data: '127.0.0.2' }], 'clinic.test', keys, window),
      /outside zone/,
    );
    assert.throws(() => signZone(zoneData.slice(1), 'clinic.test', keys, window), /no SOA/);
    assert.throws(() => signZone(zoneData, 'other.test', keys, window), /keys must belong/);
  });
});

describe('signRRset', () => {
  test('refuses mixed RRsets and names outside the key zone', () => {
    const a: Answer = { name: 'www.clinic.test', type: 'A', ttl: 300, data: '127.16.0.2' };
    assert.throws(() => signRRset([a, { ...a, type: 'TXT', data: 'x' }], keys.zsk, window), /not one RRset/);
    assert.throws(() => signRRset([{ ...a, name: 'www.other.test' }], keys.zsk, window), /outside zone/);
    assert.throws(() => signRRset([], keys.zsk, window), /empty/);
  });
  test('uses the RRset TTL as original TTL and the smallest one when they differ', () => {
    const sig = signRRset(
      [
        { name: 'x.clinic.test', type: 'A', ttl: 600, data: '127.0.0.2' },
        { name: 'x.clinic.test', type: 'A', ttl: 60, data: '127.0.0.3' },
      ],
      keys.zsk,
      window,
    );
    assert.equal(sig.data.originalTTL, 60);
    assert.equal((sig as NsecAnswer | RrsigAnswer).ttl, 60);
  });
});
