/** Each published feed format, on small files written to it; bad lines refuse the file, naming them. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFeedFormat, FeedImportError, parseFeedText, toFeedImport } from './feed-file.js';
import type { FeedFormat } from './feed-types.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const NOW_ISO = NOW.toISOString();

function imported(text: string, options: { category?: string; format?: FeedFormat } = {}) {
  const parsed = parseFeedText(text, options.format);
  return toFeedImport('feed.txt', parsed, {
    name: 'test',
    now: NOW,
    ...(options.category !== undefined ? { category: options.category } : {}),
  });
}

function rejection(text: string, options: { category?: string; format?: FeedFormat } = {}): string {
  try {
    imported(text, options);
  } catch (error) {
    assert.ok(error instanceof FeedImportError, String(error));
    return error.message;
  }
  assert.fail('expected the file to be refused');
}

const FIREHOL = `#
# firehol_level1
#
# Maintainer      : FireHOL
# Category        : attacks
#
0.0.0.0/8
1.10.16.0/20
192.0.2.7
2001:db8::/32
`;

const SPAMHAUS_DROP = `; Spamhaus DROP List 2025/06/01 - (c) 2025 The Spamhaus Project SLU
; https://www.spamhaus.org/drop/drop.txt
; Last-Modified: Sun, 01 Jun 2025 04:18:19 GMT
1.10.16.0/20 ; SBL256894
1.19.0.0/16 ; SBL434604
`;

const SPAMHAUS_JSON = [
  '{"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}',
  '{"cidr":"1.19.0.0/16","sblid":"SBL434604","rir":"apnic"}',
  '{"type":"metadata","timestamp":1748751499,"size":1234,"records":2,' +
    '"copyright":"(c) 2025 The Spamhaus Project SLU","terms":"https://www.spamhaus.org/drop/terms/"}',
  '',
].join('\n');

const FEODO = `################################################################
# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #
# Last updated: 2025-06-01 11:04:04 UTC                        #
#                                                              #
# Terms Of Use: https://feodotracker.abuse.ch/blocklist/       #
################################################################
#
# "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"
"2021-01-17 07:44:46","51.75.25.178","443","online","2025-05-31","Pikabot"
"2023-05-02 10:00:00","198.51.100.4","8080","offline","2024-01-07","QakBot"
# Number of entries: 2
`;

const URLHAUS = [
  '################################################################',
  '# abuse.ch URLhaus Database Dump (CSV - recent URLs only)      #',
  '################################################################',
  '#',
  '# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter',
  '"3001","2025-05-30 12:58:06","http://198.51.100.9:36585/i","online","2025-05-31 01:00:00","malware_download",' +
    '"32-bit,elf,mips,Mozi","https://urlhaus.abuse.ch/url/3001/","geenensp"',
  '"3002","2025-05-30 13:00:00","https://bad.example/x.exe","online","","malware_download","exe",' +
    '"https://urlhaus.abuse.ch/url/3002/","anonymous"',
  '"3003","2025-05-29 08:00:00","http://[2001:db8::9]/payload","offline","","malware_download","",' +
    '"https://urlhaus.abuse.ch/url/3003/","anonymous"',
  '',
].join('\n');

const TOR_EXIT_ADDRESSES = `ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E
Published 2025-05-31 09:35:58
LastStatus 2025-05-31 10:00:00
ExitAddress 162.247.74.201 2025-05-31 10:09:28
ExitNode 0091174DE56EADB9E1C3FC1BDA0B7C2F8E1D8F25
Published 2025-05-31 01:06:13
LastStatus 2025-05-31 11:00:00
ExitAddress 185.220.101.1 2025-05-31 11:03:00
`;

const MISP = JSON.stringify({
  Event: {
    info: 'Emotet C2',
    date: '2025-05-20',
    Attribute: [
      { type: 'ip-dst', category: 'Network activity', value: '203.0.113.5', timestamp: '1748000000', to_ids: true },
      { type: 'ip-dst|port', category: 'Network activity', value: '203.0.113.6|8080', timestamp: '1748000000' },
      { type: 'domain', category: 'Network activity', value: 'bad.example', timestamp: '1748000000' },
    ],
    Object: [
      {
        name: 'domain-ip',
        Attribute: [{ type: 'domain|ip', value: 'c2.example|2001:db8::5', first_seen: '2025-05-01T00:00:00Z' }],
      },
    ],
  },
});

const STIX = JSON.stringify({
  type: 'bundle',
  id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
  objects: [
    {
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd',
      value: '198.51.100.3',
    },
    {
      type: 'ipv6-addr',
      spec_version: '2.1',
      id: 'ipv6-addr--1e61d36c-a16c-53b7-a80f-2a00161c96b1',
      value: '2001:db8::/96',
    },
    {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2025-05-01T10:00:00.000Z',
      modified: '2025-05-20T10:00:00.000Z',
      indicator_types: ['malicious-activity'],
      pattern: "[ipv4-addr:value = '203.0.113.10' OR ipv4-addr:value ISSUBSET '203.0.113.128/25']",
      pattern_type: 'stix',
      valid_from: '2025-05-01T10:00:00Z',
    },
    {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--1b2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2025-05-01T10:00:00.000Z',
      modified: '2025-05-01T10:00:00.000Z',
      pattern: "[ipv4-addr:value = '203.0.113.11' AND network-traffic:dst_port = 443]",
      pattern_type: 'stix',
      valid_from: '2025-05-01T10:00:00Z',
    },
    {
      type: 'malware',
      spec_version: '2.1',
      id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
      name: 'Emotet',
      is_family: true,
    },
  ],
});

describe('feed formats', () => {
  test('each format is told from its content', () => {
    const cases: [string, FeedFormat][] = [
      [FIREHOL, 'netset'],
      [SPAMHAUS_DROP, 'netset'],
      [SPAMHAUS_JSON, 'spamhaus-json'],
      [FEODO, 'feodo-csv'],
      [URLHAUS, 'urlhaus-csv'],
      [TOR_EXIT_ADDRESSES, 'tor-exit-addresses'],
      [MISP, 'misp'],
      [`[${MISP}]`, 'misp'],
      [STIX, 'stix'],
      ['192.0.2.1\n192.0.2.2\n', 'netset'],
    ];
    for (const [text, format] of cases) assert.equal(detectFeedFormat(text), format, text.slice(0, 60));
  });

  test('FireHOL netset: addresses and CIDRs, comments skipped, dated at import; the category must be given', () => {
    assert.match(rejection(FIREHOL), /give --category/);
    const feed = imported(FIREHOL, { category: 'scanning' });
    assert.deepEqual(
      feed.entries.map((e) => e.network),
      ['0.0.0.0/8', '1.10.16.0/20', '192.0.2.7/32', '2001:db8::/32'],
    );
    assert.ok(
      feed.entries.every((e) => e.category === 'scanning' && e.firstListed === NOW_ISO && e.lastListed === NOW_ISO),
    );
  });

  test('Spamhaus DROP text: "; SBL" comments; spam unless told otherwise', () => {
    const feed = imported(SPAMHAUS_DROP);
    assert.equal(feed.category, 'spam');
    assert.deepEqual(
      feed.entries.map((e) => e.network),
      ['1.10.16.0/20', '1.19.0.0/16'],
    );
    assert.equal(imported(SPAMHAUS_DROP, { category: 'malware' }).category, 'malware');
  });

  test('Spamhaus DROP JSON lines: the metadata timestamp is the last listing date', () => {
    const feed = imported(SPAMHAUS_JSON);
    assert.equal(feed.format, 'spamhaus-json');
    assert.deepEqual(
      feed.entries.map((e) => [e.network, e.lastListed]),
      [
        ['1.10.16.0/20', '2025-06-01T04:18:19.000Z'],
        ['1.19.0.0/16', '2025-06-01T04:18:19.000Z'],
      ],
    );
  });

  test('Feodo Tracker CSV: botnet C2 servers with first seen and last online dates', () => {
    const feed = imported(FEODO);
    assert.equal(feed.category, 'botnet_c2');
    assert.deepEqual(feed.entries, [
      {
        network: '51.75.25.178/32',
        category: 'botnet_c2',
        firstListed: '2021-01-17T07:44:46.000Z',
        lastListed: '2025-05-31T00:00:00.000Z',
      },
      {
        network: '198.51.100.4/32',
        category: 'botnet_c2',
        firstListed: '2023-05-02T10:00:00.000Z',
        lastListed: '2024-01-07T00:00:00.000Z',
      },
    ]);
  });

  test('URLhaus CSV: the IP hosts of URLs; URLs with names are counted, not imported', () => {
    const feed = imported(URLHAUS);
    assert.equal(feed.category, 'malware');
    assert.deepEqual(
      feed.entries.map((e) => [e.network, e.firstListed, e.lastListed]),
      [
        ['198.51.100.9/32', '2025-05-30T12:58:06.000Z', '2025-05-31T01:00:00.000Z'],
        ['2001:db8::9/128', '2025-05-29T08:00:00.000Z', NOW_ISO],
      ],
    );
    assert.deepEqual(feed.skipped, { 'URL host is a name, not an address': 1 });
  });

  test('blocklist.de and the Tor bulk exit list are plain address lists', () => {
    assert.equal(imported('192.0.2.50\n192.0.2.51\n', { category: 'bruteforce' }).entries.length, 2);
    const tor = imported('185.220.101.1\n162.247.74.201\n', { category: 'tor_exit' });
    assert.deepEqual(
      tor.entries.map((e) => e.network),
      ['185.220.101.1/32', '162.247.74.201/32'],
    );
  });

  test('Tor exit-addresses: each ExitAddress with the time it was seen; tor_exit', () => {
    const feed = imported(TOR_EXIT_ADDRESSES);
    assert.equal(feed.category, 'tor_exit');
    assert.deepEqual(
      feed.entries.map((e) => [e.network, e.lastListed]),
      [
        ['162.247.74.201/32', '2025-05-31T10:09:28.000Z'],
        ['185.220.101.1/32', '2025-05-31T11:03:00.000Z'],
      ],
    );
  });

  test('MISP events: ip-src/ip-dst, with port, and domain|ip attributes, in objects too', () => {
    const feed = imported(MISP, { category: 'botnet_c2' });
    assert.deepEqual(
      feed.entries.map((e) => [e.network, e.firstListed]),
      [
        ['203.0.113.5/32', '2025-05-20T00:00:00.000Z'],
        ['203.0.113.6/32', '2025-05-20T00:00:00.000Z'],
        ['2001:db8::5/128', '2025-05-01T00:00:00.000Z'],
      ],
    );
    assert.deepEqual(feed.skipped, { 'attribute type domain': 1 });
    assert.match(rejection(MISP), /give --category/);
  });

  test('STIX 2.1: address objects and address-only indicator patterns; other patterns are counted', () => {
    const feed = imported(STIX, { category: 'malware' });
    assert.deepEqual(
      feed.entries.map((e) => e.network),
      ['198.51.100.3/32', '2001:db8::/96', '203.0.113.10/32', '203.0.113.128/25'],
    );
    assert.equal(feed.entries[2]!.firstListed, '2025-05-01T10:00:00.000Z');
    assert.equal(feed.entries[2]!.lastListed, '2025-05-20T10:00:00.000Z');
    assert.deepEqual(feed.skipped, { 'indicator pattern is not only IP addresses': 1, 'STIX malware': 1 });
  });

  test('bad lines refuse the file with their line numbers', () => {
    const message = rejection('192.0.2.1\n300.1.1.1\n\n192.0.2.0/33\n010.1.1.1\n', { category: 'spam' });
    assert.match(message, /line 2: "300\.1\.1\.1" is not an IP address or CIDR/);
    assert.match(message, /line 4: "192\.0\.2\.0\/33"/);
    assert.match(message, /line 5: "010\.1\.1\.1"/);
    assert.doesNotMatch(message, /line 1/);
    assert.match(
      rejection(FEODO.replace('"51.75.25.178"', '"51.75.25"')),
      /line 9: dst_ip "51\.75\.25" is not an IP address/,
    );
    assert.match(
      rejection(FEODO.replace('"2021-01-17 07:44:46"', '"yesterday"')),
      /line 9: first_seen_utc "yesterday"/,
    );
    assert.match(rejection(URLHAUS.replace('"3001",', '')), /line 6: expected 9 comma-separated fields/);
    assert.match(
      rejection(TOR_EXIT_ADDRESSES.replace('ExitAddress 185.220.101.1', 'ExitAddress 185.220')),
      /line 8: expected/,
    );
    assert.match(
      rejection(SPAMHAUS_JSON.replace('"cidr":"1.19.0.0/16"', '"cidr":"1.19.0.0/99"')),
      /line 2: no valid "cidr"/,
    );
    assert.match(rejection('{not json', { format: 'stix' }), /bundle: no "objects" array/);
  });

  test('a file listing nothing is refused; one network listed twice is one entry with the widest dates', () => {
    assert.match(rejection('# only comments\n', { category: 'spam' }), /no IP addresses/);
    const feed = imported(TOR_EXIT_ADDRESSES.replace('185.220.101.1', '162.247.74.201'));
    assert.deepEqual(feed.entries, [
      {
        network: '162.247.74.201/32',
        category: 'tor_exit',
        firstListed: '2025-05-31T10:09:28.000Z',
        lastListed: '2025-05-31T11:03:00.000Z',
      },
    ]);
  });
});
