/**
 * RDP (MS-RDPBCGR 2.2.1.1 and 2.2.1.2): an X.224 Connection Request in a TPKT carrying RDP_NEG_REQ. The
 * probe offers TLS alone (PROTOCOL_SSL): a server that requires Network Level Authentication (CredSSP)
 * refuses with HYBRID_REQUIRED_BY_SERVER; one that selects TLS, or that only speaks standard RDP
 * security, lets anyone reach the logon screen without authenticating first.
 */
import { ProtocolMismatch, type Parsed } from './conversation.js';
import { type ClientFirstProtocol, matched, mismatch, withConversation } from './service-probe.js';

export const RDP_PROTOCOLS = { rdp: 0, ssl: 1, hybrid: 2, rdstls: 4, hybrid_ex: 8 } as const;
const PROTOCOL_NAMES: Record<number, string> = { 0: 'rdp', 1: 'ssl', 2: 'hybrid', 4: 'rdstls', 8: 'hybrid_ex' };
export const NEG_FAILURE = {
  sslRequired: 1,
  sslNotAllowed: 2,
  sslCertNotOnServer: 3,
  inconsistentFlags: 4,
  hybridRequired: 5,
  sslWithUserAuthRequired: 6,
} as const;

/** TPKT (RFC 1006) + X.224 CR (ISO 8073) + RDP_NEG_REQ asking for `protocols`. */
export function connectionRequest(protocols: number): Buffer {
  const neg = Buffer.from([0x01, 0x00, 0x08, 0x00, 0, 0, 0, 0]);
  neg.writeUInt32LE(protocols, 4);
  const x224 = Buffer.concat([Buffer.from([6 + neg.length, 0xe0, 0, 0, 0, 0, 0]), neg]);
  const tpkt = Buffer.from([0x03, 0x00, 0, 0]);
  tpkt.writeUInt16BE(4 + x224.length, 2);
  return Buffer.concat([tpkt, x224]);
}

export interface ConnectionConfirm {
  /** RDP_NEG_RSP (2) or RDP_NEG_FAILURE (3); null when the confirm carries no negotiation (old servers). */
  negotiation: { type: 2; selected: number } | { type: 3; failure: number } | null;
}

/** Parses a TPKT-framed X.224 Connection Confirm (0xD0). */
export function parseConnectionConfirm(data: Buffer): Parsed<ConnectionConfirm> {
  if (data.length < 4) return undefined;
  if (data[0] !== 0x03 || data[1] !== 0x00) throw new ProtocolMismatch('not a TPKT header');
  const length = data.readUInt16BE(2);
  if (length < 11 || length > 512) throw new ProtocolMismatch(`TPKT length ${length}`);
  if (data.length < length) return undefined;
  const li = data[4]!;
  if ((data[5]! & 0xf0) !== 0xd0 || li + 5 > length) throw new ProtocolMismatch('not an X.224 Connection Confirm');
  const neg = data.subarray(11, length);
  if (neg.length < 8) return { value: { negotiation: null }, used: length };
  const type = neg[0];
  const value = neg.readUInt32LE(4);
  if (type === 2) return { value: { negotiation: { type: 2, selected: value } }, used: length };
  if (type === 3) return { value: { negotiation: { type: 3, failure: value } }, used: length };
  throw new ProtocolMismatch(`unknown RDP negotiation type ${type}`);
}

export const rdpProtocol: ClientFirstProtocol = {
  name: 'rdp',
  usualPorts: [3389],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      conversation.write(connectionRequest(RDP_PROTOCOLS.ssl));
      const confirm = await conversation.read(parseConnectionConfirm);
      if (!confirm.ok) return mismatch(`${confirm.why}: ${confirm.detail}`);
      const negotiation = confirm.value.negotiation;
      if (negotiation === null) {
        return matched({
          name: 'rdp',
          selectedProtocol: 'rdp',
          nlaRequired: { assessed: true, value: false },
          detail: 'no negotiation in the confirm: standard RDP security only',
        });
      }
      if (negotiation.type === 2) {
        const selected = PROTOCOL_NAMES[negotiation.selected] ?? `0x${negotiation.selected.toString(16)}`;
        return matched({
          name: 'rdp',
          selectedProtocol: selected,
          nlaRequired: { assessed: true, value: false },
          detail: `the server accepted ${selected} without CredSSP`,
        });
      }
      const failure = negotiation.failure;
      if (failure === NEG_FAILURE.hybridRequired || failure === NEG_FAILURE.sslWithUserAuthRequired)
        return matched({
          name: 'rdp',
          selectedProtocol: null,
          nlaRequired: { assessed: true, value: true },
          detail: 'the server requires CredSSP (HYBRID_REQUIRED_BY_SERVER)',
        });
      if (failure === NEG_FAILURE.sslNotAllowed)
        return matched({
          name: 'rdp',
          selectedProtocol: 'rdp',
          nlaRequired: { assessed: true, value: false },
          detail: 'the server only allows standard RDP security (SSL_NOT_ALLOWED_BY_SERVER)',
        });
      return matched({
        name: 'rdp',
        selectedProtocol: null,
        nlaRequired: { assessed: false, reason: `negotiation failure code ${failure}` },
        detail: `negotiation failure code ${failure}`,
      });
    }),
};
