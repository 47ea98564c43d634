/** `--ca FILE` and `--tls-ports LIST`: the command line's part of the TLS settings (scan and `vitals tls`). */
import { X509Certificate } from 'node:crypto';
import { FILE_CAPS } from '../core/capped-file.js';
import { CliError } from './errors.js';
import { parseIntegerOption, readInputFile } from './options.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM text of `--ca FILE`, refused unless it holds at least one certificate and every block parses. */
export function readCaFile(path: string): string {
  const text = readInputFile(path, FILE_CAPS.caBundle, '--ca');
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0)
    throw new CliError(`--ca ${path}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the file`);
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new CliError(`--ca ${path}: certificate ${i + 1} does not parse (${(error as Error).message})`);
    }
  }
  return text;
}

/** `443,8443`: distinct ports, 1 to 65535, at most 16. */
export function parsePortList(text: string, flag: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.length > 16 || parts.some((p) => p === ''))
    throw new CliError(`${flag} takes 1 to 16 ports separated by commas, not "${text}"`);
  const ports = parts.map((p) => parseIntegerOption(p, flag, 1, 65535));
  return [...new Set(ports)];
}
