/**
 * When the lab cannot bind an address and port, say which one and, where the system tells, which
 * process holds it (Linux: the socket's inode in /proc/net/{udp,tcp}, then the process whose file
 * descriptors include that socket), instead of a stack trace.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { processCommandLine } from './lab-process.js';
import { AppError } from '../core/errors.js';

/** The lab could not listen on `address:port`. */
export class LabPortError extends AppError {
  override readonly name = 'LabPortError';
  readonly code = 'lab-port-unavailable';
  constructor(
    readonly address: string,
    readonly port: number,
    /** The system's error code, such as EADDRINUSE or EACCES. */
    readonly errno: string,
    readonly owner: string | undefined,
  ) {
    const why = errno === 'EADDRINUSE' ? 'is in use' : `cannot be bound (${errno})`;
    super(
      `the lab cannot listen on ${address}:${port}: the port ${why}${owner ? ` by ${owner}` : ''}; ` +
        'stop what holds it (`vitals lab down` if it is a lab) or choose another port with --dns-port',
    );
  }
}

/** Turns a bind error (EADDRINUSE, EACCES) into a `LabPortError`; any other error is returned as it is. */
export function labPortError(error: unknown, fallbackAddress: string, fallbackPort: number): unknown {
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.code !== 'EADDRINUSE' && e?.code !== 'EACCES' && e?.code !== 'EPERM') return error;
  const address = e.address ?? fallbackAddress;
  const port = e.port ?? fallbackPort;
  return new LabPortError(address, port, e.code, e.code === 'EADDRINUSE' ? portOwner(address, port) : undefined);
}

/** `pid 123 (node bin/vitals.js lab serve)`, or undefined when the system does not say. */
export function portOwner(address: string, port: number): string | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/udp', '/proc/net/tcp']) {
    for (const inode of socketInodes(table, address, port)) inodes.add(inode);
  }
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's process
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode !== undefined && inodes.has(inode)) {
        const command = processCommandLine(Number(pid))?.join(' ').slice(0, 200);
        return `pid ${pid} (${command || 'unknown command'})`;
      }
    }
  }
  return 'another process';
}

/** Inodes of sockets bound to `address:port` (or to 0.0.0.0:port) in a /proc/net table (IPv4 only). */
function socketInodes(table: string, address: string, port: number): string[] {
  let text: string;
  try {
    text = readFileSync(table, 'utf8');
  } catch {
    return [];
  }
  const wanted = new Set([hexEndpoint(address, port), hexEndpoint('0.0.0.0', port)]);
  const out: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
    if (fields.length > 9 && wanted.has(fields[1]!.toUpperCase()) && fields[9] !== '0') out.push(fields[9]!);
  }
  return out;
}

/** `127.0.0.1`, 53 → `0100007F:0035`: the kernel prints the address in host byte order (little-endian here). */
function hexEndpoint(address: string, port: number): string {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4) return '';
  const hex = octets
    .reverse()
    .map((o) => o.toString(16).padStart(2, '0'))
    .join('');
  return `${hex}:${port.toString(16).padStart(4, '0')}`.toUpperCase();
}
