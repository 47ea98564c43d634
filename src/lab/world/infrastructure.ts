/**
 * The lab's shared infrastructure: addresses, the provider name servers, and the zones every
 * organization leans on (mail providers with nested SPF includes, a video provider, a CDN, a cloud
 * host whose names can dangle). Everything lives in 127.0.x.y; organizations live in 127.16.0.0 and up.
 */
import type { Answer } from 'dns-packet';
import type { LabZone } from '../dns/lab-dns.types.js';

/** The lab's recursive resolver (what `vitals scan --resolver` points at). */
export const LAB_RESOLVER_ADDRESS = '127.0.53.1';

/** Provider name servers, in different /24s so provider-hosted organizations are not dns.ns.single. */
export const PROVIDER_NAME_SERVERS = [
  { host: 'ns1.lab-dns.test', address: '127.0.53.10' },
  { host: 'ns2.lab-dns.test', address: '127.0.54.10' },
] as const;

/** TTL used for ordinary lab records. */
export const LAB_TTL = 300;

/** Organization i's address for host number h (1..200): 127.(16 + i/256).(i%256).h. */
export function orgAddress(index: number, host: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 240 * 256)
    throw new Error(`organization index out of range: ${index}`);
  if (!Number.isInteger(host) || host < 1 || host > 200) throw new Error(`host number out of range: ${host}`);
  return `127.${16 + Math.floor(index / 256)}.${index % 256}.${host}`;
}

/**
 * Address of an organization's secondary name server hosted "off-site": 127.1.x.y, a /24 shared by
 * 250 organizations' secondaries and never the organization's own /24.
 */
export function orgSecondaryNsAddress(index: number): string {
  return `127.1.${Math.floor(index / 250)}.${1 + (index % 250)}`;
}

/** SPF include targets and how many DNS-lookup terms each costs, the include itself included (RFC 7208 4.6.4). */
export const SPF_INCLUDES = {
  mailhostA: { term: 'include:_spf.mailhost-a.test', lookups: 4 },
  mailhostB: { term: 'include:spf.mailhost-b.test', lookups: 2 },
  bulkmailer: { term: 'include:spf.bulkmailer.test', lookups: 5 },
} as const;

/**
 * SPF terms of the weaknesses check_host() meets past the apex record (RFC 7208 4.6.4, 5.2): an include
 * of a relay a provider retired (the name no longer exists: permerror), and an `mx:` over a relay pool
 * with 11 mail exchangers (more than the 10 address look-ups one mx term may need: permerror).
 */
export const SPF_REACH_TERMS = {
  retiredInclude: { term: 'include:_spf.retired-relay.bulkmailer.test', lookups: 1 },
  mxPool: { term: 'mx:relay-pool.bulkmailer.test', lookups: 1 },
} as const;
export const MX_POOL_SIZE = 11;

/** Mail exchangers of the two mail providers. */
export const MAIL_PROVIDER_MX = {
  'mailhost-a': [
    { preference: 10, exchange: 'mx1.mailhost-a.test' },
    { preference: 20, exchange: 'mx2.mailhost-a.test' },
  ],
  'mailhost-b': [{ preference: 10, exchange: 'mx.mailhost-b.test' }],
} as const;

/** Name a mail-provider tenant's DKIM selector CNAMEs to (a 2048-bit key). */
export const MAILHOST_A_DKIM_TARGET = 's2048._domainkey.mailhost-a.test';

/** Zone under which dangling CNAME targets point: it exists, the names in it do not. */
export const CLOUDSITES_ZONE = 'cloudsites.test';
/** Video provider: `*.video-provider.test` resolves. */
export const VIDEO_PROVIDER_ZONE = 'video-provider.test';
/** CDN: `*.cdn-edge.test` resolves. */
export const CDN_ZONE = 'cdn-edge.test';

export const VIDEO_PROVIDER_ADDRESS = '127.0.63.10';
export const CDN_ADDRESS = '127.0.64.10';

