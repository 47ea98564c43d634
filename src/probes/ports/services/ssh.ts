/**
 * SSH (RFC 4253 section 4.2): the server's identification line `SSH-protoversion-softwareversion comments`,
 * possibly after other lines. Whether password authentication is offered is only said after a key
 * exchange (the USERAUTH_FAILURE list of RFC 4252 section 5.1); `ssh-auth.ts` performs the minimum of one.
 */
import { lineParser, printable, type Conversation } from './conversation.js';
import { matched, mismatch, type ProbeOutcome } from './service-probe.js';
import { sshAuthMethods } from './ssh-auth.js';

/** RFC 4253 allows other lines before the version; more than this is not a server worth waiting for. */
const MAX_PRE_LINES = 16;

export function isSshBanner(banner: Buffer): boolean {
  return banner.subarray(0, 4).toString('latin1') === 'SSH-';
}

export async function assessSsh(conversation: Conversation): Promise<ProbeOutcome> {
  for (let i = 0; i <= MAX_PRE_LINES; i++) {
    const line = await conversation.read(lineParser(255));
    if (!line.ok) return mismatch(`identification: ${line.why}: ${line.detail}`);
    const match = /^SSH-(\d+\.\d+)-(\S+)(?: (.*))?$/.exec(line.value);
    if (!match) continue;
    const banner = printable(line.value, 255);
    const software = printable(match[2]!, 100);
    if (match[1] !== '2.0' && match[1] !== '1.99') {
      return matched({
        name: 'ssh',
        banner,
        software,
        passwordAuth: { assessed: false, reason: `protocol version ${match[1]} is not SSH 2` },
      });
    }
    const methods = await sshAuthMethods(conversation, line.value);
    return matched({
      name: 'ssh',
      banner,
      software,
      passwordAuth: methods.ok
        ? { assessed: true, value: methods.value.includes('password') }
        : { assessed: false, reason: `authentication methods: ${methods.why}: ${methods.detail}` },
      ...(methods.ok ? { authMethods: methods.value } : {}),
    });
  }
  return mismatch('no SSH identification line');
}
