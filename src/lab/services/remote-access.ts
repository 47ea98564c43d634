/**
 * The lab's remote-access services: RDP (X.224 Connection Confirm with RDP_NEG_RSP, or RDP_NEG_FAILURE
 * HYBRID_REQUIRED_BY_SERVER when NLA is required), VNC (RFB 3.8 with security type None or VNC
 * authentication) and Telnet (option negotiation and a login prompt).
 */
import type net from 'node:net';
import { NEG_FAILURE, RDP_PROTOCOLS } from '../../probes/ports/services/rdp.js';
import type { LabService } from './plan.js';
import { session } from './session.js';

function connectionConfirm(type: 2 | 3, value: number): Buffer {
  const neg = Buffer.from([type, 0, 8, 0, 0, 0, 0, 0]);
  neg.writeUInt32LE(value, 4);
  const x224 = Buffer.concat([Buffer.from([6 + neg.length, 0xd0, 0, 0, 0x12, 0x34, 0]), neg]);
  const tpkt = Buffer.from([3, 0, 0, 0]);
  tpkt.writeUInt16BE(4 + x224.length, 2);
  return Buffer.concat([tpkt, x224]);
}

export function serveRdp(socket: net.Socket, service: LabService): void {
  session(socket, (data) => {
    if (data[0] !== 3 || data[1] !== 0) return 'close';
    if (data.length < 4) return 0;
    const length = data.readUInt16BE(2);
    if (length < 11 || length > 1024) return 'close';
    if (data.length < length) return 0;
    if ((data[5]! & 0xf0) !== 0xe0) return 'close';
    // The RDP_NEG_REQ is the last 8 bytes when present (after an optional cookie line).
    const neg = length >= 19 && data[length - 8] === 1 ? data.readUInt32LE(length - 4) : 0;
    let reply: Buffer;
    if (service.weak) {
      // Without NLA: TLS when asked for, else standard RDP security.
      reply = connectionConfirm(2, neg & RDP_PROTOCOLS.ssl ? RDP_PROTOCOLS.ssl : RDP_PROTOCOLS.rdp);
    } else if (neg & RDP_PROTOCOLS.hybrid) reply = connectionConfirm(2, RDP_PROTOCOLS.hybrid);
    else reply = connectionConfirm(3, NEG_FAILURE.hybridRequired);
    socket.write(reply);
    return 'close';
  });
}

export function serveVnc(socket: net.Socket, service: LabService): void {
  socket.write('RFB 003.008\n');
  let stage: 'version' | 'choice' = 'version';
  const types = service.weak ? [1] : [2];
  session(socket, (data) => {
    if (stage === 'version') {
      if (data.length < 12) return 0;
      const version = /^RFB 003\.00([378])\n$/.exec(data.subarray(0, 12).toString('latin1'));
      if (!version) return 'close';
      if (version[1] === '3') {
        const type = Buffer.alloc(4);
        type.writeUInt32BE(types[0]!);
        socket.write(type);
      } else socket.write(Buffer.from([types.length, ...types]));
      stage = 'choice';
      return 12;
    }
    const chosen = data[0]!;
    if (!types.includes(chosen)) return 'close';
    if (chosen === 2)
      socket.write(Buffer.alloc(16, 0x42)); // the VNC authentication challenge
    else socket.write(Buffer.from([0, 0, 0, 0])); // SecurityResult OK
    return 'close';
  });
}

export function serveTelnet(socket: net.Socket, service: LabService): void {
  // IAC DO TERMINAL-TYPE, IAC WILL ECHO, IAC WILL SUPPRESS-GO-AHEAD, then the banner and prompt.
  socket.write(Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03]));
  socket.write(`\r\n${service.version}\r\n\r\nlogin: `);
  session(socket, (data) => data.length);
}