/** Public keys for DKIM records (keys need not be unique; these are fixed so zones are reproducible). */
export const DKIM_KEYS = {
  /** RSA 1024-bit SubjectPublicKeyInfo, base64: weak (RFC 8301 section 3.2 requires ≥ 1024, recommends 2048). */
  rsa1024:
    'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDATYhwOEEMeg0ND2Zl1YRuDYqZLDPrDAL3Gf+evDUpD6WAmFPEDHhBjkTK/6fVweKjn' +
    '9xoU73y6DxRq/8w4R+I9UJ2ZzO3CkLM15okSQrByFV2xOgTWYK/7kaDLINaCbAki0vUigDxrZCD34KRn2p+wopsyMr/u0Fr7bQkNPKABwIDAQAB',
  /** RSA 2048-bit SubjectPublicKeyInfo, base64. */
  rsa2048:
    'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArkzGuMkegwHSmWPnThIDDuIHta2w/w1eNZdRvRNvetat9YM+TaOU1YdX4bnhU' +
    'g9JdE2QiuVh6KDRsOvMWP2HmR9E4lhkPNSD1tT2SuZCELq3gpicG/4Vx6HD5z5vL/SASNnzOiRtErSu9CBNIWVkhrVJh6Vr9JTpLOoN' +
    'o4J8FTUf+430+qp/mE+Dbwm7mTEUmIEj0ldpDt4178glzSOXk/6TDz3sUPCCs8r34+8gFwiccWpBGwS6y9AvEG2jz91VVnpBty5eR' +
    'SdIknLnyhRvQnEKX9TZyUUFb25BLMy9vqb7YDF6f11RYJkBo1MK0eHtVSokLpjlrSqhtPzdHijSxQIDAQAB',
  /** Ed25519 raw 32-byte public key, base64 (RFC 8463 section 4: not SPKI). */
  ed25519: 'KvQOObY02qyrfkJQzAMTKmovpgLkGBidobeN7NvYSMc=',
} as const;

/** A DKIM TXT record's strings: RFC 1035 3.3.14 limits one character-string to 255 octets. */
export function dkimTxt(key: 'rsa1024' | 'rsa2048' | 'ed25519'): string[] {
  const text = key === 'ed25519' ? `v=DKIM1; k=ed25519; p=${DKIM_KEYS.ed25519}` : `v=DKIM1; k=rsa; p=${DKIM_KEYS[key]}`;
  return splitTxt(text);
}

/** Splits text into character-strings of at most 255 octets. */
export function splitTxt(text: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 255) parts.push(text.slice(i, i + 255));
  return parts;
}

/** SOA for a zone; the serial grows with each change so secondaries would notice (RFC 1034 4.3.5). */
export function soaRecord(origin: string, primary: string, revision: number): Answer {
  return {
    name: origin,
    type: 'SOA',
    ttl: 3600,
    class: 'IN',
    data: {
      mname: primary,
      rname: `hostmaster.${origin}`,
      serial: 2026010100 + revision,
      refresh: 7200,
      retry: 3600,
      expire: 1209600,
      // RFC 2308 section 4: negative-caching TTL.
      minimum: 300,
    },
  };
}

function a(name: string, address: string): Answer {
  return { name, type: 'A', ttl: LAB_TTL, class: 'IN', data: address };
}

function txt(name: string, text: string): Answer {
  return { name, type: 'TXT', ttl: LAB_TTL, class: 'IN', data: splitTxt(text) };
}

function providerNs(origin: string): Answer[] {
  return PROVIDER_NAME_SERVERS.map(
    (ns) => ({ name: origin, type: 'NS', ttl: 3600, class: 'IN', data: ns.host }) as Answer,
  );
}

function zone(origin: string, records: Answer[]): LabZone {
  return {
    origin,
    records: [soaRecord(origin, PROVIDER_NAME_SERVERS[0].host, 0), ...providerNs(origin), ...records],
    axfr: 'closed',
  };
}

