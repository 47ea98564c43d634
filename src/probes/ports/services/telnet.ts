/**
 * Telnet (RFC 854): a server that opens with option negotiation (IAC, 0xFF, then DO/DONT/WILL/WONT and
 * an option), or with a bare login prompt. The banner is the text with the negotiation taken out.
 */
import { printable } from './conversation.js';

const IAC = 0xff;

export function isTelnetBanner(banner: Buffer): boolean {
  if (banner[0] === IAC && banner.length >= 3 && banner[1]! >= 0xfb && banner[1]! <= 0xfe) return true;
  return /(?:login|username|user name)\s*:\s*$/i.test(banner.toString('latin1'));
}

/** The printable text of a Telnet greeting (commands and sub-negotiations removed). */
export function telnetText(data: Buffer): string {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const byte = data[i]!;
    if (byte !== IAC) {
      out.push(byte);
      continue;
    }
    const command = data[i + 1];
    if (command === undefined) break;
    if (command === 0xfa) {
      // Sub-negotiation: skip to IAC SE.
      const end = data.indexOf(Buffer.from([IAC, 0xf0]), i + 2);
      i = end < 0 ? data.length : end + 1;
    } else if (command >= 0xfb && command <= 0xfe) i += 2;
    else i += 1;
  }
  return printable(Buffer.from(out).toString('latin1'));
}
