import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { dsForKey, zoneKeyFromSeed } from './keys.js';
import { NSEC3_MAX_ITERATIONS } from './nsec3.js';
import type { Nsec3Parameters } from './sign.js';
import { buildHierarchy, zoneFetch } from './test-support.js';
import { anchorFromRecord, IANA_ROOT_TRUST_ANCHORS, parseTrustAnchors, formatTrustAnchor } from './trust-anchor.js';
import { validateZone } from './validate.js';
import type { ZoneValidation } from './validate.js';

const now = 1_750_000_000;
const window = { inception: now - 3600, expiration: now + 30 * 86400 };
const { zones, anchorKsk } = buildHierarchy(window);
// The anchor goes through its published text form, as the lab hands it to the scanner.
const anchors = parseTrustAnchors(`${formatTrustAnchor(dsForKey('test', anchorKsk.dnskey))}\n`);

describe('validateZone over a signed hierarchy', () => {
  test('good.test is secure through test', async () => {
    const fetch = zoneFetch(zones);
    assert.deepEqual(await validateZone('good.test', fetch, anchors, now), {
      status: 'secure',
      chain: ['test', 'good.test'],
    });
    assert.deepEqual(fetch.log, ['test DNSKEY', 'good.test DS', 'good.test DNSKEY', 'good.test SOA']);
  });

  test('the anchor zone itself is secure', async () => {
    assert.deepEqual(await validateZone('test.', zoneFetch(zones), anchors, now), {
      status: 'secure',
      chain: ['test'],
    });
  });

  test('unsigned.test is insecure, proven by the parent NSEC', async () => {
    assert.deepEqual(await validateZone('unsigned.test', zoneFetch(zones), anchors, now), {
      status: 'insecure',
      reason: 'no DS for unsigned.test in test',
      provenBy: 'nsec',
    });
  });

  test('expired.test is bogus: expired signature', async () => {
    const r = await validateZone('expired.test', zoneFetch(zones), anchors, now);
    assert.equal(r.status, 'bogus');
    assert.match(reasonOf(r), /^expired signature on (DNSKEY|SOA)$/);
  });

  test('bad.test is bogus: bad signature on SOA', async () => {
    const r = await validateZone('bad.test', zoneFetch(zones), anchors, now);
    assert.equal(r.status, 'bogus');
    assert.equal(reasonOf(r), 'bad signature on SOA');
  });

  test('a DS that matches no DNSKEY is bogus', async () => {
    const r = await validateZone('mismatch.test', zoneFetch(zones), anchors, now);
    assert.equal(r.status, 'bogus');
    assert.equal(reasonOf(r), 'no DNSKEY matches DS');
  });

  test('a name inside the parent zone (no cut) takes the parent status', async () => {
    const fetch = zoneFetch(zones);
    assert.deepEqual(await validateZone('inside.test', fetch, anchors, now), { status: 'secure', chain: ['test'] });
  });

  test('a zone below an empty non-terminal is found through the NSEC proof of the ENT', async () => {
    assert.deepEqual(await validateZone('sub.ent.test', zoneFetch(zones), anchors, now), {
      status: 'secure',
      chain: ['test', 'sub.ent.test'],
    });
  });

  test('once the clock passes the expiration, the anchor zone is bogus and zones below it not assessed', async () => {
    const r = await validateZone('test', zoneFetch(zones), anchors, window.expiration + 1);
    assert.equal(r.status, 'bogus');
    assert.equal(reasonOf(r), 'expired signature on DNSKEY');
    // The anchor zone's failure is not the child's: no verdict on good.test.
    const child = await validateZone('good.test', zoneFetch(zones), anchors, window.expiration + 1);
    assert.equal(child.status, 'indeterminate');
    assert.match(reasonOf(child), /trust anchor zone test does not validate: expired signature on DNSKEY/);
  });

  test('a resolver that returns no DNSKEY for the anchor zone: indeterminate, never bogus', async () => {
    const base = zoneFetch(zones);
    const keyless = async (name: string, type: 'DNSKEY' | 'DS' | 'SOA') => {
      const r = await base(name, type);
      return r.ok && name === 'test' && type === 'DNSKEY' ? { ...r, answers: [] } : r;
    };
    const r = await validateZone('good.test', keyless, anchors, now);
    assert.equal(r.status, 'indeterminate');
    assert.match(reasonOf(r), /no DNSKEY for the trust anchor zone test/);
  });

  test('a CNAME where a zone must be is indeterminate, never bogus or unsigned', async () => {
    const base = zoneFetch(zones);
    const looping = async (name: string, type: 'DNSKEY' | 'DS' | 'SOA') => {
      if (name !== 'unsigned.test') return base(name, type);
      const loop: Answer[] = [
        { name: 'unsigned.test', type: 'CNAME', ttl: 60, class: 'IN', data: 'x.unsigned.test' },
        { name: 'x.unsigned.test', type: 'CNAME', ttl: 60, class: 'IN', data: 'unsigned.test' },
      ];
      return { ok: true as const, rcode: 'NOERROR', answers: loop, authorities: [] };
    };
    const r = await validateZone('unsigned.test', looping, anchors, now);
    assert.equal(r.status, 'indeterminate');
    assert.match(reasonOf(r), /DS look-up for unsigned.test answered with a CNAME/);
  });

  test('a signed parent whose denial of DS carries no NSEC is bogus', async () => {
    const r = await validateZone('unsigned.test', zoneFetch(zones, { stripNsec: true }), anchors, now);
    assert.equal(r.status, 'bogus');
    assert.equal(reasonOf(r), 'missing NSEC proof of no DS');
  });

  test('a failed look-up is indeterminate, never a verdict', async () => {
    const r = await validateZone('good.test', zoneFetch(zones, { failName: 'good.test' }), anchors, now);
    assert.equal(r.status, 'indeterminate');
    assert.match(reasonOf(r), /look-up for good.test failed: timeout/);
  });

  test('a zone no anchor covers is indeterminate', async () => {
    const r = await validateZone('example.org', zoneFetch(zones), anchors, now);
    assert.deepEqual(r, { status: 'indeterminate', reason: 'no trust anchor covers example.org' });
  });

  test('the closest anchor wins over the root anchors', async () => {
    const both = [...parseTrustAnchors(IANA_ROOT_TRUST_ANCHORS), ...anchors];
    assert.equal((await validateZone('good.test', zoneFetch(zones), both, now)).status, 'secure');
    // With the root anchor only, the fake resolver knows no root zone: not assessed.
    const rootOnly = await validateZone('good.test', zoneFetch(zones), parseTrustAnchors(IANA_ROOT_TRUST_ANCHORS), now);
    assert.equal(rootOnly.status, 'indeterminate');
  });

  test('an anchor for another key: the anchor zone is bogus, a zone below it not assessed', async () => {
    const other = [anchorFromRecord(dsForKey('test', zoneKeyFromSeed('test', 'ksk', 'not the lab key').dnskey))];
    const own = await validateZone('test', zoneFetch(zones), other, now);
    assert.equal(own.status, 'bogus');
    assert.equal(reasonOf(own), 'DNSKEY does not match the trust anchor');
    const r = await validateZone('good.test', zoneFetch(zones), other, now);
    assert.equal(r.status, 'indeterminate');
    assert.match(reasonOf(r), /DNSKEY does not match the trust anchor/);
  });

  test('a DNSKEY anchor works like a DS anchor', async () => {
    const keyAnchor = [anchorFromRecord(anchorKsk.dnskey)];
    assert.equal((await validateZone('good.test', zoneFetch(zones), keyAnchor, now)).status, 'secure');
  });

  test('a resolver that strips RRSIGs makes the result indeterminate, not bogus', async () => {
    const base = zoneFetch(zones);
    const stripping = async (name: string, type: 'DNSKEY' | 'DS' | 'SOA') => {
      const r = await base(name, type);
      return r.ok ? { ...r, answers: r.answers.filter((a) => a.type !== 'RRSIG') } : r;
    };
    assert.equal((await validateZone('good.test', stripping, anchors, now)).status, 'indeterminate');
  });

  test('a forged DS (unsigned) for an unsigned zone is bogus', async () => {
    const base = zoneFetch(zones);
    const forged = async (name: string, type: 'DNSKEY' | 'DS' | 'SOA') => {
      if (name === 'unsigned.test' && type === 'DS') {
        return {
          ok: true as const,
          rcode: 'NOERROR',
          answers: [dsForKey('unsigned.test', anchorKsk.dnskey)],
          authorities: [],
        };
      }
      return base(name, type);
    };
    const r = await validateZone('unsigned.test', forged, anchors, now);
    assert.equal(r.status, 'bogus');
    assert.equal(reasonOf(r), 'missing signature on DS');
  });

  test('a time in milliseconds is refused rather than misread', async () => {
    const r = await validateZone('good.test', zoneFetch(zones), anchors, now * 1000);
    assert.equal(r.status, 'indeterminate');
  });
});

