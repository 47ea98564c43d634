/**
 * Product and version from what servers announce: BIND's version.bind, SSH identification strings, FTP
 * and SMTP greetings, HTTP Server and X-Powered-By headers. Each reading becomes a CPE 2.3 name with a
 * confidence; a distribution's package suffix (`Ubuntu-4ubuntu2.8`, `Debian-10+deb9u7`, `26.P2.el7`) is
 * parsed and lowers it, because distributions backport fixes without changing the upstream version.
 */
import type { DistributionPatch, SoftwareObservation } from '../../core/software.js';
import { formatCpe, parseCpe } from './cpe.js';

/** An upstream version banner read exactly. */
export const CONFIDENCE_UPSTREAM = 0.9;
/** A distribution package: the fix may be backported into the version the banner shows. */
export const CONFIDENCE_DISTRIBUTION = 0.6;
/**
 * A version read from a file name (`jquery-2.2.4.min.js`) or a page's generator tag: usually right, but
 * a site may rename or vendor a file, or leave a stale tag.
 */
export const CONFIDENCE_NAMED = 0.8;

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

/** Product tokens servers put in greetings and headers (`Apache/2.4.49 (Unix)`, `220 (vsFTPd 2.3.4)`). */
const TOKEN_PRODUCTS: ReadonlyArray<readonly [RegExp, string, string]> = [
  [/\bApache\/(\d+\.\d+\.\d+)((?:\s+\([^)]*\))*)/, 'apache', 'http_server'],
  [/\bnginx\/(\d+\.\d+\.\d+)((?:\s+\([^)]*\))*)/, 'f5', 'nginx'],
  [/\bMicrosoft-IIS\/(\d+\.\d+)()/, 'microsoft', 'internet_information_services'],
  [/\bvsFTPd (\d+\.\d+\.\d+)()/i, 'vsftpd_project', 'vsftpd'],
  [/\bProFTPD (\d+\.\d+\.\d+[a-z]?)((?:\s+\S+)?)/, 'proftpd', 'proftpd'],
  [/\bExim (\d+\.\d+(?:\.\d+)?)((?:\s+\S+)?)/, 'exim', 'exim'],
  [/\bPHP\/(\d+\.\d+\.\d+)(\S*)/, 'php', 'php'],
];

const tokenReaders: Reader[] = TOKEN_PRODUCTS.map(([pattern, vendor, product]) => (banner: string) => {
  const m = pattern.exec(banner);
  return m ? { vendor, product, version: m[1]!, trailer: m[2] ?? '' } : null;
});

/** `SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7`, `SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5`. */
const readOpenSsh: Reader = (banner) => {
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
};

/** version.bind: `9.11.4-P2-RedHat-9.11.4-26.P2.el7`, `9.16.1-Ubuntu`, `BIND 9.11.3-1ubuntu1.2-Ubuntu`. */
const readBind: Reader = (banner) => {
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
};

/**
 * A server that reports its bare version in a protocol field (MySQL's greeting, Redis INFO, MongoDB
 * buildInfo, Elasticsearch's root document): the field names the product, the text is the version.
 */
function bareVersion(vendor: string, product: string): Reader {
  return (text) => {
    const m = /^(\d+\.\d+(?:\.\d+)?)(.*)$/.exec(text.trim());
    return m ? { vendor, product, version: m[1]!, trailer: m[2] ?? '' } : null;
  };
}

/** MySQL's greeting: `8.0.36`, `5.5.62-log`, `5.7.42-0ubuntu0.18.04.1`; MariaDB's `5.5.5-10.3.39-MariaDB-0+deb10u1`. */
const readMysql: Reader = (text) => {
  const maria = /^(?:5\.5\.5-)?(\d+\.\d+\.\d+)-MariaDB(.*)$/i.exec(text.trim());
  if (maria) return { vendor: 'mariadb', product: 'mariadb', version: maria[1]!, trailer: maria[2] ?? '' };
  return bareVersion('oracle', 'mysql')(text);
};

/**
 * Which readers each source gets. Banners that name their product (greetings, headers) go through the
 * product tokens; protocol fields that carry a bare version are read as the product the protocol names.
 * Sources: version.bind (dns-infra); ssh/ftp/smtp/telnet/pop3/imap banners, the SIP Server header, the
 * MySQL greeting, Redis INFO, MongoDB buildInfo, Elasticsearch's root document and SQL Server's PRELOGIN
 * version (services); HTTP Server
 * and X-Powered-By headers (web).
 */
const READERS_BY_SOURCE: Readonly<Record<string, readonly Reader[]>> = {
  'version.bind': [readBind],
  'ssh-banner': [readOpenSsh],
  'ftp-banner': tokenReaders,
  'smtp-banner': tokenReaders,
  'telnet-banner': tokenReaders,
  'pop3-banner': tokenReaders,
  'imap-banner': tokenReaders,
  'sip-server-header': tokenReaders,
  'http-server-header': tokenReaders,
  'http-x-powered-by': tokenReaders,
  'mysql-greeting': [readMysql],
  'redis-info': [bareVersion('redis', 'redis')],
  'mongodb-buildinfo': [bareVersion('mongodb', 'mongodb')],
  'elasticsearch-root': [bareVersion('elastic', 'elasticsearch')],
  // PRELOGIN's VERSION is the build (15.0.2000); NVD names some SQL Server releases by year instead, so a
  // range written that way does not match it.
  'mssql-prelogin': [bareVersion('microsoft', 'sql_server')],
};

/** Every source `readSoftwareBanner` knows. */
export const BANNER_SOURCES = Object.keys(READERS_BY_SOURCE);

/**
 * Reads a banner seen at `location` through `source` (one of BANNER_SOURCES: `version.bind`, `ssh-banner`,
 * `http-server-header`...); null when no known product and version is in it, or the source is unknown.
 */
export function readSoftwareBanner(
  raw: string,
  source: string,
  location: SoftwareObservation['location'],
): SoftwareObservation | null {
  for (const read of READERS_BY_SOURCE[source] ?? []) {
    const reading = read(raw);
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

/** A product another module already named with a CPE 2.3 name (the web probe's fingerprints). */
export interface CpeSighting {
  cpe: string;
  version: string;
  /** The text it was read from (`server: Apache/2.4.29 (Ubuntu)`, `script /js/jquery.min.js`). */
  raw: string;
}

/**
 * An observation from a CPE name and version another probe read (`confidence` as its reading warrants);
 * a distribution named after the version in `raw` (`Apache/2.4.29 (Ubuntu)`) is parsed and lowers the
 * confidence as a banner's does. Null when the name is not a CPE 2.3 application name.
 */
export function softwareFromCpe(
  sighting: CpeSighting,
  source: string,
  location: SoftwareObservation['location'],
  confidence: number,
): SoftwareObservation | null {
  const name = parseCpe(sighting.cpe);
  if (name === null || name.part !== 'a' || sighting.version.trim() === '') return null;
  const at = sighting.raw.indexOf(sighting.version);
  const patch = at < 0 ? null : parseDistribution(sighting.raw.slice(at + sighting.version.length));
  return {
    location,
    source,
    raw: sighting.raw,
    cpe: formatCpe({ ...name, version: sighting.version }),
    vendor: name.vendor,
    product: name.product,
    version: sighting.version,
    confidence: patch ? Math.min(confidence, CONFIDENCE_DISTRIBUTION) : confidence,
    ...(patch ? { distributionPatch: patch } : {}),
  };
}
