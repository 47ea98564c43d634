/**
 * Product and version from what servers announce: BIND's version.bind, SSH identification strings, FTP
 * and SMTP greetings, HTTP Server and X-Powered-By headers. Each reading becomes a CPE 2.3 name with a
 * confidence; a distribution's package suffix (`Ubuntu-4ubuntu2.8`, `Debian-10+deb9u7`, `26.P2.el7`) is
 * parsed and lowers it, because distributions backport fixes without changing the upstream version.
 */
import type { DistributionPatch, SoftwareObservation } from '../../core/software.js';
import { formatCpe } from './cpe.js';

/** An upstream version banner read exactly. */
export const CONFIDENCE_UPSTREAM = 0.9;
/** A distribution package: the fix may be backported into the version the banner shows. */
export const CONFIDENCE_DISTRIBUTION = 0.6;

const DISTRIBUTION_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/ubuntu/i, 'ubuntu'],
  [/debian|\+deb\d+u\d+/i, 'debian'],
  [/red\s?hat|\.el\d+/i, 'redhat'],
  [/centos/i, 'centos'],
  [/fedora|\.fc\d+/i, 'fedora'],
];

/** The distribution a banner's trailing text names, with its package suffix and release; null if none. */
export function parseDistribution(text: string): DistributionPatch | null {
  const distribution = DISTRIBUTION_WORDS.find(([pattern]) => pattern.test(text))?.[1];
  if (distribution === undefined) return null;
  const ubuntu = /(\d+ubuntu[\d.~+]*\d)/i.exec(text);
  const debian = /(\d+\+deb(\d+)u\d+|deb(\d+)u\d+)/.exec(text);
  const redhat = /(\d+[\w.]*\.el(\d+)(?:_\d+)?)/.exec(text);
  if (ubuntu) return { distribution, suffix: ubuntu[1]! };
  if (debian) return { distribution, suffix: debian[1]!, release: `Debian ${debian[2] ?? debian[3]}` };
  if (redhat) return { distribution, suffix: redhat[1]!, release: `RHEL ${redhat[2]}` };
  return { distribution, suffix: '' };
}

interface Reading {
  vendor: string;
  product: string;
  version: string;
  /** CPE version and update, when the vendor's version carries an update (`9.11.4-P2` → `9.11.4`, `p2`). */
  cpeVersion?: string;
  update?: string;
  /** Text after the version that may name a distribution. */
  trailer: string;
}

type Reader = (banner: string) => Reading | null;

const READERS: ReadonlyArray<{ source: RegExp; read: Reader }> = [
  {
    // version.bind: `9.11.4-P2-RedHat-9.11.4-26.P2.el7`, `9.16.1-Ubuntu`, `BIND 9.11.3-1ubuntu1.2-Ubuntu`.
    source: /^version\.bind$/,
    read: (banner) => {
      const m = /^(?:BIND\s+)?(9\.\d+\.\d+)(?:-?((?:P|S)\d+|rc\d+|b\d+|a\d+))?(?:-(.*))?$/i.exec(banner.trim());
      if (!m) return null;
      const update = m[2]?.toLowerCase();
      return {
        vendor: 'isc',
        product: 'bind',
        version: update ? `${m[1]}-${m[2]}` : m[1]!,
        cpeVersion: m[1]!,
        ...(update ? { update } : {}),
        trailer: m[3] ?? '',
      };
    },
  },
  {
    // `SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7`, `SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5`.
    source: /./,
    read: (banner) => {
      const m = /^SSH-[\d.]+-OpenSSH_(\d+\.\d+(?:\.\d+)?)(p\d+)?\S*(?:\s+(.*))?$/.exec(banner.trim());
      if (!m) return null;
      return {
        vendor: 'openbsd',
        product: 'openssh',
        version: `${m[1]}${m[2] ?? ''}`,
        cpeVersion: m[1]!,
        ...(m[2] ? { update: m[2] } : {}),
        trailer: m[3] ?? '',
      };
    },
  },
  ...(
    [
      [/\bApache\/(\d+\.\d+\.\d+)((?:\s+\([^)]*\))*)/, 'apache', 'http_server'],
      [/\bnginx\/(\d+\.\d+\.\d+)((?:\s+\([^)]*\))*)/, 'f5', 'nginx'],
      [/\bMicrosoft-IIS\/(\d+\.\d+)()/, 'microsoft', 'internet_information_services'],
      [/\bvsFTPd (\d+\.\d+\.\d+)()/i, 'vsftpd_project', 'vsftpd'],
      [/\bProFTPD (\d+\.\d+\.\d+[a-z]?)((?:\s+\S+)?)/, 'proftpd', 'proftpd'],
      [/\bExim (\d+\.\d+(?:\.\d+)?)((?:\s+\S+)?)/, 'exim', 'exim'],
      [/\bPHP\/(\d+\.\d+\.\d+)(\S*)/, 'php', 'php'],
    ] as const
  ).map(([pattern, vendor, product]) => ({
    source: /./,
    read: (banner: string): Reading | null => {
      const m = pattern.exec(banner);
      return m ? { vendor, product, version: m[1]!, trailer: m[2] ?? '' } : null;
    },
  })),
];

/**
 * Reads a banner seen at `location` through `source` (`version.bind`, `ssh-banner`, `http-server-header`...);
 * null when no known product and version is in it.
 */
export function readSoftwareBanner(
  raw: string,
  source: string,
  location: SoftwareObservation['location'],
): SoftwareObservation | null {
  for (const reader of READERS) {
    if (!reader.source.test(source)) continue;
    // version.bind answers only name BIND (or another server, which no reader claims).
    if (source === 'version.bind' && reader !== READERS[0]) continue;
    const reading = reader.read(raw);
    if (reading === null) continue;
    const patch = parseDistribution(reading.trailer);
    return {
      location,
      source,
      raw,
      cpe: formatCpe({
        part: 'a',
        vendor: reading.vendor,
        product: reading.product,
        version: reading.cpeVersion ?? reading.version,
        update: reading.update ?? '*',
      }),
      vendor: reading.vendor,
      product: reading.product,
      version: reading.version,
      confidence: patch ? CONFIDENCE_DISTRIBUTION : CONFIDENCE_UPSTREAM,
      ...(patch ? { distributionPatch: patch } : {}),
    };
  }
  return null;
}