/** The infrastructure zones (unsigned), all served by the provider name servers. */
export function infrastructureZones(): LabZone[] {
  return [
    zone('lab-dns.test', [
      a('ns1.lab-dns.test', PROVIDER_NAME_SERVERS[0].address),
      a('ns2.lab-dns.test', PROVIDER_NAME_SERVERS[1].address),
      a('resolver.lab-dns.test', LAB_RESOLVER_ADDRESS),
    ]),
    zone('mailhost-a.test', [
      a('mx1.mailhost-a.test', '127.0.60.10'),
      a('mx2.mailhost-a.test', '127.0.60.11'),
      // Nested includes like large providers publish: one include costs 4 look-ups in total.
      txt(
        '_spf.mailhost-a.test',
        'v=spf1 include:_spf1.mailhost-a.test include:_spf2.mailhost-a.test include:_spf3.mailhost-a.test ~all',
      ),
      txt('_spf1.mailhost-a.test', 'v=spf1 ip4:127.0.60.0/24 ip4:198.51.100.0/25 ~all'),
      txt('_spf2.mailhost-a.test', 'v=spf1 ip4:198.51.100.128/25 ~all'),
      txt('_spf3.mailhost-a.test', 'v=spf1 ip4:203.0.113.0/26 ip6:2001:db8:60::/48 ~all'),
      { name: MAILHOST_A_DKIM_TARGET, type: 'TXT', ttl: LAB_TTL, class: 'IN', data: dkimTxt('rsa2048') },
    ]),
    zone('mailhost-b.test', [
      a('mx.mailhost-b.test', '127.0.61.10'),
      txt('spf.mailhost-b.test', 'v=spf1 ip4:127.0.61.0/24 include:spf2.mailhost-b.test -all'),
      txt('spf2.mailhost-b.test', 'v=spf1 ip4:203.0.113.64/26 -all'),
    ]),
    zone('bulkmailer.test', [
      txt(
        'spf.bulkmailer.test',
        'v=spf1 include:_s1.bulkmailer.test include:_s2.bulkmailer.test include:_s3.bulkmailer.test ' +
          'include:_s4.bulkmailer.test ~all',
      ),
      txt('_s1.bulkmailer.test', 'v=spf1 ip4:127.0.62.0/26 ~all'),
      txt('_s2.bulkmailer.test', 'v=spf1 ip4:127.0.62.64/26 ~all'),
      txt('_s3.bulkmailer.test', 'v=spf1 ip4:127.0.62.128/26 ~all'),
      txt('_s4.bulkmailer.test', 'v=spf1 ip4:127.0.62.192/26 ~all'),
      ...relayPool('relay-pool.bulkmailer.test'),
    ]),
    zone(VIDEO_PROVIDER_ZONE, [
      a(`*.${VIDEO_PROVIDER_ZONE}`, VIDEO_PROVIDER_ADDRESS),
      a(`www.${VIDEO_PROVIDER_ZONE}`, '127.0.63.11'),
    ]),
    zone(CDN_ZONE, [a(`*.${CDN_ZONE}`, CDN_ADDRESS), a(`www.${CDN_ZONE}`, '127.0.64.11')]),
    zone(CLOUDSITES_ZONE, [a(`www.${CLOUDSITES_ZONE}`, '127.0.65.10')]),
  ];
}

/** A name with MX_POOL_SIZE mail exchangers, each with an address (127.0.62.21 and up). */
function relayPool(name: string): Answer[] {
  return Array.from({ length: MX_POOL_SIZE }, (_, i) => {
    const exchange = `mx${String(i + 1).padStart(2, '0')}.${name}`;
    return [
      { name, type: 'MX', ttl: LAB_TTL, class: 'IN', data: { preference: 10, exchange } } as Answer,
      a(exchange, `127.0.62.${21 + i}`),
    ];
  }).flat();
}

/** Labels under `test` that the lab's own zones use; organization slugs must avoid them. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'lab-dns',
  'mailhost-a',
  'mailhost-b',
  'bulkmailer',
  'video-provider',
  'cdn-edge',
  'cloudsites',
  'example',
]);
