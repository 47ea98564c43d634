/**
 * Chatter in the voices of real venues (issue #9 section 5): forum threads with quoted replies and
 * signatures, IRC logs with joins and parts, Telegram chat exports copied as text, and news digests
 * that name several organizations. Talking about an organization (an incident, a rumour, a breach
 * notice, a leak-site claim reported by someone else) is chatter, not the thing itself.
 */
import { plantCve, plantOnion } from './identifiers.js';
import type { OrgProfile } from './orgs.js';
import type { DocWriter, MentionVia } from './writer.js';
import { SITES, US_STATES, UNMONITORED_ORGS, VPN_PRODUCTS } from './vocabulary.js';
import { clock, handle, type BuildInput, type BuiltDocument } from './doc-helpers.js';

/** A sentence about an organization that reports, asks or gossips (functions: only the chosen one plants). */
function about(w: DocWriter, x: string): string {
  const r = w.rng;
  return r.pick<() => string>([
    () => `anyone know who hit ${x}? their portal has been down since monday and ambulances are diverted`,
    () => `${x} confirmed a "network incident" today. smells like ransomware, no group claimed it yet`,
    () => `heard ${x} still runs an old ${r.pick(VPN_PRODUCTS)} box, ${w.plant(plantCve(r))} works there`,
    () => `news: ${x} notifies patients of a data breach, says attackers had access for three weeks`,
    () => `my cousin works at ${x}, they are all on paper charts this week lol`,
    () => `saw ${x} on some leak blog yesterday, can anyone confirm or is it fake?`,
    () => `${x} hired an incident response firm, so expect lawyers not payments`,
    () => `who has logs from ${x}? paying for anything with remote access creds`,
  ])();
}

function named(w: DocWriter, org: OrgProfile): string {
  return w.mention(org, w.rng.pick<MentionVia>(['name', 'name', 'name', 'domain', 'alias']));
}

const REPLIES = [
  'source?',
  'they always say "no evidence of misuse"',
  'negotiations usually take weeks with these guys',
  'wait for the leak site post',
  'old news, was on the board last week',
  '+1, saw the same',
  'nobody cares until the data drops',
];

function signature(w: DocWriter): string {
  const r = w.rng;
  return r.pick([
    `--\n${r.pick(['trust nobody', 'opsec or die', 'read the rules before posting', 'no free help via PM'])}`,
    `__________\n${handle(w)} | xmpp ${handle(w)}@${r.pick(['xmpp.is', 'jabber.calyxinstitute.org', 'exploit.im'])}`,
    `-- \n"${r.pick(['silence is golden', 'we are everywhere', 'patience pays'])}"`,
  ]);
}

/** A forum thread: an opening post, replies quoting it, signatures under some posts. */
function forumThread(input: BuildInput, orgs: OrgProfile[]): BuiltDocument {
  const { w, index } = input;
  const r = w.rng;
  const authors = Array.from({ length: r.range(2, 4) }, () => handle(w));
  const opening = about(w, named(w, orgs[0]!));
  const posts: string[] = [];
  posts.push(`${authors[0]} wrote:\n${opening}${r.chance(0.5) ? `\n\n${signature(w)}` : ''}`);
  let previous = opening;
  for (let i = 1; i < authors.length; i++) {
    const other = orgs[i];
    const text = other !== undefined ? about(w, named(w, other)) : r.pick(REPLIES);
    const quote = r.pick([`Quote from ${authors[i - 1]}:`, `${authors[i - 1]} said:`, '> ']);
    const quoted = quote === '> ' ? `> ${previous.split('\n')[0]}` : `${quote}\n> ${previous.split('\n')[0]}`;
    posts.push(`${authors[i]} wrote:\n${quoted}\n\n${text}${r.chance(0.4) ? `\n\n${signature(w)}` : ''}`);
    previous = text;
  }
  const separator = r.pick(['\n\n----\n\n', '\n\n', `\n\n#${index + 400_000}\n`]);
  return {
    sourceType: 'forum',
    class: 'chatter',
    layout: 'chatter/forum-thread',
    title: r.pick([
      'Re: healthcare targets',
      'hospital incidents thread',
      'who hit them?',
      'breach news',
      'Re: Re: outage',
    ]),
    body: posts.join(separator),
  };
}

