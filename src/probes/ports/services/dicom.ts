/**
 * DICOM upper layer (PS3.8 section 9.3): an A-ASSOCIATE-RQ proposing the Verification SOP class
 * (1.2.840.10008.1.1) with Implicit VR Little Endian, under AE titles the scanner made up. An
 * A-ASSOCIATE-AC with the context accepted, then a successful C-ECHO (PS3.7 section 9.1.5), means any
 * stranger can open an association: the door to query and retrieve on the same server. An A-ASSOCIATE-RJ
 * still names the service. Shared with the lab's DICOM service (the PDU codec).
 */
import { ProtocolMismatch, type Parsed } from './conversation.js';
import { type ClientFirstProtocol, matched, mismatch, withConversation } from './service-probe.js';

export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';
export const IMPLICIT_VR_LE = '1.2.840.10008.1.2';
export const APPLICATION_CONTEXT = '1.2.840.10008.3.1.1.1';
export const PDU = { associateRq: 1, associateAc: 2, associateRj: 3, pData: 4, releaseRq: 5, releaseRp: 6, abort: 7 };
const MAX_PDU = 64 * 1024;

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
}
/** An item: type, reserved, 2-byte length, value. */
export function item(type: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, 0]), u16(value.length), value]);
}
export function pdu(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, 0]), u32(body.length), body]);
}
function aeTitle(title: string): Buffer {
  return Buffer.from(title.padEnd(16, ' ').slice(0, 16), 'latin1');
}

/** A-ASSOCIATE-RQ or -AC body shape: version, called/calling AE, 32 reserved bytes, then items. */
export function associatePdu(type: number, called: string, calling: string, items: Buffer[]): Buffer {
  return pdu(type, Buffer.concat([u16(1), u16(0), aeTitle(called), aeTitle(calling), Buffer.alloc(32), ...items]));
}

export function associateRequest(called: string, calling: string): Buffer {
  const context = item(
    0x20,
    Buffer.concat([
      Buffer.from([1, 0, 0, 0]),
      item(0x30, Buffer.from(VERIFICATION_SOP_CLASS, 'latin1')),
      item(0x40, Buffer.from(IMPLICIT_VR_LE, 'latin1')),
    ]),
  );
  const userInfo = item(
    0x50,
    Buffer.concat([item(0x51, u32(16384)), item(0x52, Buffer.from('1.2.826.0.1.3680043.10.1', 'latin1'))]),
  );
  return associatePdu(PDU.associateRq, called, calling, [
    item(0x10, Buffer.from(APPLICATION_CONTEXT, 'latin1')),
    context,
    userInfo,
  ]);
}

export interface Pdu {
  type: number;
  body: Buffer;
}

export function parsePdu(data: Buffer): Parsed<Pdu> {
  if (data.length < 6) return undefined;
  const type = data[0]!;
  if (type < 1 || type > 7 || data[1] !== 0) throw new ProtocolMismatch(`not a DICOM PDU (type ${type})`);
  const length = data.readUInt32BE(2);
  if (length > MAX_PDU) throw new ProtocolMismatch(`DICOM PDU length ${length}`);
  if (data.length < 6 + length) return undefined;
  return { value: { type, body: data.subarray(6, 6 + length) }, used: 6 + length };
}

/** The items of an A-ASSOCIATE body (after the 68 fixed bytes), or of a sub-item list. */
export function items(data: Buffer): Array<{ type: number; value: Buffer }> {
  const out: Array<{ type: number; value: Buffer }> = [];
  let offset = 0;
  while (offset + 4 <= data.length && out.length < 64) {
    const length = data.readUInt16BE(offset + 2);
    if (offset + 4 + length > data.length) throw new ProtocolMismatch('DICOM item runs past its PDU');
    out.push({ type: data[offset]!, value: data.subarray(offset + 4, offset + 4 + length) });
    offset += 4 + length;
  }
  return out;
}

