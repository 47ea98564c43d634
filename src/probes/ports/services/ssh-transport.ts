/**
 * The least of the SSH transport (RFC 4253) needed to reach the user-authentication service: binary
 * packets, KEXINIT, curve25519-sha256 key exchange (RFC 8731), key derivation, aes-ctr (RFC 4344) with
 * hmac-sha2-256 (RFC 6668). Shared by the probe (client) and the lab's SSH service (server). Every length
 * is checked before it is used: a hostile peer gets a ProtocolMismatch, never a large allocation.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  type Cipher,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { ProtocolMismatch, type Parsed } from './conversation.js';

export const MSG = {
  disconnect: 1,
  ignore: 2,
  unimplemented: 3,
  debug: 4,
  serviceRequest: 5,
  serviceAccept: 6,
  extInfo: 7,
  kexinit: 20,
  newkeys: 21,
  kexEcdhInit: 30,
  kexEcdhReply: 31,
  userauthRequest: 50,
  userauthFailure: 51,
  userauthSuccess: 52,
  userauthBanner: 53,
} as const;

/** RFC 4253 section 6.1: implementations must handle 35,000-byte packets; nothing larger is accepted. */
const MAX_PACKET = 35_000;

export const KEX_ALGORITHMS = ['curve25519-sha256', 'curve25519-sha256@libssh.org'];
export const CIPHERS = ['aes128-ctr', 'aes256-ctr'];
export const MACS = ['hmac-sha2-256'];

