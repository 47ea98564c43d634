/**
 * The lab's Microsoft SQL Server and Oracle listeners, each speaking only its first exchange: a TDS
 * PRELOGIN answered with the server's version and encryption setting (in the option layout SQL Server
 * itself sends), and a TNS CONNECT refused with ERR=1189 and the listener's VSNNUM, as a listener that
 * refuses remote version requests does. Anything else closes the connection, as the real servers do.
 */
import type net from 'node:net';
import {
  PRELOGIN_OPTION,
  TDS_ENCRYPTION,
  TDS_PRELOGIN,
  TDS_TABULAR_RESULT,
  preloginPayload,
  tdsPacket,
} from '../../probes/ports/services/mssql.js';
import { TNS_TYPE } from '../../probes/ports/services/oracle-tns.js';
import type { LabService } from './plan.js';
import { session } from './session.js';

/** `15.0.2000` as PRELOGIN's VERSION: major, minor, big-endian build, sub-build 0. */
function tdsVersion(version: string): Buffer {
  const [major = 0, minor = 0, build = 0] = version.split('.').map(Number);
  const out = Buffer.alloc(6);
  out[0] = major;
  out[1] = minor;
  out.writeUInt16BE(build, 2);
  return out;
}

/** A weak server leaves encryption off (only the login is encrypted); a strong one requires it. */
export function serveMssql(socket: net.Socket, service: LabService): void {
  session(socket, (data) => {
    if (data[0] !== TDS_PRELOGIN) return 'close';
    if (data.length < 8) return 0;
    const length = data.readUInt16BE(2);
    if (length < 9 || length > 4096) return 'close';
    if (data.length < length) return 0;
    const encryption = service.weak ? TDS_ENCRYPTION.off : TDS_ENCRYPTION.required;
    const reply = preloginPayload([
      [PRELOGIN_OPTION.version, tdsVersion(service.version)],
      [PRELOGIN_OPTION.encryption, Buffer.from([encryption])],
      [PRELOGIN_OPTION.instopt, Buffer.from([0])],
      [PRELOGIN_OPTION.threadid, Buffer.alloc(0)],
    ]);
    socket.write(tdsPacket(TDS_TABULAR_RESULT, reply));
    // The client would now log in (LOGIN7); the probe never does, so the conversation ends here.
    return length;
  });
}

/** `19.0.0.0.0` as VSNNUM: major in bits 24-31, then 4, 8, 4 and 8 bits. */
export function vsnnum(version: string): number {
  const [a = 0, b = 0, c = 0, d = 0, e = 0] = version.split('.').map(Number);
  return ((a << 24) | (b << 20) | (c << 12) | (d << 8) | e) >>> 0;
}

export function serveOracle(socket: net.Socket, service: LabService): void {
  session(socket, (data) => {
    // Decided from the first bytes that say anything: a text command (`PING\r\n`) is refused at once.
    if (data.length >= 2 && (data.readUInt16BE(0) < 58 || data.readUInt16BE(0) > 2048)) return 'close';
    if (data.length >= 5 && data[4] !== TNS_TYPE.connect) return 'close';
    if (data.length < 8 || data.length < data.readUInt16BE(0)) return 0;
    const error = '(ERR=1189)(ERROR_STACK=(ERROR=(CODE=1189)(EMFI=4)))';
    const text = Buffer.from(`(DESCRIPTION=(TMP=)(VSNNUM=${vsnnum(service.version)})${error})`, 'latin1');
    // REFUSE: header, user reason 0x22, system reason 0, data length, data.
    const refuse = Buffer.alloc(12 + text.length);
    refuse.writeUInt16BE(refuse.length, 0);
    refuse[4] = TNS_TYPE.refuse;
    refuse[8] = 0x22;
    refuse.writeUInt16BE(text.length, 10);
    text.copy(refuse, 12);
    socket.write(refuse);
    return 'close';
  });
}
