/** `vitals scan --exclude FILE` and `--rate N`: the command line's part of the scan's network policy. */
import { FILE_CAPS } from '../core/capped-file.js';
import { withContext } from '../core/errors.js';
import type { DnsServer } from '../net/dns/dns-client.types.js';
import { type Exclusions, parseExclusions } from '../net/exclusions.js';
import { createRateLimit, DEFAULT_PUBLIC_RATE } from '../net/rate-limit.js';
import { type ScanNetworkSpec, scanNetworkSpec } from '../net/scan-network.js';
import { parseIntegerOption, readInputFile } from './options.js';

export interface NetworkCommandOptions {
  exclude?: string;
  rate?: string;
  lab?: boolean;
}

export function scanNetworkFromOptions(
  options: NetworkCommandOptions,
  resolver: DnsServer,
  allowPrivate: boolean,
): ScanNetworkSpec {
  const exclusions = options.exclude === undefined ? undefined : readExclusions(options.exclude);
  // 0 means no limit; against the lab (loopback, our own servers) there is none by default.
  const perSecond =
    options.rate !== undefined
      ? parseIntegerOption(options.rate, '--rate', 0, 1_000_000)
      : options.lab
        ? 0
        : DEFAULT_PUBLIC_RATE;
  return scanNetworkSpec({
    allowPrivate,
    resolver,
    exclusions,
    rate: perSecond === 0 ? null : createRateLimit(perSecond),
  });
}

function readExclusions(path: string): Exclusions {
  const text = readInputFile(path, FILE_CAPS.list, '--exclude');
  try {
    return parseExclusions(text);
  } catch (error) {
    throw withContext(error, `--exclude ${path}: `);
  }
}
