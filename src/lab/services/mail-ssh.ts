/**
 * The lab's SMTP (EHLO with or without STARTTLS; STARTTLS itself is declined, the TLS family owns TLS)
 * and SSH (identification, curve25519-sha256 key exchange signed with an Ed25519 host key, then the
 * user-authentication service listing `publickey,password` or only `publickey`).
 */
import { createPublicKey, diffieHellman, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type net from 'node:net';
import {
  MSG,
  PacketReceiver,
  PacketSender,
  SshReader,
  SshWriter,
  buildKexInit,
  deriveKeys,
  exchangeHash,
  parseKexInit,
  rawX25519,
  x25519Spki,
} from '../../probes/ports/services/ssh-transport.js';
import type { LabService } from './plan.js';
import { isText, session, takeLine } from './session.js';

export function serveSmtp(socket: net.Socket, service: LabService, address: string): void {
  const software = service.version.startsWith('Exim') ? `ESMTP ${service.version}` : `ESMTP ${service.version}`;
  socket.write(`220 ${address} ${software} ready\r\n`);
  session(socket, (data) => {
    const taken = takeLine(data);
    if (taken === null) return 0;
    if (!isText(taken.line)) return 'close';
    const verb = (taken.line.split(' ')[0] ?? '').toUpperCase();
    if (verb === 'EHLO') {
      const extensions = ['SIZE 52428800', '8BITMIME', 'PIPELINING', ...(service.weak ? [] : ['STARTTLS']), 'HELP'];
      const lines = [`${address} Hello`, ...extensions];
      socket.write(lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join(''));
    } else if (verb === 'HELO') socket.write(`250 ${address}\r\n`);
    else if (verb === 'STARTTLS') socket.write('454 4.7.0 TLS not available due to local problem\r\n');
    else if (verb === 'QUIT') {
      socket.write('221 2.0.0 Bye\r\n');
      return 'close';
    } else socket.write('500 5.5.1 Unrecognized command\r\n');
    return taken.used;
  });
}

let hostKey: { privateKey: KeyObject; blob: Buffer } | undefined;

/** One Ed25519 host key for the lab's SSH servers (made at first use). */
function labHostKey(): { privateKey: KeyObject; blob: Buffer } {
  if (hostKey) return hostKey;
  const pair = generateKeyPairSync('ed25519');
  const raw = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  hostKey = { privateKey: pair.privateKey, blob: new SshWriter().string('ssh-ed25519').string(raw).done() };
  return hostKey;
}

export function serveSsh(socket: net.Socket, service: LabService): void {
  const identification = `SSH-2.0-${service.version}`;
  socket.write(`${identification}\r\n`);
  const sender = new PacketSender();
  const receiver = new PacketReceiver();
  const serverKexInit = buildKexInit(['ssh-ed25519']);
  let clientVersion: string | null = null;
  let clientKexInit: Buffer | null = null;
  let pendingKeys: ReturnType<typeof deriveKeys> | null = null;
  socket.write(sender.packet(serverKexInit));
  const send = (payload: Buffer): void => {
    socket.write(sender.packet(payload));
  };
  session(socket, (data) => {
    if (clientVersion === null) {
      const taken = takeLine(data);
      if (taken === null) return 0;
      if (!taken.line.startsWith('SSH-2.0-')) return 'close';
      clientVersion = taken.line;
      return taken.used;
    }
    const parsed = receiver.parse(data);
    if (parsed === undefined) return 0;
    const payload = parsed.value;
    const r = new SshReader(payload.subarray(1));
    switch (payload[0]) {
      case MSG.kexinit:
        parseKexInit(payload);
        clientKexInit = payload;
        break;
      case MSG.kexEcdhInit: {
        if (!clientKexInit) return 'close';
        const clientPublic = r.string();
        const ours = generateKeyPairSync('x25519');
        const serverPublic = rawX25519(ours.publicKey.export({ format: 'der', type: 'spki' }));
        const shared = diffieHellman({
          privateKey: ours.privateKey,
          publicKey: createPublicKey({ key: x25519Spki(clientPublic), format: 'der', type: 'spki' }),
        });
        const key = labHostKey();
        const hash = exchangeHash({
          clientVersion,
          serverVersion: identification,
          clientKexInit,
          serverKexInit,
          hostKey: key.blob,
          clientPublic,
          serverPublic,
          shared,
        });
        const signature = new SshWriter()
          .string('ssh-ed25519')
          .string(sign(null, hash, key.privateKey))
          .done();
        send(new SshWriter().byte(MSG.kexEcdhReply).string(key.blob).string(serverPublic).string(signature).done());
        send(Buffer.from([MSG.newkeys]));
        pendingKeys = deriveKeys(shared, hash, hash, 'aes128-ctr');
        sender.encrypt(pendingKeys.serverToClient);
        break;
      }
      case MSG.newkeys:
        if (!pendingKeys) return 'close';
        receiver.decrypt(pendingKeys.clientToServer);
        break;
      case MSG.serviceRequest:
        if (r.text() !== 'ssh-userauth') return 'close';
        send(new SshWriter().byte(MSG.serviceAccept).string('ssh-userauth').done());
        break;
      case MSG.userauthRequest: {
        const methods = service.weak ? ['publickey', 'password'] : ['publickey'];
        send(new SshWriter().byte(MSG.userauthFailure).nameList(methods).bool(false).done());
        break;
      }
      case MSG.ignore:
      case MSG.debug:
        break;
      default:
        return 'close';
    }
    return parsed.used;
  });
}