/** The same hierarchy with the parent zone `test` denying with NSEC3: plain, Opt-Out, and over the RFC 9276 cap. */
const NSEC3_PARENTS: Array<[string, Nsec3Parameters]> = [
  ['NSEC3', { salt: Buffer.from('aabbccdd', 'hex'), iterations: 0 }],
  ['NSEC3 with Opt-Out', { salt: Buffer.alloc(0), iterations: 5, optOut: true }],
];

for (const [label, params] of NSEC3_PARENTS) {
  describe(`validateZone under an ${label} parent`, () => {
    const nsec3Zones = buildHierarchy(window, { nsec3: params }).zones;
    const proofOf = (r: ZoneValidation): string => (r.status === 'insecure' ? r.reason : '');

    test('a correct proof of no DS: unsigned.test is insecure, proven by NSEC3', async () => {
      const r = await validateZone('unsigned.test', zoneFetch(nsec3Zones), anchors, now);
      assert.equal(r.status, 'insecure');
      assert.equal(r.status === 'insecure' ? r.provenBy : undefined, 'nsec3');
      assert.match(proofOf(r), params.optOut ? /NSEC3 opt-out: .* covers unsigned\.test/ : /NSEC3: .* shows NS, no DS/);
    });

    test('signed zones stay secure; a name inside the zone and an empty non-terminal are not cuts', async () => {
      for (const [zone, chain] of [
        ['good.test', ['test', 'good.test']],
        ['inside.test', ['test']],
        ['sub.ent.test', ['test', 'sub.ent.test']],
      ] as const) {
        assert.deepEqual(await validateZone(zone, zoneFetch(nsec3Zones), anchors, now), { status: 'secure', chain });
      }
    });

    test('a stripped DS answered with the proof of another name is bogus, never insecure', async () => {
      // A hostile resolver hides good.test's DS and replays the parent's signed denial for unsigned.test.
      const base = zoneFetch(nsec3Zones);
      const replaying = async (name: string, type: 'DNSKEY' | 'DS' | 'SOA') =>
        name === 'good.test' && type === 'DS' ? base('unsigned.test', 'DS') : base(name, type);
      const r = await validateZone('good.test', replaying, anchors, now);
      assert.equal(r.status, 'bogus', JSON.stringify(r));
    });

    test('an NSEC3 proof without its signatures is bogus', async () => {
      const base = zoneFetch(nsec3Zones);
      const unsignedProof = async (name: string, type: 'DNSKEY' | 'DS' | 'SOA') => {
        const r = await base(name, type);
        if (!r.ok || type !== 'DS') return r;
        return {
          ...r,
          authorities: r.authorities.filter((a) => !(a.type === 'RRSIG' && a.data.typeCovered === 'NSEC3')),
        };
      };
      const r = await validateZone('unsigned.test', unsignedProof, anchors, now);
      assert.equal(r.status, 'bogus');
      assert.equal(reasonOf(r), 'missing signature on NSEC3');
    });

    test('a denial with no NSEC3 at all is bogus', async () => {
      const r = await validateZone('unsigned.test', zoneFetch(nsec3Zones, { stripNsec: true }), anchors, now);
      assert.equal(r.status, 'bogus');
    });
  });
}

describe('validateZone and the RFC 9276 iteration cap', () => {
  test(
    `above ${NSEC3_MAX_ITERATIONS} iterations the denial is not evaluated: indeterminate, not ` + `insecure`,
    async () => {
      const capped = buildHierarchy(window, { nsec3: { salt: Buffer.alloc(0), iterations: NSEC3_MAX_ITERATIONS + 1 } });
      const r = await validateZone('unsigned.test', zoneFetch(capped.zones), anchors, now);
      assert.equal(r.status, 'indeterminate');
      assert.match(reasonOf(r), /151 iterations, above the cap of 150 \(RFC 9276 section 3\.2\)/);
    },
  );

  test(`at ${NSEC3_MAX_ITERATIONS} iterations the proof is evaluated`, async () => {
    const atCap = buildHierarchy(window, { nsec3: { salt: Buffer.alloc(0), iterations: NSEC3_MAX_ITERATIONS } });
    assert.equal((await validateZone('unsigned.test', zoneFetch(atCap.zones), anchors, now)).status, 'insecure');
  });
});

function reasonOf(r: ZoneValidation): string {
  return r.status === 'secure' ? '' : r.reason;
}