/** Implicit VR little-endian command elements (group 0000): tag → raw value. */
export function commandElements(data: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let offset = 0;
  while (offset + 8 <= data.length && out.size < 64) {
    const tag = (data.readUInt16LE(offset) << 16) | data.readUInt16LE(offset + 2);
    const length = data.readUInt32LE(offset + 4);
    if (offset + 8 + length > data.length) throw new ProtocolMismatch('DICOM element runs past its PDV');
    out.set(tag >>> 0, data.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return out;
}

export function element(group: number, elementNumber: number, value: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(elementNumber, 2);
  header.writeUInt32LE(value.length, 4);
  return Buffer.concat([header, value]);
}
export function us(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}
/** A UID value padded to even length with NUL (PS3.5 section 9.1). */
export function uid(text: string): Buffer {
  return Buffer.from(text.length % 2 === 0 ? text : `${text}\0`, 'latin1');
}

/** A command set with its group length first. */
export function commandSet(elements: Buffer[]): Buffer {
  const body = Buffer.concat(elements);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.length);
  return Buffer.concat([element(0, 0, length), body]);
}

/** P-DATA-TF with one command PDV (message control header 0x03: command, last fragment). */
export function commandPData(contextId: number, command: Buffer): Buffer {
  return pdu(PDU.pData, Buffer.concat([u32(command.length + 2), Buffer.from([contextId, 0x03]), command]));
}

export function echoRequest(messageId: number): Buffer {
  return commandSet([
    element(0, 0x0002, uid(VERIFICATION_SOP_CLASS)),
    element(0, 0x0100, us(0x0030)),
    element(0, 0x0110, us(messageId)),
    element(0, 0x0800, us(0x0101)),
  ]);
}

/** The first PDV's command elements of a P-DATA-TF body. */
export function firstPdv(body: Buffer): { contextId: number; elements: Map<number, Buffer> } {
  if (body.length < 6) throw new ProtocolMismatch('P-DATA-TF too short');
  const length = body.readUInt32BE(0);
  if (length < 2 || 4 + length > body.length) throw new ProtocolMismatch('PDV length runs past its PDU');
  return { contextId: body[4]!, elements: commandElements(body.subarray(6, 4 + length)) };
}

const RELEASE = pdu(PDU.releaseRq, Buffer.alloc(4));

export const dicomProtocol: ClientFirstProtocol = {
  name: 'dicom',
  usualPorts: [104, 11112],
  probe: (ctx) =>
    withConversation(ctx, async (conversation) => {
      conversation.write(associateRequest('ANY-SCP', 'VITALS-PROBE'));
      const answer = await conversation.read(parsePdu);
      if (!answer.ok) return mismatch(`${answer.why}: ${answer.detail}`);
      const { type, body } = answer.value;
      if (type === PDU.associateRj || type === PDU.abort) {
        const detail = body.length >= 4 ? `result ${body[1]}, source ${body[2]}, reason ${body[3]}` : 'aborted';
        return matched({
          name: 'dicom',
          associationAccepted: false,
          echo: { assessed: true, value: false },
          detail: `association ${type === PDU.abort ? 'aborted' : 'rejected'} (${detail})`,
        });
      }
      if (type !== PDU.associateAc || body.length < 68) return mismatch(`unexpected PDU type ${type}`);
      const context = items(body.subarray(68)).find((i) => i.type === 0x21);
      if (!context || context.value.length < 4 || context.value[2] !== 0) {
        conversation.write(RELEASE);
        return matched({
          name: 'dicom',
          associationAccepted: true,
          echo: { assessed: true, value: false },
          detail: 'association accepted but the Verification context was not',
        });
      }
      conversation.write(commandPData(context.value[0]!, echoRequest(1)));
      const reply = await conversation.read(parsePdu);
      conversation.write(RELEASE);
      if (!reply.ok || reply.value.type !== PDU.pData)
        return matched({
          name: 'dicom',
          associationAccepted: true,
          echo: { assessed: false, reason: reply.ok ? `PDU type ${reply.value.type} after C-ECHO` : reply.detail },
          detail: 'association accepted',
        });
      const { elements } = firstPdv(reply.value.body);
      const field = elements.get(0x00000100);
      const status = elements.get(0x00000900);
      const ok =
        field?.length === 2 && field.readUInt16LE(0) === 0x8030 && status?.length === 2 && status.readUInt16LE(0) === 0;
      return matched({
        name: 'dicom',
        associationAccepted: true,
        echo: { assessed: true, value: ok },
        detail: ok ? 'association accepted and C-ECHO succeeded' : 'association accepted, C-ECHO failed',
      });
    }),
};
