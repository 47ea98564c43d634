/**
 * Credential dumps in the layouts real ones use (issue #9 section 2): combo lines with any separator,
 * ULP lists (`url:login:pass`, `login:pass@url`), stealer-log blocks as RedLine, Raccoon, Vidar and
 * Lumma write them, hashed passwords (MD5, SHA-1, bcrypt, NTLM pwdump lines), CSV/TSV/Markdown tables
 * and JSON lines, with comments, headers and noise lines between. The organization is the owner of
 * the e-mail domain or of the login URL. Every secret is fake (words, years, random strings); the
 * truth records each pair whose login is an e-mail address.
 */
import { createHash } from 'node:crypto';
import { plantIpv4 } from './identifiers.js';
import type { OrgProfile } from './orgs.js';
import type { DocWriter } from './writer.js';
import { MAIL_PROVIDERS, MALWARE_NAMES } from './vocabulary.js';
import { aside, clock, hex, password, type BuildInput, type BuiltDocument } from './doc-helpers.js';

/** One leaked account: `login` an e-mail or a user name, `site` the login page when the layout names one. */
interface Account {
  login: string;
  secret: string;
  site: string;
  email: boolean;
}

const PUBLIC_SITES = [
  'https://accounts.google.com/signin',
  'https://www.facebook.com/login.php',
  'https://login.live.com/login.srf',
  'https://www.netflix.com/login',
  'https://steamcommunity.com/login/home',
  'https://www.paypal.com/signin',
  'https://discord.com/login',
  'https://www.amazon.com/ap/signin',
  'https://github.com/session',
  'https://www.linkedin.com/uas/login',
];

const ORG_PATHS = [
  (d: string) => `https://portal.${d}/login`,
  (d: string) => `https://mychart.${d}/MyChart/Authentication/Login`,
  (d: string) => `https://vpn.${d}/remote/login`,
  (d: string) => `https://mail.${d}/owa/auth/logon.aspx`,
  (d: string) => `https://citrix.${d}/Citrix/StoreWeb/`,
  (d: string) => `https://ehr.${d}/signin`,
];

/** A public-provider address (not any organization's). */
function privateEmail(w: DocWriter): string {
  return w.staffEmail(w.rng.pick(MAIL_PROVIDERS));
}

/** The accounts of a dump: `orgLines` of them belong to the victims, the rest are other people's. */
function accounts(w: DocWriter, victims: readonly OrgProfile[], total: number, urls: boolean): Account[] {
  const r = w.rng;
  const orgLines = victims.length === 0 ? 0 : r.range(2, Math.max(2, Math.floor(total / 2)));
  const out: Account[] = [];
  for (let i = 0; i < total; i++) {
    const secret = password(w);
    if (i < orgLines) {
      const org = victims[i % victims.length]!;
      const orgSite = r.pick(ORG_PATHS)(org.domain);
      // A ULP line of the organization's own portal may carry a bare user name (the URL names the owner).
      if (urls && r.chance(0.25)) {
        const { first, last } = w.person();
        out.push({ login: `${first[0]}${last}`.toLowerCase(), secret, site: orgSite, email: false });
        w.claim(org, 'domain');
        continue;
      }
      const site = r.chance(0.6)
        ? orgSite
        : r.pick(['https://login.microsoftonline.com/', 'https://outlook.office365.com/']);
      out.push({ login: w.staffEmail(org.domain), secret, site, email: true });
      w.claim(org, 'email_domain');
      continue;
    }
    let login = privateEmail(w);
    if (r.chance(0.06)) {
      const org = r.pick(w.ctx.orgs);
      if (org.typoDomains.length > 0) {
        const domain = r.pick(org.typoDomains);
        w.traps.push({ org: org.name, kind: 'typo_domain', text: domain });
        login = w.staffEmail(domain);
      }
    }
    out.push({ login, secret, site: r.pick(PUBLIC_SITES), email: true });
  }
  return r.shuffle(out);
}

function record(w: DocWriter, list: readonly Account[]): void {
  for (const a of list) if (a.email) w.record({ type: 'credential', value: a.login, valid: true });
}

function noise(w: DocWriter): string {
  const r = w.rng;
  return r.pick([
    '',
    '------------------------------',
    `# checked ${r.range(1, 28)}.${String(r.range(1, 12)).padStart(2, '0')}, valid only`,
    `// bad lines removed: ${r.range(3, 400)}`,
    '[!] dupes removed',
    '=====',
    `join t.me/combolist_daily for daily drops`,
  ]);
}

