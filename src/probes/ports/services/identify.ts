/**
 * Names the service on one open port by protocol exchange, as nmap's version detection does: first listen
 * (a service that speaks first names itself: SSH, FTP, SMTP, Telnet, VNC, MySQL, POP3, IMAP), then speak
 * each client-first protocol on a fresh connection, the ones usual for this port first. A port number
 * only orders the attempts; it never names a service. The tries use a short timeout; when nothing matched,
 * the listener and the tries that timed out get the full read timeout once more. A port where nothing
 * matched is unidentified with every protocol's reason. `budgetMs` bounds the time spent on tries that met
 * silence, and three times it the wall time of the whole port.
 */
import type { PortService } from '../ports.types.js';
import { Conversation, type Parsed, printable } from './conversation.js';
import { assessFtpOrSmtp, isTwoTwentyGreeting } from './ftp-smtp.js';
import { assessMysql, isMysqlGreeting } from './mysql.js';
import { dicomProtocol } from './dicom.js';
import { mongodbProtocol, postgresProtocol, redisProtocol } from './databases.js';
import { mssqlProtocol } from './mssql.js';
import { oracleProtocol } from './oracle-tns.js';
import { dnsProtocol, hl7Protocol, sipProtocol, stunProtocol } from './messaging.js';
import { rdpProtocol } from './rdp.js';
import { smbProtocol } from './smb.js';
import { assessSsh, isSshBanner } from './ssh.js';
import { isTelnetBanner, telnetText } from './telnet.js';
import { httpProtocol, tlsProtocol } from './tls-http.js';
import { assessVnc, isRfbBanner } from './vnc.js';
import {
  type ClientFirstProtocol,
  matched,
  mismatch,
  type PortContext,
  type ProbeOutcome,
  type ServiceTuning,
} from './service-probe.js';

/** In the order tried when the port suggests none of them. */
export const CLIENT_FIRST: readonly ClientFirstProtocol[] = [
  tlsProtocol,
  httpProtocol,
  rdpProtocol,
  smbProtocol,
  postgresProtocol,
  redisProtocol,
  mongodbProtocol,
  mssqlProtocol,
  oracleProtocol,
  dicomProtocol,
  hl7Protocol,
  sipProtocol,
  stunProtocol,
  dnsProtocol,
];

/** A try's mismatch that is silence (no connection, or no complete reply, before the deadline). */
const TIMED_OUT = /\btimeout: /;

/** Wall time one port may take, as a multiple of the budget (which counts silence only). */
const WALL_CAP_FACTOR = 3;

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
  // The budget counts the time spent on tries that met silence (a timeout): on a loaded machine every
  // exchange is slow but answered, and that must not use it up. Wall time is capped at a multiple of it.
  let waited = 0;
  const exhausted = (): boolean => waited > budgetMs || Date.now() - started > budgetMs * WALL_CAP_FACTOR;
  const attempt = async (protocol: ClientFirstProtocol, on: PortContext): Promise<PortService | 'silent' | null> => {
    const tried = Date.now();
    const outcome = await protocol.probe(on);
    if ('matched' in outcome) return { ...base, identified: true, service: outcome.matched };
    reasons.push(`${protocol.name}: ${outcome.mismatch}`);
    if (!TIMED_OUT.test(outcome.mismatch)) return null;
    waited += Date.now() - tried;
    return 'silent';
  };
  /**
   * Listens for a banner while `protocols` are tried one after another, each on its own connection: a
   * service that speaks first stops the tries as soon as it speaks, one that waits for the client is
   * found without first waiting out the banner time.
   */
  const phase = async (protocols: readonly ClientFirstProtocol[], tuning: ServiceTuning, bannerWaitMs: number) => {
    let spoke = false;
    let silent = false;
    const timedOut: ClientFirstProtocol[] = [];
    const listening = listen(ctx, bannerWaitMs, reasons, {
      spoke: () => {
        spoke = true;
      },
      silent: () => {
        silent = true;
      },
    });
    const trying = (async (): Promise<PortService | null> => {
      for (const protocol of protocols) {
        if (spoke) return null;
        if (exhausted()) {
          reasons.push(`gave up after ${budgetMs} ms without answers`);
          return null;
        }
        const found = await attempt(protocol, { ...ctx, tuning });
        if (found === 'silent') timedOut.push(protocol);
        else if (found) return found;
      }
      return null;
    })();
    const first = await Promise.race([
      listening.then((r) => ({ from: 'listen' as const, r })),
      trying.then((r) => ({ from: 'try' as const, r })),
    ]);
    const found = first.r ?? (first.from === 'listen' ? await trying : await listening);
    return { found, spoke, silent, timedOut };
  };
  // The protocol usual on this port first (no wait for a banner that will not come).
  for (const protocol of hinted) {
    const found = await attempt(protocol, ctx);
    if (found !== null && found !== 'silent') return found;
  }
  const speaksFirst = SPEAKS_FIRST_PORTS.has(ctx.port);
  const quick = { ...ctx.tuning, readTimeoutMs: Math.min(ctx.tuning.readTimeoutMs, ctx.tuning.tryTimeoutMs ?? 1000) };
  const bannerWaitMs = speaksFirst ? ctx.tuning.bannerWaitMs * 2 : ctx.tuning.bannerWaitMs;
  const quickly = await phase(others, quick, bannerWaitMs);
  if (quickly.found) return quickly.found;
  // Silence proves nothing: a slow or loaded server may answer later. When nothing matched, the listener
  // and the tries that timed out get the full read timeout once more (a tarpit ends at the budget).
  if (!quickly.spoke && (quickly.silent || quickly.timedOut.length > 0) && !exhausted()) {
    const wait = Math.max(bannerWaitMs, ctx.tuning.readTimeoutMs);
    const again = await phase(quickly.timedOut, ctx.tuning, quickly.silent ? wait : 0);
    if (again.found) return again.found;
  }
  return { ...base, identified: false, reason: `no protocol answered (${reasons.join('; ')})` };
}

/** nmap's NULL probe: connect and wait `waitMs` for the service to speak first (no wait: nothing). */
async function listen(
  ctx: PortContext,
  waitMs: number,
  reasons: string[],
  on: { spoke: () => void; silent: () => void },
): Promise<PortService | null> {
  if (waitMs <= 0) return null;
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
    const banner = await conversation.read(peek, waitMs);
    if (banner.ok) {
      on.spoke();
      const outcome = await assessBanner(conversation, banner.value);
      if ('matched' in outcome) return { ...base, identified: true, service: outcome.matched };
      // A service that spoke something no module understands: what it is stays unknown.
      return { ...base, identified: false, reason: [...reasons, outcome.mismatch].join('; ') };
    }
    if (banner.why === 'timeout') on.silent();
    else reasons.push(`listening: ${banner.why}`);
    return null;
  } finally {
    conversation.close();
  }
}
