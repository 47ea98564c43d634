/** DNS server addresses: parsing what users type, and one canonical spelling per address. */
import net from 'node:net';
import type { DnsServer } from './dns-client.types.js';

/** Parses 'a.b.c.d', 'a.b.c.d:port', '::1', '[::1]' or '[::1]:port' into a DnsServer; throws on bad input. */
export function parseServer(text: string, defaultPort = 53): DnsServer {
  const input = text.trim();
  let address = input;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(input);
  if (bracketed) {
    address = bracketed[1] ?? '';
    portText = bracketed[2];
  } else if (net.isIP(input) === 0) {
    const lastColon = input.lastIndexOf(':');
    if (lastColon > 0 && input.indexOf(':') === lastColon) {
      address = input.slice(0, lastColon);
      portText = input.slice(lastColon + 1);
    }
  }
  if (net.isIP(address) === 0) {
    throw new Error(
      `invalid DNS server "${text}": expected an IP address ` +
        '(e.g. 127.0.0.1, 127.0.0.1:5300, [::1]:53), not a host name',
    );
  }
  const port = portText === undefined ? defaultPort : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`invalid DNS server "${text}": port must be an integer from 1 to 65535`);
  }
  return { address: canonicalAddress(address), port };
}

/** One spelling per address, so it compares equal to the source address the kernel reports. */
export function canonicalAddress(address: string): string {
  if (net.isIP(address) !== 6) return address;
  try {
    return new net.SocketAddress({ address, family: 'ipv6' }).address;
  } catch {
    return address;
  }
}
