/**
 * The lab's threat feeds (issue #8 section 3): a few addresses of lab organizations' hosts are listed on
 * feed files in the published formats (Feodo Tracker CSV, URLhaus CSV, Spamhaus DROP, blocklist.de, a
 * FireHOL-style netset, Tor's exit-addresses), among addresses of no lab host. The truth lists every host
 * the listings reach; a scan finds them once the files are imported (`vitals feeds import`, docs/lab.md).
 */
import { type FeedCategory, REPUTATION_FINDINGS } from '../../core/reputation.js';
import { createRng } from './rng.js';
import type { TruthOrganization, TruthWeakness } from './truth.js';

/** One lab feed file: its name (the feed name on import) and category (given with `--category`). */
export interface LabFeed {
  file: string;
  category: FeedCategory;
}

export const LAB_FEEDS: readonly LabFeed[] = [
  { file: 'feodo-ipblocklist.csv', category: 'botnet_c2' },
  { file: 'urlhaus-recent.csv', category: 'malware' },
  { file: 'spamhaus-drop.txt', category: 'spam' },
  { file: 'blocklist-de-all.txt', category: 'bruteforce' },
  { file: 'scanners.netset', category: 'scanning' },
  { file: 'tor-exit-addresses', category: 'tor_exit' },
];

const FINDING_OF = REPUTATION_FINDINGS;

/** One planted listing: a lab address (or the /24 around it, as Spamhaus lists netblocks) on one feed. */
export interface LabListing {
  feed: LabFeed;
  organization: string;
  /** `127.16.0.4` or `127.16.0.0/24`. */
  network: string;
  firstListed: string;
  lastListed: string;
}

/** Every fourth organization from the second has one address listed; the categories take turns. */
const EVERY = 4;
const DAY_MS = 86_400_000;

function inNetwork(address: string, network: string): boolean {
  if (!network.includes('/')) return address === network;
  return address.startsWith(network.slice(0, network.lastIndexOf('.') + 1));
}

function feedOf(category: FeedCategory): LabFeed {
  return LAB_FEEDS.find((f) => f.category === category)!;
}

/** Plans the listings over the truth's hosts (same seed and organizations, same plan). */
export function planLabListings(seed: number, organizations: readonly TruthOrganization[]): LabListing[] {
  const owners = new Map<string, Set<string>>();
  for (const org of organizations)
    for (const host of org.hosts)
      for (const a of host.addresses) owners.set(a, (owners.get(a) ?? new Set()).add(org.name));
  const listings: LabListing[] = [];
  const categories = LAB_FEEDS.map((f) => f.category);
  let turn = 0;
  organizations.forEach((org, i) => {
    if (i % EVERY !== 1) return;
    // Only addresses no other organization's host has: a listing must point at one organization.
    const own = [...new Set(org.hosts.flatMap((h) => h.addresses))].filter((a) => owners.get(a)?.size === 1).sort();
    if (own.length === 0) return;
    const rng = createRng(seed, 'iprep', i);
    const address = rng.pick(own);
    const category = categories[turn % categories.length]!;
    const first = Date.UTC(2025, 0, 1) + rng.int(300) * DAY_MS;
    const dates = {
      firstListed: new Date(first).toISOString(),
      lastListed: new Date(first + (1 + rng.int(60)) * DAY_MS).toISOString(),
    };
    const slash24 = `${address.slice(0, address.lastIndexOf('.'))}.0/24`;
    const wholeBlockIsOurs = [...owners].every(
      ([a, names]) => !inNetwork(a, slash24) || (names.size === 1 && names.has(org.name)),
    );
    const network = category === 'spam' && wholeBlockIsOurs ? slash24 : address;
    listings.push({ feed: feedOf(category), organization: org.name, network, ...dates });
    // The first botnet controller is a Tor exit too: one address, two feeds, two findings.
    if (turn === 0) listings.push({ feed: feedOf('tor_exit'), organization: org.name, network: address, ...dates });
    turn++;
  });
  return listings;
}