/** Lines with a comment or noise line between them now and then. */
function interleave(w: DocWriter, lines: readonly string[], rate: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (w.rng.chance(rate)) out.push(noise(w));
    out.push(line);
  }
  return out;
}

function combo(w: DocWriter, list: readonly Account[]): string[] {
  const r = w.rng;
  const sep = r.pick([':', ':', ':', ';', '|', ' | ', '\t', ',']);
  const bullet = r.chance(0.15) ? r.pick(['- ', '* ', '> ']) : '';
  return list.map((a) => `${bullet}${w.keep(`${a.login}${sep}${a.secret}`)}`);
}

function ulp(w: DocWriter, list: readonly Account[]): string[] {
  const r = w.rng;
  const style = r.int(3);
  return list.map((a) => {
    const bare = a.site.replace(/^https:\/\//, '').replace(/\/.*$/, '');
    if (style === 0) return w.keep(`${a.site}:${a.login}:${a.secret}`);
    if (style === 1) return w.keep(`${bare}:${a.login}:${a.secret}`);
    return w.keep(`${a.login}:${a.secret}@${a.site}`);
  });
}

/** The header of one stealer log: the infected machine. */
function machine(w: DocWriter, family: string): string[] {
  const r = w.rng;
  // Functions: only the lines drawn may plant anything.
  const lines: Array<() => string> = [
    () => `Build ID: ${r.pick(['medlogs', 'us_q2', 'traffic7', 'cloud', 'main'])}`,
    () => `IP: ${w.plant(plantIpv4(r, true))}`,
    () => 'Country: US',
    () => `OS: ${r.pick(['Windows 10 Pro x64', 'Windows 11 Home x64', 'Windows 10 Enterprise x64'])}`,
    () => `HWID: ${hex(w, 32).toUpperCase()}`,
    () => `Log date: ${r.range(1, 28)}/${r.range(1, 12)}/2024 ${clock(w)}`,
  ];
  return [`${family} log`, ...r.sample(lines, r.range(3, lines.length)).map((line) => line()), ''];
}

const BROWSERS = ['Google Chrome', 'Microsoft Edge', 'Mozilla Firefox', 'Brave', 'Opera'];

function stealer(w: DocWriter, list: readonly Account[]): string[] {
  const r = w.rng;
  const family = r.pick(MALWARE_NAMES);
  const style = r.int(3);
  const out = r.chance(0.6) ? machine(w, family) : [];
  if (r.chance(0.5)) out.push('*** PASSWORDS ***', '');
  const separator = r.pick(['===============', '', '--------------------']);
  for (const a of list) {
    const browser = r.pick(BROWSERS);
    if (style === 0)
      out.push(
        `URL: ${w.keep(a.site)}`,
        `Username: ${w.keep(a.login)}`,
        `Password: ${w.keep(a.secret)}`,
        `Application: ${browser.replace(' ', '_')}_[Default]`,
      );
    else if (style === 1) out.push(`URL: ${w.keep(a.site)}`, `USER: ${w.keep(a.login)}`, `PASS: ${w.keep(a.secret)}`);
    else
      out.push(
        `Soft: ${browser} (Default)`,
        `Host: ${w.keep(a.site)}`,
        `Login: ${w.keep(a.login)}`,
        `Password: ${w.keep(a.secret)}`,
      );
    out.push(separator);
  }
  return out;
}

/** The hashed form of a fake password (real digests of it; bcrypt salts and digests are random). */
function hashed(w: DocWriter, secret: string, kind: number): string {
  if (kind === 0) return createHash('md5').update(secret).digest('hex');
  if (kind === 1) return createHash('sha1').update(secret).digest('hex');
  const b64 = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let tail = '';
  for (let i = 0; i < 53; i++) tail += b64[w.rng.int(b64.length)];
  return `$2${w.rng.pick(['a', 'b', 'y'])}$${w.rng.pick(['10', '12'])}$${tail}`;
}

function hashes(w: DocWriter, list: readonly Account[]): string[] {
  const r = w.rng;
  const kind = r.int(3);
  const header = r.pick([
    `# users table, ${['md5', 'sha1', 'bcrypt'][kind]} hashes, no salt`,
    `-- dumped from the web portal db, hash:${['md5', 'sha1', 'bcrypt'][kind]}`,
    `${['md5', 'sha1', 'bcrypt'][kind]} - crack them yourself`,
  ]);
  const lines = list.map((a) => w.keep(`${a.login}:${hashed(w, a.secret, kind)}`));
  // NTLM pwdump lines of a domain controller: user names, no e-mail (not counted as e-mail pairs).
  if (r.chance(0.3)) {
    lines.push('', '# ntds extract');
    for (let i = r.range(2, 5); i > 0; i--) {
      const { first, last } = w.person();
      lines.push(
        w.keep(
          `${first[0]}${last}`.toLowerCase() +
            `:${r.range(1100, 9000)}:aad3b435b51404eeaad3b435b51404ee:${hex(w, 32)}:::`,
        ),
      );
    }
  }
  return [header, ...lines];
}

function table(w: DocWriter, list: readonly Account[]): string[] {
  const r = w.rng;
  const style = r.int(3);
  const cols = r.pick([
    ['email', 'password'],
    ['id', 'email', 'password', 'last_login'],
    ['Email', 'Password', 'Site'],
  ]);
  const cell = (a: Account, col: string, i: number): string =>
    /email/i.test(col)
      ? w.keep(a.login)
      : /password/i.test(col)
        ? w.keep(a.secret)
        : col === 'id'
          ? String(1000 + i)
          : col === 'Site'
            ? w.keep(a.site)
            : `2024-${String(r.range(1, 12)).padStart(2, '0')}-${String(r.range(1, 28)).padStart(2, '0')}`;
  const rows = list.map((a, i) => cols.map((c) => cell(a, c, i)));
  if (style === 0) return [cols.join(','), ...rows.map((row) => row.join(','))];
  if (style === 1) return [cols.join('\t'), ...rows.map((row) => row.join('\t'))];
  return [
    `| ${cols.join(' | ')} |`,
    `|${cols.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

function jsonLines(w: DocWriter, list: readonly Account[]): string[] {
  const r = w.rng;
  const key = r.pick(['email', 'login', 'username']);
  return list.map((a) =>
    w.keep(JSON.stringify({ [key]: a.login, password: a.secret, ...(r.chance(0.5) ? { url: a.site } : {}) })),
  );
}

type Layout = 'combo' | 'ulp' | 'stealer' | 'hashes' | 'table' | 'json';
const LAYOUTS: readonly Layout[] = [
  'combo',
  'combo',
  'combo',
  'ulp',
  'ulp',
  'stealer',
  'stealer',
  'hashes',
  'table',
  'json',
];

/** A credential dump of `victims` (none: every account is someone else's). */
export function credentialDump(input: BuildInput, victims: OrgProfile[]): BuiltDocument {
  const { w, index } = input;
  const r = w.rng;
  const layout = r.pick(LAYOUTS);
  const total = layout === 'stealer' ? r.range(3, 9) : r.range(6, 40);
  const list = accounts(w, victims, total, layout === 'ulp' || layout === 'stealer');
  // Only e-mail logins count as pairs the truth can name (a user name alone is someone's, not an address).
  record(w, list);
  let lines: string[];
  if (layout === 'combo') lines = interleave(w, combo(w, list), 0.08);
  else if (layout === 'ulp') lines = interleave(w, ulp(w, list), 0.05);
  else if (layout === 'stealer') lines = stealer(w, list);
  else if (layout === 'hashes') lines = interleave(w, hashes(w, list), 0.05);
  else if (layout === 'table') lines = table(w, list);
  else lines = jsonLines(w, list);
  const header = r.pick([
    `== ${total} lines | ${r.pick(MALWARE_NAMES)} logs | checked ${r.range(1, 28)}.${r.range(1, 12)} ==`,
    `fresh combo #${index}`,
    `healthcare staff logins - private, do not resell (batch ${index})`,
    `${layout === 'ulp' ? 'url:log:pass' : 'mail:pass'} | ${r.range(1, 90)}k total, part ${r.range(1, 9)}`,
    `free ${r.pick(MALWARE_NAMES)} cloud sample, full access in the channel`,
    '',
  ]);
  const note = aside(w, 0.08);
  const body = [header, ...(note === '' ? [] : [`# ${note}`]), ...lines, r.chance(0.3) ? noise(w) : ''].join('\n');
  const title = r.pick([
    'combo list',
    'mail:pass mix',
    'hq combo fresh',
    'stealer logs extract',
    'ULP private base',
    'db leak (hashed)',
    'logs cloud drop',
  ]);
  return {
    sourceType: r.chance(0.8) ? 'paste' : 'chat',
    class: 'credential_leak',
    layout: `credential/${layout}`,
    title: `${title} ${index}`,
    body,
  };
}
