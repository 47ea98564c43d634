/**
 * Names the service on one open port by protocol exchange, as nmap's version detection does: first listen
 * (a service that speaks first names itself: SSH, FTP, SMTP, Telnet, VNC, MySQL, POP3, IMAP), then speak
 * each client-first protocol on a fresh connection, the ones usual for this port first. A port number
 * only orders the attempts; it never names a service. A port where nothing matched is unidentified with
 * every protocol's reason; the whole port costs at most `budgetMs`.
 */
import type { PortService } from '../ports.types.js';
import { Conversation, type Parsed, printable } from './conversation.js';
import { assessFtpOrSmtp, isTwoTwentyGreeting } from './ftp-smtp.js';
import { assessMysql, isMysqlGreeting } from './mysql.js';
import { dicomProtocol } from './dicom.js';
import { mongodbProtocol, postgresProtocol, redisProtocol } from './databases.js';
import { dnsProtocol, hl7Protocol, sipProtocol, stunProtocol } from './messaging.js';
import { rdpProtocol } from './rdp.js';
import { smbProtocol } from './smb.js';
import { assessSsh, isSshBanner } from './ssh.js';
import { isTelnetBanner, telnetText } from './telnet.js';
import { httpProtocol, tlsProtocol } from './tls-http.js';
import { assessVnc, isRfbBanner } from './vnc.js';
import { type ClientFirstProtocol, matched, mismatch, type PortContext, type ProbeOutcome } from './service-probe.js';

/** In the order tried when the port suggests none of them. */
export const CLIENT_FIRST: readonly ClientFirstProtocol[] = [
  tlsProtocol,
  httpProtocol,
  rdpProtocol,
  smbProtocol,
  postgresProtocol,
  redisProtocol,
  mongodbProtocol,
  dicomProtocol,
  hl7Protocol,
  sipProtocol,
  stunProtocol,
  dnsProtocol,
];

/** Ports whose usual service speaks first: the banner is waited for longer there. */
const SPEAKS_FIRST_PORTS: ReadonlySet<number> = new Set([21, 22, 23, 25, 110, 143, 587, 3306, 5900]);

function peek(data: Buffer): Parsed<Buffer> {
  return { value: Buffer.from(data), used: 0 };
}

/** The service that spoke first, from its opening bytes (the conversation still holds them). */
async function assessBanner(conversation: Conversation, banner: Buffer): Promise<ProbeOutcome> {
  if (isSshBanner(banner)) return assessSsh(conversation);
  if (isRfbBanner(banner)) return assessVnc(conversation);
  if (isMysqlGreeting(banner)) return assessMysql(conversation);
  if (isTwoTwentyGreeting(banner)) return assessFtpOrSmtp(conversation);
  const text = banner.toString('latin1');
  if (text.startsWith('+OK')) return matched({ name: 'pop3', banner: printable(text) });
  if (text.startsWith('* OK')) return matched({ name: 'imap', banner: printable(text) });
  if (isTelnetBanner(banner)) {
    // The login prompt often follows the negotiation: give it a moment, then keep what came.
    await conversation.read(() => undefined, 300);
    return matched({ name: 'telnet', banner: telnetText(conversation.pending) });
  }
  return mismatch(`unrecognized banner ${JSON.stringify(printable(text, 60))}`);
}

export async function identifyService(ctx: PortContext, budgetMs: number): Promise<PortService> {
  const started = Date.now();
  const reasons: string[] = [];
  const base = { port: ctx.port, transport: 'tcp' as const };
  const hinted = CLIENT_FIRST.filter((p) => p.usualPorts.includes(ctx.port));
  const others = CLIENT_FIRST.filter((p) => !hinted.includes(p));
  const attempt = async (protocols: readonly ClientFirstProtocol[], on = ctx): Promise<PortService | null> => {
    for (const protocol of protocols) {
      if (Date.now() - started > budgetMs) {
        reasons.push(`gave up after ${budgetMs} ms`);
        return null;
      }
      const outcome = await protocol.probe(on);
      if ('matched' in outcome) return { ...base, identified: true, service: outcome.matched };
      reasons.push(`${protocol.name}: ${outcome.mismatch}`);
    }
    return null;
  };
  // The protocol usual on this port first (no wait for a banner that will not come).
  const usual = await attempt(hinted);
  if (usual) return usual;
  // Then listen for a banner while the other protocols are tried, each on its own connection: a service
  // that speaks first stops the tries as soon as it speaks, one that waits for the client is found
  // without first waiting out the banner time.
  let spoke = false;
  const listening = listen(ctx, reasons, () => {
    spoke = true;
  });
  const quick = { ...ctx.tuning, readTimeoutMs: Math.min(ctx.tuning.readTimeoutMs, ctx.tuning.tryTimeoutMs ?? 1000) };
  const trying = (async (): Promise<PortService | null> => {
    for (const protocol of others) {
      if (spoke) return null;
      const found = await attempt([protocol], { ...ctx, tuning: quick });
      if (found) return found;
    }
    return null;
  })();
  const first = await Promise.race([
    listening.then((r) => ({ from: 'listen' as const, r })),
    trying.then((r) => ({ from: 'try' as const, r })),
  ]);
  if (first.r) return first.r;
  const other = first.from === 'listen' ? await trying : await listening;
  if (other) return other;
  return { ...base, identified: false, reason: `no protocol answered (${reasons.join('; ')})` };
}

/** nmap's NULL probe: connect and wait for the service to speak first. */
async function listen(ctx: PortContext, reasons: string[], onBanner: () => void): Promise<PortService | null> {
  const base = { port: ctx.port, transport: 'tcp' as const };
  const conversation = await Conversation.open(ctx.guard, ctx.address, ctx.port, {
    connectTimeoutMs: ctx.tuning.connectTimeoutMs,
    readTimeoutMs: ctx.tuning.readTimeoutMs,
  });
  if (!(conversation instanceof Conversation)) {
    reasons.push(`connect: ${conversation.why}: ${conversation.detail}`);
    return null;
  }
  try {
    const wait = SPEAKS_FIRST_PORTS.has(ctx.port) ? ctx.tuning.bannerWaitMs * 2 : ctx.tuning.bannerWaitMs;
    const banner = await conversation.read(peek, wait);
    if (banner.ok) {
      onBanner();
      const outcome = await assessBanner(conversation, banner.value);
      if ('matched' in outcome) return { ...base, identified: true, service: outcome.matched };
      // A service that spoke something no module understands: what it is stays unknown.
      return { ...base, identified: false, reason: [...reasons, outcome.mismatch].join('; ') };
    }
    if (banner.why !== 'timeout') reasons.push(`listening: ${banner.why}`);
    return null;
  } finally {
    conversation.close();
  }
}
