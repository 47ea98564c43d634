/** Numbered text replies (FTP RFC 959 section 4.2, SMTP RFC 5321 section 4.2): lines `ddd-`, then `ddd `. */
import { ProtocolMismatch, type Parsed } from './conversation.js';

export interface TextReply {
  code: number;
  lines: string[];
}

const MAX_LINES = 64;
const MAX_LINE = 2048;

/** Parses one complete reply; throws ProtocolMismatch on lines that are not `ddd[ -]text`. */
export function parseTextReply(data: Buffer): Parsed<TextReply> {
  const lines: string[] = [];
  let offset = 0;
  while (lines.length < MAX_LINES) {
    const end = data.indexOf(0x0a, offset);
    if (end < 0) {
      if (data.length - offset > MAX_LINE) throw new ProtocolMismatch('reply line too long');
      return undefined;
    }
    const line = data.subarray(offset, end).toString('latin1').replace(/\r$/, '');
    offset = end + 1;
    const match = /^(\d{3})([ -]?)(.*)$/.exec(line);
    if (!match) throw new ProtocolMismatch(`not a numbered reply line: ${JSON.stringify(line.slice(0, 40))}`);
    lines.push(match[3]!);
    if (match[2] !== '-') return { value: { code: Number(match[1]), lines }, used: offset };
  }
  throw new ProtocolMismatch(`reply of more than ${MAX_LINES} lines`);
}
