/**
 * VNC (RFB, RFC 6143 section 7.1): the server sends `RFB 003.00x\n`; the client answers with the version it
 * speaks, and the server lists its security types (3.7 and later) or names the one it imposes (3.3).
 * Type 1 is None: anyone who connects sees and drives the screen.
 */
import { ProtocolMismatch, printable, type Conversation, type Parsed } from './conversation.js';
import { matched, mismatch, type ProbeOutcome } from './service-probe.js';

const VERSION = /^RFB (\d{3})\.(\d{3})\n$/;

export function isRfbBanner(banner: Buffer): boolean {
  return banner.subarray(0, 4).toString('latin1') === 'RFB ';
}

function versionParser(data: Buffer): Parsed<{ major: number; minor: number; text: string }> {
  if (data.length < 12) return undefined;
  const text = data.subarray(0, 12).toString('latin1');
  const match = VERSION.exec(text);
  if (!match) throw new ProtocolMismatch(`not an RFB version: ${JSON.stringify(text)}`);
  return { value: { major: Number(match[1]), minor: Number(match[2]), text: text.trim() }, used: 12 };
}

/** The security-type list of RFB 3.7+: a count and the types, or 0 and a reason string. */
function typesParser(data: Buffer): Parsed<{ types: number[]; reason: string | null }> {
  if (data.length < 1) return undefined;
  const count = data[0]!;
  if (count === 0) {
    if (data.length < 5) return undefined;
    const length = data.readUInt32BE(1);
    if (length > 4096) throw new ProtocolMismatch('failure reason too long');
    if (data.length < 5 + length) return undefined;
    return {
      value: { types: [], reason: printable(data.subarray(5, 5 + length).toString('latin1')) },
      used: 5 + length,
    };
  }
  if (data.length < 1 + count) return undefined;
  return { value: { types: [...data.subarray(1, 1 + count)], reason: null }, used: 1 + count };
}

function u32Parser(data: Buffer): Parsed<number> {
  return data.length < 4 ? undefined : { value: data.readUInt32BE(0), used: 4 };
}

export async function assessVnc(conversation: Conversation): Promise<ProbeOutcome> {
  const version = await conversation.read(versionParser);
  if (!version.ok) return mismatch(`RFB version: ${version.why}: ${version.detail}`);
  const { major, minor, text } = version.value;
  if (major !== 3) return mismatch(`RFB major version ${major}`);
  // Answer with the highest version both speak (3.3, 3.7 or 3.8; 3.889 and others behave as 3.8 or 3.3).
  const speak = minor >= 8 ? 8 : minor >= 7 ? 7 : 3;
  conversation.write(`RFB 003.00${speak}\n`);
  if (speak === 3) {
    const type = await conversation.read(u32Parser);
    if (!type.ok) return vnc(text, [], { assessed: false, reason: `security type: ${type.why}: ${type.detail}` });
    return vnc(text, type.value === 0 ? [] : [type.value], { assessed: true, value: type.value === 1 });
  }
  const list = await conversation.read(typesParser);
  if (!list.ok) return vnc(text, [], { assessed: false, reason: `security types: ${list.why}: ${list.detail}` });
  if (list.value.reason !== null)
    return vnc(text, [], { assessed: false, reason: `the server refused the connection: ${list.value.reason}` });
  return vnc(text, list.value.types, { assessed: true, value: list.value.types.includes(1) });
}

function vnc(
  version: string,
  securityTypes: number[],
  noneOffered: { assessed: true; value: boolean } | { assessed: false; reason: string },
) {
  return matched({ name: 'vnc', version, securityTypes, noneOffered });
}