/** An IRC log with timestamps, joins and parts. */
function ircLog(input: BuildInput, orgs: OrgProfile[]): BuiltDocument {
  const { w } = input;
  const r = w.rng;
  const channel = r.pick(['#medleaks', '#breachnews', '#offtopic', '#rsoc']);
  const nicks = Array.from({ length: 3 }, () => handle(w));
  const lines = [
    `--- Log opened ${r.pick(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])} ` +
      `${r.pick(['Mar', 'Apr', 'May', 'Jun'])} ${r.range(1, 28)} 2024`,
  ];
  lines.push(`${clock(w)} -!- ${nicks[1]} [~${nicks[1]}@gateway/tor-sasl/${nicks[1]}] has joined ${channel}`);
  for (const org of orgs) lines.push(`${clock(w)} <${r.pick(nicks)}> ${about(w, named(w, org))}`);
  for (let i = r.range(1, 3); i > 0; i--) lines.push(`${clock(w)} <${r.pick(nicks)}> ${r.pick(REPLIES)}`);
  if (r.chance(0.5)) lines.push(`${clock(w)} -!- ${nicks[2]} has quit [Ping timeout: 240 seconds]`);
  return { sourceType: 'chat', class: 'chatter', layout: 'chatter/irc', title: '', body: lines.join('\n') };
}

/** A Telegram chat copied out of the desktop client. */
function telegramLog(input: BuildInput, orgs: OrgProfile[]): BuiltDocument {
  const { w } = input;
  const r = w.rng;
  const day = `${String(r.range(1, 28)).padStart(2, '0')}.${String(r.range(1, 12)).padStart(2, '0')}.2024`;
  const messages: string[] = [];
  for (const org of orgs) {
    const forwarded = r.chance(0.3) ? `[Forwarded from ${r.pick(SITES.chat)}]\n` : '';
    messages.push(`${handle(w)}, [${day} ${clock(w)}]\n${forwarded}${about(w, named(w, org))}`);
  }
  messages.push(`${handle(w)}, [${day} ${clock(w)}]\n${r.pick(REPLIES)}`);
  return { sourceType: 'chat', class: 'chatter', layout: 'chatter/telegram', title: '', body: messages.join('\n\n') };
}

/** A weekly digest reposted on a forum or channel: several organizations, all reported on. */
function newsDigest(input: BuildInput, orgs: OrgProfile[]): BuiltDocument {
  const { w } = input;
  const r = w.rng;
  const items: string[] = orgs.map((org) => {
    const x = named(w, org);
    return r.pick([
      `${x} disclosed a cyber incident affecting scheduling and billing systems.`,
      `${r.pick(SITES.leak_site)} claimed ${x} on its leak site; the organization has not confirmed.`,
      `${x} reported a breach to the health department affecting ${r.range(2, 900)},${r.range(100, 999)} patients.`,
      `${x} restored its systems after a ${r.range(3, 30)}-day outage.`,
    ]);
  });
  for (let i = r.range(1, 3); i > 0; i--)
    items.push(
      r.pick([
        `${r.pick(UNMONITORED_ORGS)} settled a class action over last year's breach.`,
        `A hospital in ${r.pick(US_STATES)} diverted ambulances after a network outage.`,
        `New phishing wave targets clinic staff with fake benefit notices.`,
      ]),
    );
  const lines = [
    r.pick([
      `Healthcare breach digest - week ${r.range(1, 52)}`,
      'WEEKLY ROUNDUP',
      `What happened this week (${r.range(1, 52)})`,
    ]),
    '',
    ...r.shuffle(items).map((item, i) => `${i + 1}. ${item}`),
    '',
    r.pick(['Sources: public reporting, breach portals.', 'Reposted from a newsletter.', '']),
  ];
  if (r.chance(0.15)) lines.push(`mirror: http://${w.plant(plantOnion(r, input.pools, true))}/digest`);
  const chat = r.chance(0.4);
  return {
    sourceType: chat ? 'chat' : 'forum',
    class: 'chatter',
    layout: 'chatter/news-digest',
    title: chat ? '' : 'weekly digest',
    body: lines.join('\n'),
  };
}

/** Chatter about `orgs` (at least one) in one of the venues' voices. */
export function chatterVoice(input: BuildInput, orgs: OrgProfile[]): BuiltDocument {
  const kind = input.w.rng.int(4);
  if (kind === 0) return forumThread(input, orgs);
  if (kind === 1) return ircLog(input, orgs);
  if (kind === 2) return telegramLog(input, orgs);
  return newsDigest(input, orgs);
}