/** SSH wire writer: byte, uint32, string, name-list, mpint (RFC 4251 section 5). */
export class SshWriter {
  private parts: Buffer[] = [];
  byte(value: number): this {
    this.parts.push(Buffer.from([value]));
    return this;
  }
  bool(value: boolean): this {
    return this.byte(value ? 1 : 0);
  }
  uint32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value >>> 0);
    this.parts.push(b);
    return this;
  }
  raw(data: Buffer): this {
    this.parts.push(data);
    return this;
  }
  string(value: Buffer | string): this {
    const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    return this.uint32(data.length).raw(data);
  }
  nameList(names: readonly string[]): this {
    return this.string(names.join(','));
  }
  mpint(unsigned: Buffer): this {
    let start = 0;
    while (start < unsigned.length && unsigned[start] === 0) start++;
    const body = unsigned.subarray(start);
    return this.string(body.length > 0 && body[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body);
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** SSH wire reader over one payload; reading past the end is a ProtocolMismatch. */
export class SshReader {
  private offset = 0;
  constructor(private readonly data: Buffer) {}
  byte(): number {
    if (this.offset >= this.data.length) throw new ProtocolMismatch('SSH payload ends early');
    return this.data[this.offset++]!;
  }
  uint32(): number {
    if (this.offset + 4 > this.data.length) throw new ProtocolMismatch('SSH payload ends early');
    const value = this.data.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  bytes(length: number): Buffer {
    if (this.offset + length > this.data.length) throw new ProtocolMismatch('SSH payload ends early');
    const value = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  string(): Buffer {
    return this.bytes(this.uint32());
  }
  text(): string {
    return this.string().toString('latin1');
  }
  nameList(): string[] {
    const text = this.text();
    return text === '' ? [] : text.split(',');
  }
}

export interface KexInit {
  payload: Buffer;
  kex: string[];
  hostKey: string[];
  cipherClientToServer: string[];
  cipherServerToClient: string[];
  macClientToServer: string[];
  macServerToClient: string[];
  compressionClientToServer: string[];
  compressionServerToClient: string[];
}

export function buildKexInit(hostKeyAlgorithms: readonly string[]): Buffer {
  const w = new SshWriter().byte(MSG.kexinit).raw(randomBytes(16));
  w.nameList(KEX_ALGORITHMS).nameList(hostKeyAlgorithms);
  w.nameList(CIPHERS).nameList(CIPHERS).nameList(MACS).nameList(MACS).nameList(['none']).nameList(['none']);
  return w.nameList([]).nameList([]).bool(false).uint32(0).done();
}

export function parseKexInit(payload: Buffer): KexInit {
  const r = new SshReader(payload);
  if (r.byte() !== MSG.kexinit) throw new ProtocolMismatch('expected KEXINIT');
  r.bytes(16);
  return {
    payload,
    kex: r.nameList(),
    hostKey: r.nameList(),
    cipherClientToServer: r.nameList(),
    cipherServerToClient: r.nameList(),
    macClientToServer: r.nameList(),
    macServerToClient: r.nameList(),
    compressionClientToServer: r.nameList(),
    compressionServerToClient: r.nameList(),
  };
}

/** RFC 4253 section 7.1: the first client algorithm the server also lists. */
export function negotiate(client: readonly string[], server: readonly string[]): string | null {
  return client.find((name) => server.includes(name)) ?? null;
}

/** The X25519 public key as the raw 32 bytes SSH carries (the last bytes of its SPKI DER). */
export function rawX25519(spkiDer: Buffer): Buffer {
  return spkiDer.subarray(spkiDer.length - 32);
}

/** SPKI DER of a raw X25519 public key, for node:crypto. */
export function x25519Spki(raw: Buffer): Buffer {
  if (raw.length !== 32) throw new ProtocolMismatch('X25519 public key must be 32 bytes');
  return Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), raw]);
}

/** The exchange hash H of RFC 8731 section 3 (RFC 5656 section 4 layout). */
export function exchangeHash(parts: {
  clientVersion: string;
  serverVersion: string;
  clientKexInit: Buffer;
  serverKexInit: Buffer;
  hostKey: Buffer;
  clientPublic: Buffer;
  serverPublic: Buffer;
  shared: Buffer;
}): Buffer {
  const w = new SshWriter()
    .string(parts.clientVersion)
    .string(parts.serverVersion)
    .string(parts.clientKexInit)
    .string(parts.serverKexInit)
    .string(parts.hostKey)
    .string(parts.clientPublic)
    .string(parts.serverPublic)
    .mpint(parts.shared);
  return createHash('sha256').update(w.done()).digest();
}

export interface DirectionKeys {
  cipher: string;
  key: Buffer;
  iv: Buffer;
  macKey: Buffer;
}

/** RFC 4253 section 7.2: HASH(K || H || letter || session_id), extended while too short. */
export function deriveKeys(
  shared: Buffer,
  hash: Buffer,
  sessionId: Buffer,
  cipher: string,
): { clientToServer: DirectionKeys; serverToClient: DirectionKeys } {
  const k = new SshWriter().mpint(shared).done();
  const derive = (letter: string, length: number): Buffer => {
    let out = createHash('sha256').update(k).update(hash).update(letter).update(sessionId).digest();
    while (out.length < length)
      out = Buffer.concat([out, createHash('sha256').update(k).update(hash).update(out).digest()]);
    return out.subarray(0, length);
  };
  const keyLength = cipher === 'aes256-ctr' ? 32 : 16;
  return {
    clientToServer: { cipher, iv: derive('A', 16), key: derive('C', keyLength), macKey: derive('E', 32) },
    serverToClient: { cipher, iv: derive('B', 16), key: derive('D', keyLength), macKey: derive('F', 32) },
  };
}

function nodeCipher(name: string): string {
  return name === 'aes256-ctr' ? 'aes-256-ctr' : 'aes-128-ctr';
}

/** Adds `blocks` to a 128-bit big-endian counter. */
function addCounter(iv: Buffer, blocks: number): Buffer {
  const out = Buffer.from(iv);
  let carry = blocks;
  for (let i = 15; i >= 0 && carry > 0; i--) {
    const sum = out[i]! + (carry % 256);
    out[i] = sum & 0xff;
    carry = Math.floor(carry / 256) + (sum >> 8);
  }
  return out;
}

/**
 * One direction of the binary packet protocol (RFC 4253 section 6). Before NEWKEYS there is no cipher
 * and no MAC; after `encrypt(keys)` packets are aes-ctr encrypted with hmac-sha2-256.
 */
export class PacketSender {
  private sequence = 0;
  private cipher: Cipher | null = null;
  private macKey: Buffer | null = null;

  encrypt(keys: DirectionKeys): void {
    this.cipher = createCipheriv(nodeCipher(keys.cipher), keys.key, keys.iv);
    this.macKey = keys.macKey;
  }

  packet(payload: Buffer): Buffer {
    const block = this.cipher ? 16 : 8;
    let padding = block - ((5 + payload.length) % block);
    if (padding < 4) padding += block;
    const length = 1 + payload.length + padding;
    const plain = new SshWriter().uint32(length).byte(padding).raw(payload).raw(randomBytes(padding)).done();
    const sequence = this.sequence;
    this.sequence = (this.sequence + 1) >>> 0;
    if (!this.cipher || !this.macKey) return plain;
    const mac = createHmac('sha256', this.macKey)
      .update(new SshWriter().uint32(sequence).done())
      .update(plain)
      .digest();
    return Buffer.concat([this.cipher.update(plain), mac]);
  }
}

export class PacketReceiver {
  private keys: DirectionKeys | null = null;
  /** Blocks of keystream used so far in this direction. */
  private blocks = 0;
  private sequence = 0;

  decrypt(keys: DirectionKeys): void {
    this.keys = keys;
    this.blocks = 0;
  }

  /** Parser for `Conversation.read`: one whole packet's payload (MAC checked), or undefined. */
  readonly parse = (data: Buffer): Parsed<Buffer> => {
    const keys = this.keys;
    if (!keys) {
      if (data.length < 5) return undefined;
      const length = data.readUInt32BE(0);
      checkLength(length, 0);
      if (data.length < 4 + length) return undefined;
      this.sequence = (this.sequence + 1) >>> 0;
      return { value: payloadOf(data.subarray(0, 4 + length)), used: 4 + length };
    }
    if (data.length < 16) return undefined;
    const keystreamAt = (): ReturnType<typeof createDecipheriv> =>
      createDecipheriv(nodeCipher(keys.cipher), keys.key, addCounter(keys.iv, this.blocks));
    const first = keystreamAt().update(data.subarray(0, 16));
    const length = first.readUInt32BE(0);
    checkLength(length, 16);
    const total = 4 + length + 32;
    if (data.length < total) return undefined;
    const plain = keystreamAt().update(data.subarray(0, 4 + length));
    const mac = createHmac('sha256', keys.macKey)
      .update(new SshWriter().uint32(this.sequence).done())
      .update(plain)
      .digest();
    if (!timingSafeEqual(mac, data.subarray(4 + length, total))) throw new ProtocolMismatch('SSH packet MAC mismatch');
    this.blocks += (4 + length) / 16;
    this.sequence = (this.sequence + 1) >>> 0;
    return { value: payloadOf(plain), used: total };
  };
}

/** Before NEWKEYS (`block` 0) the block multiple is not enforced: some servers pad loosely there. */
function checkLength(length: number, block: number): void {
  if (length < 5 || length > MAX_PACKET || (block > 0 && (length + 4) % block !== 0))
    throw new ProtocolMismatch(`SSH packet length ${length} is not valid`);
}

function payloadOf(packet: Buffer): Buffer {
  const length = packet.readUInt32BE(0);
  const padding = packet[4]!;
  if (padding < 4 || padding + 1 > length) throw new ProtocolMismatch('SSH padding length is not valid');
  return packet.subarray(5, 4 + length - padding);
}
