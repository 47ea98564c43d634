/**
 * Services that greet with `220`: FTP (RFC 959) and SMTP (RFC 5321). The greeting alone does not say
 * which, so EHLO decides when the text does not: an SMTP server answers 250, an FTP server 500/502.
 * FTP: is anonymous login accepted (USER anonymous, PASS with an e-mail-like password)? SMTP: does EHLO
 * offer STARTTLS?
 */
import { type Conversation, printable } from './conversation.js';
import { matched, mismatch, type ProbeOutcome } from './service-probe.js';
import { parseTextReply, type TextReply } from './text-reply.js';

const HELO_NAME = 'vitals-scanner.invalid';

export function isTwoTwentyGreeting(banner: Buffer): boolean {
  return /^220[ -]/.test(banner.subarray(0, 4).toString('latin1'));
}

export async function assessFtpOrSmtp(conversation: Conversation): Promise<ProbeOutcome> {
  const greeting = await conversation.read(parseTextReply);
  if (!greeting.ok) return mismatch(`greeting: ${greeting.why}: ${greeting.detail}`);
  if (greeting.value.code !== 220) return mismatch(`greeting code ${greeting.value.code}`);
  const banner = printable(greeting.value.lines.join(' '));
  if (/\bftp/i.test(banner)) return assessFtp(conversation, banner);
  conversation.write(`EHLO ${HELO_NAME}\r\n`);
  const ehlo = await conversation.read(parseTextReply);
  if (!ehlo.ok) return mismatch(`EHLO: ${ehlo.why}: ${ehlo.detail}`);
  if (ehlo.value.code === 250) return smtpService(conversation, banner, ehlo.value);
  if (/smtp|mail/i.test(banner)) return smtpService(conversation, banner, null);
  return assessFtp(conversation, banner);
}

function smtpService(conversation: Conversation, banner: string, ehlo: TextReply | null): ProbeOutcome {
  // Without EHLO (a HELO-only server) there are no extensions, so no STARTTLS either (RFC 3207 section 4).
  const extensions = (ehlo?.lines.slice(1) ?? []).map((l) => printable(l.split(' ')[0] ?? '', 40).toUpperCase());
  conversation.write('QUIT\r\n');
  return matched({ name: 'smtp', banner, extensions, starttls: extensions.includes('STARTTLS') });
}

async function assessFtp(conversation: Conversation, banner: string): Promise<ProbeOutcome> {
  const anonymous = await anonymousLogin(conversation);
  conversation.write('QUIT\r\n');
  return matched({ name: 'ftp', banner, anonymousLogin: anonymous });
}

async function anonymousLogin(conversation: Conversation) {
  conversation.write('USER anonymous\r\n');
  const user = await conversation.read(parseTextReply);
  if (!user.ok) return { assessed: false as const, reason: `USER: ${user.why}: ${user.detail}` };
  if (user.value.code === 230) return { assessed: true as const, value: true };
  if (user.value.code === 530) return { assessed: true as const, value: false };
  if (user.value.code !== 331)
    return { assessed: false as const, reason: `USER anonymous answered ${user.value.code}` };
  conversation.write('PASS anonymous@example.invalid\r\n');
  const pass = await conversation.read(parseTextReply);
  if (!pass.ok) return { assessed: false as const, reason: `PASS: ${pass.why}: ${pass.detail}` };
  if (pass.value.code === 230) return { assessed: true as const, value: true };
  if (pass.value.code === 530) return { assessed: true as const, value: false };
  return { assessed: false as const, reason: `PASS answered ${pass.value.code}` };
}
