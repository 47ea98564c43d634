/**
 * The slice of BSON (bsonspec.org) the MongoDB hello needs: documents of doubles, strings, documents,
 * arrays, booleans, null, int32, int64 and the types skipped by size (binary, ObjectId, dates, timestamps).
 * Decoding is bounded in depth and checks every length against the buffer.
 */
import { ProtocolMismatch } from './conversation.js';

export type BsonValue = number | string | boolean | null | BsonValue[] | { [key: string]: BsonValue };

const MAX_DEPTH = 16;

export function encodeBson(document: Record<string, BsonValue>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(document)) {
    const name = Buffer.from(`${key}\0`, 'utf8');
    if (typeof value === 'number') {
      if (Number.isInteger(value) && Math.abs(value) < 2 ** 31) {
        const b = Buffer.alloc(4);
        b.writeInt32LE(value);
        parts.push(Buffer.from([0x10]), name, b);
      } else {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(value);
        parts.push(Buffer.from([0x01]), name, b);
      }
    } else if (typeof value === 'string') {
      const text = Buffer.from(`${value}\0`, 'utf8');
      const length = Buffer.alloc(4);
      length.writeInt32LE(text.length);
      parts.push(Buffer.from([0x02]), name, length, text);
    } else if (typeof value === 'boolean') parts.push(Buffer.from([0x08]), name, Buffer.from([value ? 1 : 0]));
    else if (value === null) parts.push(Buffer.from([0x0a]), name);
    else if (Array.isArray(value))
      parts.push(Buffer.from([0x04]), name, encodeBson(Object.fromEntries(value.map((v, i) => [String(i), v]))));
    else parts.push(Buffer.from([0x03]), name, encodeBson(value));
  }
  const body = Buffer.concat(parts);
  const length = Buffer.alloc(4);
  length.writeInt32LE(body.length + 5);
  return Buffer.concat([length, body, Buffer.from([0])]);
}

export function decodeBson(data: Buffer, depth = 0): Record<string, BsonValue> {
  if (depth > MAX_DEPTH) throw new ProtocolMismatch('BSON nested too deeply');
  if (data.length < 5) throw new ProtocolMismatch('BSON document too short');
  const length = data.readInt32LE(0);
  if (length < 5 || length > data.length || data[length - 1] !== 0) throw new ProtocolMismatch('bad BSON length');
  const out: Record<string, BsonValue> = {};
  let offset = 4;
  const need = (n: number): void => {
    if (offset + n > length - 1) throw new ProtocolMismatch('BSON element runs past its document');
  };
  while (offset < length - 1) {
    const type = data[offset++]!;
    const nameEnd = data.indexOf(0, offset);
    if (nameEnd < 0 || nameEnd >= length) throw new ProtocolMismatch('BSON name not terminated');
    const name = data.subarray(offset, nameEnd).toString('utf8');
    offset = nameEnd + 1;
    let value: BsonValue;
    switch (type) {
      case 0x01:
        need(8);
        value = data.readDoubleLE(offset);
        offset += 8;
        break;
      case 0x02: {
        need(4);
        const n = data.readInt32LE(offset);
        if (n < 1) throw new ProtocolMismatch('bad BSON string length');
        need(4 + n);
        value = data.subarray(offset + 4, offset + 4 + n - 1).toString('utf8');
        offset += 4 + n;
        break;
      }
      case 0x03:
      case 0x04: {
        need(4);
        const n = data.readInt32LE(offset);
        need(n);
        const inner = decodeBson(data.subarray(offset, offset + n), depth + 1);
        value = type === 0x04 ? Object.values(inner) : inner;
        offset += n;
        break;
      }
      case 0x05: {
        need(5);
        const n = data.readInt32LE(offset);
        if (n < 0) throw new ProtocolMismatch('bad BSON binary length');
        need(5 + n);
        value = null;
        offset += 5 + n;
        break;
      }
      case 0x07:
        need(12);
        value = null;
        offset += 12;
        break;
      case 0x08:
        need(1);
        value = data[offset] === 1;
        offset += 1;
        break;
      case 0x09:
      case 0x11:
      case 0x12:
        need(8);
        value = type === 0x12 ? Number(data.readBigInt64LE(offset)) : null;
        offset += 8;
        break;
      case 0x0a:
        value = null;
        break;
      case 0x10:
        need(4);
        value = data.readInt32LE(offset);
        offset += 4;
        break;
      default:
        throw new ProtocolMismatch(`BSON type 0x${type.toString(16)} not understood`);
    }
    out[name] = value;
  }
  return out;
}
