/**
 * The lab's file-sharing services. SMB: answers an SMB1 NEGOTIATE with an SMB2 response when SMB2
 * dialects are offered (as Windows does), with an SMB1 response choosing `NT LM 0.12` when only SMB1 is
 * offered and SMBv1 is on, and hangs up when it is off. FTP: a vsftpd/ProFTPD-like greeting; anonymous
 * login accepted or refused.
 */
import type net from 'node:net';
import { SMB1_DIALECT, sessionMessage } from '../../probes/ports/services/smb.js';
import type { LabService } from './plan.js';
import { isText, session, takeLine } from './session.js';

function smb1NegotiateResponse(dialectIndex: number): Buffer {
  const header = Buffer.alloc(32);
  Buffer.from([0xff, 0x53, 0x4d, 0x42, 0x72]).copy(header, 0);
  header[9] = 0x98;
  header.writeUInt16LE(0xc853, 10);
  const words = Buffer.alloc(34);
  words.writeUInt16LE(dialectIndex, 0);
  words[2] = 0x03; // user-level security, encrypted passwords
  words.writeUInt16LE(50, 3); // max multiplexed requests
  words.writeUInt16LE(1, 5);
  words.writeUInt32LE(16644, 7); // max buffer size
  words.writeUInt32LE(65536, 11);
  words.writeUInt32LE(0x8000e3fd, 19); // capabilities, extended security
  return sessionMessage(Buffer.concat([header, Buffer.from([17]), words, Buffer.from([0, 0])]));
}

function smb2NegotiateResponse(dialect: number): Buffer {
  const header = Buffer.alloc(64);
  Buffer.from([0xfe, 0x53, 0x4d, 0x42]).copy(header, 0);
  header.writeUInt16LE(64, 4);
  header.writeUInt16LE(0, 12); // NEGOTIATE
  header.writeUInt32LE(1, 16); // flags: server to redirector
  const body = Buffer.alloc(64);
  body.writeUInt16LE(65, 0);
  body.writeUInt16LE(1, 2); // signing enabled
  body.writeUInt16LE(dialect, 4);
  Buffer.from('vitals-lab-smb01').copy(body, 8);
  body.writeUInt32LE(0x7, 24);
  body.writeUInt32LE(8 * 1024 * 1024, 28);
  body.writeUInt32LE(8 * 1024 * 1024, 32);
  body.writeUInt32LE(8 * 1024 * 1024, 36);
  body.writeUInt16LE(128, 56); // security buffer offset (none)
  return sessionMessage(Buffer.concat([header, body]));
}

/** The dialect strings of an SMB1 NEGOTIATE (after the 32-byte header, word count and byte count). */
function offeredDialects(message: Buffer): string[] {
  const bytes = message.subarray(35);
  return bytes
    .toString('latin1')
    .split('\x02')
    .slice(1)
    .map((d) => d.replace(/\0$/, ''));
}

export function serveSmb(socket: net.Socket, service: LabService): void {
  session(socket, (data) => {
    if (data[0] !== 0) return 'close';
    if (data.length < 4) return 0;
    const length = data.readUInt32BE(0) & 0xffffff;
    if (length < 32 || length > 8192) return 'close';
    if (data.length < 4 + length) return 0;
    const message = data.subarray(4, 4 + length);
    const magic = message.subarray(0, 4).toString('latin1');
    if (magic === '\xfeSMB') {
      socket.write(smb2NegotiateResponse(0x0210));
      return 'close';
    }
    if (magic !== '\xffSMB' || message[4] !== 0x72) return 'close';
    const dialects = offeredDialects(message);
    if (dialects.includes('SMB 2.???')) socket.write(smb2NegotiateResponse(0x02ff));
    else if (dialects.includes('SMB 2.002')) socket.write(smb2NegotiateResponse(0x0202));
    else if (service.weak && dialects.includes(SMB1_DIALECT))
      socket.write(smb1NegotiateResponse(dialects.indexOf(SMB1_DIALECT)));
    // SMBv1 off and nothing else offered: Windows drops the connection.
    return 'close';
  });
}

export function serveFtp(socket: net.Socket, service: LabService): void {
  const greeting = service.version.startsWith('ProFTPD')
    ? `220 ${service.version} Server (Vitals lab) ready.`
    : `220 (${service.version})`;
  socket.write(`${greeting}\r\n`);
  let user: string | null = null;
  session(socket, (data) => {
    const taken = takeLine(data);
    if (taken === null) return 0;
    if (!isText(taken.line)) return 'close';
    const [verb = '', ...rest] = taken.line.split(' ');
    const argument = rest.join(' ');
    switch (verb.toUpperCase()) {
      case 'USER':
        user = argument;
        socket.write('331 Please specify the password.\r\n');
        break;
      case 'PASS':
        if (service.weak && (user === 'anonymous' || user === 'ftp')) socket.write('230 Login successful.\r\n');
        else socket.write('530 Login incorrect.\r\n');
        break;
      case 'QUIT':
        socket.write('221 Goodbye.\r\n');
        return 'close';
      default:
        socket.write('500 Unknown command.\r\n');
    }
    return taken.used;
  });
}
