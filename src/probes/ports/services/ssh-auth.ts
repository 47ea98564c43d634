/**
 * Which user-authentication methods an SSH server offers (RFC 4252 section 5.2: a `none` request is
 * answered with the list). Reaching that question takes a key exchange: curve25519-sha256, aes-ctr,
 * hmac-sha2-256 (ssh-transport.ts). The host key's signature is not verified: nothing is trusted to the
 * server, and no credential is ever sent.
 */
import { createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import type { Conversation, ReadResult } from './conversation.js';
import {
  MSG,
  PacketReceiver,
  PacketSender,
  SshReader,
  SshWriter,
  buildKexInit,
  deriveKeys,
  exchangeHash,
  negotiate,
  parseKexInit,
  rawX25519,
  x25519Spki,
  CIPHERS,
  KEX_ALGORITHMS,
  MACS,
} from './ssh-transport.js';

export const PROBE_IDENTIFICATION = 'SSH-2.0-VitalsScanner_1.0';
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
/** Packets a server may send at any time, skipped while waiting for the one expected. */
const SKIPPABLE: ReadonlySet<number> = new Set([MSG.ignore, MSG.debug, MSG.extInfo, MSG.userauthBanner]);
const MAX_SKIPPED = 32;

type Failure = Extract<ReadResult<never>, { ok: false }>;
const fail = (detail: string): Failure => ({ ok: false, why: 'malformed', detail });

export async function sshAuthMethods(conversation: Conversation, serverVersion: string): Promise<ReadResult<string[]>> {
  const sender = new PacketSender();
  const receiver = new PacketReceiver();
  const next = async (expected: number): Promise<ReadResult<Buffer>> => {
    for (let skipped = 0; skipped <= MAX_SKIPPED; skipped++) {
      const packet = await conversation.read(receiver.parse);
      if (!packet.ok) return packet;
      const type = packet.value[0];
      if (type === expected) return packet;
      if (type === MSG.disconnect) {
        const r = new SshReader(packet.value.subarray(1));
        r.uint32();
        return fail(`the server disconnected: ${r.text().slice(0, 120)}`);
      }
      if (type === undefined || !SKIPPABLE.has(type)) return fail(`expected message ${expected}, got ${type}`);
    }
    return fail('too many ignorable messages');
  };

  conversation.write(`${PROBE_IDENTIFICATION}\r\n`);
  const clientKexInit = buildKexInit(HOST_KEY_ALGORITHMS);
  conversation.write(sender.packet(clientKexInit));
  const serverKex = await next(MSG.kexinit);
  if (!serverKex.ok) return serverKex;
  const server = parseKexInit(serverKex.value);
  const cipher = negotiate(CIPHERS, server.cipherServerToClient);
  const cipherOut = negotiate(CIPHERS, server.cipherClientToServer);
  if (!negotiate(KEX_ALGORITHMS, server.kex)) return fail(`no common key exchange (server: ${server.kex.join(',')})`);
  if (!cipher || cipher !== cipherOut)
    return fail(`no common cipher (server: ${server.cipherServerToClient.join(',')})`);
  if (!negotiate(MACS, server.macServerToClient) || !negotiate(MACS, server.macClientToServer))
    return fail(`no common MAC (server: ${server.macServerToClient.join(',')})`);
  if (!server.compressionServerToClient.includes('none')) return fail('the server insists on compression');

  const ours = generateKeyPairSync('x25519');
  const clientPublic = rawX25519(ours.publicKey.export({ format: 'der', type: 'spki' }));
  conversation.write(sender.packet(new SshWriter().byte(MSG.kexEcdhInit).string(clientPublic).done()));
  const reply = await next(MSG.kexEcdhReply);
  if (!reply.ok) return reply;
  const r = new SshReader(reply.value.subarray(1));
  const hostKey = r.string();
  const serverPublic = r.string();
  const shared = diffieHellman({
    privateKey: ours.privateKey,
    publicKey: createPublicKey({ key: x25519Spki(serverPublic), format: 'der', type: 'spki' }),
  });
  const hash = exchangeHash({
    clientVersion: PROBE_IDENTIFICATION,
    serverVersion,
    clientKexInit,
    serverKexInit: server.payload,
    hostKey,
    clientPublic,
    serverPublic,
    shared,
  });
  const keys = deriveKeys(shared, hash, hash, cipher);
  conversation.write(sender.packet(Buffer.from([MSG.newkeys])));
  const newKeys = await next(MSG.newkeys);
  if (!newKeys.ok) return newKeys;
  sender.encrypt(keys.clientToServer);
  receiver.decrypt(keys.serverToClient);

  conversation.write(sender.packet(new SshWriter().byte(MSG.serviceRequest).string('ssh-userauth').done()));
  const accepted = await next(MSG.serviceAccept);
  if (!accepted.ok) return accepted;
  const none = new SshWriter().byte(MSG.userauthRequest).string('vitals-probe').string('ssh-connection').string('none');
  conversation.write(sender.packet(none.done()));
  for (let i = 0; i < 2; i++) {
    const answer = await conversation.read(receiver.parse);
    if (!answer.ok) return answer;
    const type = answer.value[0];
    if (type === MSG.userauthBanner) continue;
    // `none` accepted: the server asks for no authentication at all.
    if (type === MSG.userauthSuccess) return { ok: true, value: ['none'] };
    if (type !== MSG.userauthFailure) return fail(`expected USERAUTH_FAILURE, got ${type}`);
    const methods = new SshReader(answer.value.subarray(1)).nameList().slice(0, 16);
    conversation.write(sender.packet(new SshWriter().byte(MSG.disconnect).uint32(11).string('bye').string('').done()));
    return { ok: true, value: methods.map((m) => m.slice(0, 40)) };
  }
  return fail('no answer to the authentication request');
}