/** The findings the listings mean: every host of the listed organization with a listed address, per category. */
export function labReputationWeaknesses(
  listings: readonly LabListing[],
  organizations: readonly TruthOrganization[],
): TruthWeakness[] {
  const weaknesses: TruthWeakness[] = [];
  for (const org of organizations) {
    for (const host of org.hosts) {
      const byCategory = new Map<FeedCategory, Set<string>>();
      for (const l of listings)
        if (l.organization === org.name && host.addresses.some((a) => inNetwork(a, l.network)))
          byCategory.set(l.feed.category, (byCategory.get(l.feed.category) ?? new Set()).add(l.feed.file));
      for (const [category, feeds] of byCategory)
        weaknesses.push({
          type: FINDING_OF[category],
          organization: org.name,
          host: host.host,
          evidence: { category, feeds: [...feeds].sort() },
        });
    }
  }
  return weaknesses;
}

const day = (iso: string): string => iso.slice(0, 10);
const stamp = (iso: string): string => iso.slice(0, 19).replace('T', ' ');

/** The feed files, each with entries of no lab host besides the planted ones (documentation addresses). */
export function renderLabFeedFiles(listings: readonly LabListing[]): Record<string, string> {
  const on = (category: FeedCategory) => listings.filter((l) => l.feed.category === category);
  const files: Record<string, string> = {};
  files['feodo-ipblocklist.csv'] = [
    '################################################################',
    '# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #',
    '# Vitals lab copy: the format of feodotracker.abuse.ch         #',
    '################################################################',
    '#',
    '# "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
    '"2024-11-02 08:14:51","198.51.100.23","443","online","2025-06-30","QakBot"',
    ...on('botnet_c2').map(
      (l) => `"${stamp(l.firstListed)}","${l.network}","8443","online","${day(l.lastListed)}","Pikabot"`,
    ),
    `# Number of entries: ${on('botnet_c2').length + 1}`,
  ].join('\n');
  files['urlhaus-recent.csv'] = [
    '################################################################',
    '# abuse.ch URLhaus Database Dump (CSV - recent URLs only)      #',
    '################################################################',
    '#',
    '# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter',
    '"900000","2025-05-29 10:12:41","http://198.51.100.66/bins/arm7","offline","","malware_download","elf",' +
      '"https://urlhaus.abuse.ch/url/900000/","lab"',
    '"900001","2025-05-30 12:58:06","http://payload.invalid/bins/x86","online","","malware_download","elf",' +
      '"https://urlhaus.abuse.ch/url/900001/","lab"',
    ...on('malware').map(
      (l, i) =>
        `"${900002 + i}","${stamp(l.firstListed)}","http://${l.network}:8080/invoice.exe","online",` +
        `"${stamp(l.lastListed)}","malware_download","exe","https://urlhaus.abuse.ch/url/${900002 + i}/","lab"`,
    ),
  ].join('\n');
  files['spamhaus-drop.txt'] = [
    '; Spamhaus DROP List (Vitals lab copy, the format of www.spamhaus.org/drop/drop.txt)',
    '; Last-Modified: Tue, 01 Jul 2025 00:00:00 GMT',
    '203.0.113.0/24 ; SBL000001',
    ...on('spam').map(
      (l, i) => `${l.network}${l.network.includes('/') ? '' : '/32'} ; SBL${String(100 + i).padStart(6, '0')}`,
    ),
  ].join('\n');
  files['blocklist-de-all.txt'] = ['198.51.100.77', ...on('bruteforce').map((l) => l.network)].join('\n');
  files['scanners.netset'] = [
    '#',
    '# scanners (Vitals lab copy, in the format of a FireHOL netset)',
    '#',
    '198.51.100.128/25',
    ...on('scanning').map((l) => l.network),
  ].join('\n');
  files['tor-exit-addresses'] = on('tor_exit')
    .concat([{ network: '198.51.100.200', lastListed: '2025-06-30T10:00:00.000Z' } as LabListing])
    .map((l, i) =>
      [
        `ExitNode ${(i + 1).toString(16).toUpperCase().padStart(40, 'A')}`,
        `Published ${stamp(l.lastListed)}`,
        `LastStatus ${stamp(l.lastListed)}`,
        `ExitAddress ${l.network} ${stamp(l.lastListed)}`,
      ].join('\n'),
    )
    .join('\n');
  for (const name of Object.keys(files)) files[name] += '\n';
  return files;
}
