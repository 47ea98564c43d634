import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Nsec3Answer } from 'dns-packet';
import { base32hex, NSEC3_MAX_ITERATIONS, nsec3Hash, proveNoDsWithNsec3 } from './nsec3.js';

describe('nsec3Hash', () => {
  // RFC 5155 appendix A: zone "example", salt aabbccdd, 12 iterations.
  const salt = Buffer.from('aabbccdd', 'hex');
  const vectors: Array<[string, string]> = [
    ['example', '0p9mhaveqvm6t7vbl5lop2u3t2rp3tom'],
    ['a.example', '35mthgpgcu1qg68fab165klnsnk3dpvl'],
    ['ns1.example', '2t7b4g4vsa5smi47k61mv5bv1a22bojr'],
    ['*.w.example', 'r53bq7cc2uvmubfu5ocmm6pers9tk9en'],
    ['x.y.w.example', '2vptu5timamqttgl4luu9kg21e0aor3s'],
    ['XX.Example.', 't644ebqk9bibcna874givr6joj62mlhv'],
  ];
  for (const [name, hash] of vectors) {
    test(`${name} hashes to ${hash}`, () => {
      assert.equal(base32hex(nsec3Hash(name, salt, 12)), hash);
    });
  }
});

/** A one-record NSEC3 of zone `example` (salt aabbccdd, 12 iterations) owned by the hash of `owner`. */
function record(owner: string, next: string, rrtypes: string[], flags = 0, iterations = 12): Nsec3Answer {
  const salt = Buffer.from('aabbccdd', 'hex');
  return {
    name: `${base32hex(nsec3Hash(owner, salt, iterations))}.example`,
    type: 'NSEC3',
    ttl: 300,
    class: 'IN',
    data: { algorithm: 1, flags, iterations, salt, nextDomain: nsec3Hash(next, salt, iterations), rrtypes },
  };
}

describe('proveNoDsWithNsec3', () => {
  // Hashes (RFC 5155 appendix A): example 0p9m.., a 35mt.., ai gjeq.., *.w r53b.., xx t644..; for
  // b.xx.example the closest encloser is example and the next closer xx.example (t644..).
  const cases: Array<[string, string, Nsec3Answer[], string]> = [
    [
      'a matching NSEC3 with NS and no DS',
      'a.example',
      [record('a.example', 'ai.example', ['NS'])],
      'insecure_delegation',
    ],
    ['a matching NSEC3 that lists DS', 'a.example', [record('a.example', 'ai.example', ['NS', 'DS'])], 'bogus'],
    ['a matching NSEC3 without NS', 'a.example', [record('a.example', 'ai.example', ['TXT', 'RRSIG'])], 'not_a_cut'],
    [
      'a closest encloser proof with an Opt-Out NSEC3 covering the next closer',
      'b.xx.example',
      [record('example', 'a.example', ['SOA', 'NS']), record('*.w.example', 'example', ['MX'], 1)],
      'opt_out',
    ],
    [
      'the same proof without Opt-Out: the name would not exist',
      'b.xx.example',
      [record('example', 'a.example', ['SOA', 'NS']), record('*.w.example', 'example', ['MX'])],
      'bogus',
    ],
    [
      'a closest encloser proof whose cover misses the next closer',
      'b.xx.example',
      [record('example', 'a.example', ['SOA', 'NS']), record('a.example', 'ai.example', ['NS'], 1)],
      'bogus',
    ],
    ['no closest encloser', 'b.xx.example', [record('*.w.example', 'example', ['MX'], 1)], 'bogus'],
    [
      'a closest encloser that is itself a delegation',
      'b.a.example',
      [record('a.example', 'ai.example', ['NS']), record('example', 'ns1.example', ['SOA', 'NS'], 1)],
      'bogus',
    ],
    ['an unknown flag', 'a.example', [record('a.example', 'ai.example', ['NS'], 2)], 'unevaluated'],
    [
      'iterations over the cap',
      'a.example',
      [record('a.example', 'ai.example', ['NS'], 0, NSEC3_MAX_ITERATIONS + 1)],
      'unevaluated',
    ],
  ];
  for (const [label, name, records, kind] of cases) {
    test(`${label}: ${kind}`, () => {
      assert.equal(proveNoDsWithNsec3(name, 'example', records).kind, kind);
    });
  }

  test('records outside the zone prove nothing', () => {
    const elsewhere = { ...record('a.example', 'ai.example', ['NS']), name: 'x.other' };
    assert.equal(proveNoDsWithNsec3('a.example', 'example', [elsewhere]).kind, 'bogus');
  });
});
