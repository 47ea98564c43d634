/**
 * The lab's healthcare and voice services: a DICOM SCP (A-ASSOCIATE-AC accepting the Verification SOP
 * class and answering C-ECHO, or A-ASSOCIATE-RJ "calling AE title not recognized"), an HL7 v2 MLLP
 * listener that ACKs every framed message, and a SIP server answering OPTIONS.
 */
import type net from 'node:net';
import {
  IMPLICIT_VR_LE,
  PDU,
  VERIFICATION_SOP_CLASS,
  APPLICATION_CONTEXT,
  associatePdu,
  commandPData,
  commandSet,
  element,
  firstPdv,
  item,
  items,
  pdu,
  uid,
  us,
} from '../../probes/ports/services/dicom.js';
import { MLLP_END, MLLP_START, hl7Timestamp } from '../../probes/ports/services/messaging.js';
import type { LabService } from './plan.js';
import { isText, session } from './session.js';

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
}

function associateAccept(request: Buffer, service: LabService): Buffer {
  const called = request.subarray(4, 20).toString('latin1').trim();
  const calling = request.subarray(20, 36).toString('latin1').trim();
  const contexts = items(request.subarray(68))
    .filter((i) => i.type === 0x20)
    .map((context) => {
      const sub = items(context.value.subarray(4));
      const abstract = sub
        .find((s) => s.type === 0x30)
        ?.value.toString('latin1')
        .replace(/\0$/, '');
      const accepted = abstract === VERIFICATION_SOP_CLASS;
      // Result 0 acceptance, 3 abstract syntax not supported (PS3.8 section 9.3.3.2).
      return item(
        0x21,
        Buffer.concat([
          Buffer.from([context.value[0]!, 0, accepted ? 0 : 3, 0]),
          item(0x40, Buffer.from(IMPLICIT_VR_LE, 'latin1')),
        ]),
      );
    });
  const userInfo = item(
    0x50,
    Buffer.concat([
      item(0x51, u32(16384)),
      item(0x52, Buffer.from('1.2.276.0.7230010.3.0.3.6.0', 'latin1')),
      item(0x55, Buffer.from(service.version, 'latin1')),
    ]),
  );
  return associatePdu(PDU.associateAc, called, calling, [
    item(0x10, Buffer.from(APPLICATION_CONTEXT, 'latin1')),
    ...contexts,
    userInfo,
  ]);
}

export function serveDicom(socket: net.Socket, service: LabService): void {
  let associated = false;
  session(socket, (data) => {
    const type = data[0]!;
    if (type < 1 || type > 7) return 'close';
    if (data.length < 6) return 0;
    const length = data.readUInt32BE(2);
    if (length > 64 * 1024) return 'close';
    if (data.length < 6 + length) return 0;
    const body = data.subarray(6, 6 + length);
    if (type === PDU.associateRq && !associated) {
      if (body.length < 68) return 'close';
      if (!service.weak) {
        // Rejected permanently by the service user: calling AE title not recognized.
        socket.write(pdu(PDU.associateRj, Buffer.from([0, 1, 1, 3])));
        return 'close';
      }
      associated = true;
      socket.write(associateAccept(body, service));
    } else if (type === PDU.pData && associated) {
      const { contextId, elements } = firstPdv(body);
      const messageId = elements.get(0x00000110)?.readUInt16LE(0) ?? 0;
      if (elements.get(0x00000100)?.readUInt16LE(0) !== 0x0030) return 'close';
      const response = commandSet([
        element(0, 0x0002, uid(VERIFICATION_SOP_CLASS)),
        element(0, 0x0100, us(0x8030)),
        element(0, 0x0120, us(messageId)),
        element(0, 0x0800, us(0x0101)),
        element(0, 0x0900, us(0)),
      ]);
      socket.write(commandPData(contextId, response));
    } else if (type === PDU.releaseRq) {
      socket.write(pdu(PDU.releaseRp, Buffer.alloc(4)));
      return 'close';
    } else return 'close';
    return 6 + length;
  });
}

export function serveHl7(socket: net.Socket, service: LabService): void {
  session(socket, (data) => {
    if (data[0] !== MLLP_START) return 'close';
    const end = data.indexOf(MLLP_END);
    if (end < 0) return 0;
    const message = data.subarray(1, end).toString('latin1');
    const msh = message.split(/\r\n?|\n/)[0] ?? '';
    if (!msh.startsWith('MSH|')) return 'close';
    const fields = msh.split('|');
    const control = fields[9] ?? '';
    const ack =
      `MSH|^~\\&|${fields[4] ?? ''}|${fields[5] ?? ''}|${fields[2] ?? ''}|${fields[3] ?? ''}|${hl7Timestamp()}||` +
      `ACK^${(fields[8] ?? '').split('^')[1] ?? ''}|ACK${control}|P|${fields[11] ?? '2.5'}\rMSA|AA|${control}|` +
      `Accepted by ${service.version}\r`;
    socket.write(Buffer.concat([Buffer.from([MLLP_START]), Buffer.from(ack, 'latin1'), MLLP_END]));
    return end + 2;
  });
}

export function serveSip(socket: net.Socket, service: LabService): void {
  session(socket, (data) => {
    if (!isText(data.subarray(0, 64).toString('latin1'))) return 'close';
    const end = data.indexOf('\r\n\r\n');
    if (end < 0) return data.length > 8192 ? 'close' : 0;
    const lines = data.subarray(0, end).toString('latin1').split('\r\n');
    const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(lines[0] ?? '');
    if (!request) return 'close';
    const copy = lines.filter((l) => /^(via|from|to|call-id|cseq|v|f|t|i)\s*:/i.test(l));
    const status = request[1] === 'OPTIONS' ? '200 OK' : '501 Not Implemented';
    socket.write(
      `SIP/2.0 ${status}\r\n${copy.join('\r\n')}\r\nServer: ${service.version}\r\n` +
        'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REGISTER\r\nContent-Length: 0\r\n\r\n',
    );
    return end + 4;
  });
}
