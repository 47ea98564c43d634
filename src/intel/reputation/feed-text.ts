/**
 * Line-oriented feeds: plain IP/CIDR lists (FireHOL `.netset`/`.ipset`, blocklist.de, the Tor bulk exit
 * list, Spamhaus DROP/EDROP text with `; SBL...` comments) and Tor's `exit-addresses` document.
 */
import { canonicalNetwork } from './network.js';
import { emptyFeed, feedDate, type ParsedFeed } from './feed-types.js';

/**
 * One address or CIDR a line; `#` and `;` start comments (whole-line or trailing, as Spamhaus writes
 * `1.10.16.0/20 ; SBL256894`). Anything else on a line is a problem: a list is machine-written, and a
 * line that is not an address means the file is not what the user thinks.
 */
export function parseNetset(text: string): ParsedFeed {
  const spamhaus = /^\s*;.*spamhaus/im.test(text.slice(0, 4096));
  const feed = emptyFeed('netset', spamhaus ? 'spam' : null);
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (line === '') return;
    const network = canonicalNetwork(line);
    if (network === null) {
      feed.problems.push({ where: `line ${i + 1}`, message: `"${line.slice(0, 80)}" is not an IP address or CIDR` });
      return;
    }
    feed.entries.push({ network });
  });
  return feed;
}

/**
 * Tor's exit-addresses document (check.torproject.org/exit-addresses): per relay `ExitNode FINGERPRINT`,
 * `Published`, `LastStatus`, then one or more `ExitAddress IP YYYY-MM-DD HH:MM:SS` (when the exit was
 * last seen using that address). Only ExitAddress lines list addresses.
 */
export function parseTorExitAddresses(text: string): ParsedFeed {
  const feed = emptyFeed('tor-exit-addresses', 'tor_exit');
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [keyword, ...rest] = line.split(/\s+/);
    if (keyword === 'ExitNode' || keyword === 'Published' || keyword === 'LastStatus') return;
    if (keyword !== 'ExitAddress') {
      feed.problems.push({ where: `line ${i + 1}`, message: `unknown keyword "${keyword?.slice(0, 40)}"` });
      return;
    }
    const network = canonicalNetwork(rest[0] ?? '');
    const seen = feedDate(rest.slice(1).join(' '));
    if (network === null || !/\/(32|128)$/.test(network) || seen === null) {
      feed.problems.push({ where: `line ${i + 1}`, message: 'expected "ExitAddress IP YYYY-MM-DD HH:MM:SS"' });
      return;
    }
    feed.entries.push({ network, firstListed: seen, lastListed: seen });
  });
  return feed;
}
