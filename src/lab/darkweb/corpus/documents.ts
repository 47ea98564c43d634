/**
 * The document mix of the lab's dark-web corpus: ransomware leak-site pages, data and access offers,
 * credential dumps, PHI dumps (each in several layouts, see their modules) and chatter (forum threads,
 * chats and digests about monitored organizations, about nobody, and neutral chatter where aliases
 * appear as ordinary words). Each builder writes realistic text and declares the class the content is
 * (issue #3 section 4, issue #9 section 5).
 */
import { plantBtc, plantCve, plantOnion } from './identifiers.js';
import type { OrgProfile } from './orgs.js';
import { ORDINARY_WORD_USES } from './orgs.js';
import type { TrapKind } from './writer.js';
import { MALWARE_NAMES, TOOLS, US_STATES, VPN_PRODUCTS } from './vocabulary.js';
import { chatterVoice } from './chatter-voices.js';
import { credentialDump } from './credential-dumps.js';
import { leakSite } from './leak-pages.js';
import { accessSale, dataSale } from './offers.js';
import { phiDump } from './phi-dumps.js';
import {
  handle,
  typoDomainTrap,
  victimFor,
  victimsFor,
  type BuildInput,
  type BuiltDocument,
  type Builder,
} from './doc-helpers.js';

export { handle, type BuildInput, type BuiltDocument, type Builder } from './doc-helpers.js';

// --- Chatter -------------------------------------------------------------------------------------------

function forumChatterAbout(input: BuildInput, orgs: OrgProfile[]): BuiltDocument {
  const { w, index, pools } = input;
  const r = w.rng;
  const a = w.mention(orgs[0]!);
  const b = orgs[1] ? w.mention(orgs[1]) : undefined;
  // Options are functions: only the chosen one may plant anything.
  const opener = r.pick<() => string>([
    () => `anyone know who hit ${a}? their portal has been down since monday and ambulances are diverted`,
    () => `${a} confirmed a "network incident" today. smells like ransomware, no group claimed it yet`,
    () => `heard ${a} still runs an old ${r.pick(VPN_PRODUCTS)} box, ${w.plant(plantCve(r))} works there`,
    () => `${a} is on the hit list for this week${b ? `, together with ${b}` : ''}. stay quiet.`,
    () => `news: ${a} notifies patients of a data breach, says attackers had access for three weeks`,
    () => `who has logs from ${a}? paying for anything with VPN creds`,
  ])();
  const lines = [opener];
  if (b && !opener.includes(b))
    lines.push(r.pick([`same crew probably did ${b} last month`, `${b} next? they use the same MSP`]));
  lines.push(
    r.pick([
      '> source?',
      '> they always say "no evidence of misuse"',
      '> negotiations usually take weeks with these guys',
      '> wait for the leak site post',
    ]),
  );
  lines.push(r.pick([`post #${index + 400_000}`, `reply ${index + 400_000}`, `#${index + 400_000}`]));
  if (r.chance(0.2)) lines.push(`mirror of the group blog: http://${w.plant(plantOnion(r, pools, true))}/`);
  const chat = r.chance(0.35);
  const body = chat
    ? lines
        .map(
          (l, i) =>
            `[${String(r.range(0, 23)).padStart(2, '0')}:${String(r.range(0, 59)).padStart(2, '0')}] ` +
            `${i === 0 ? handle(w) : handle(w)}: ${l.replace(/^> /, '')}`,
        )
        .join('\n')
    : lines.join('\n');
  return {
    sourceType: chat ? 'chat' : 'forum',
    class: 'chatter',
    layout: 'chatter/forum-about',
    title: chat ? '' : r.pick(['Re: healthcare targets', 'hospital incidents thread', 'who hit them?', 'breach news']),
    body,
  };
}

function chatterNobody(input: BuildInput): BuiltDocument {
  const { w, index, pools } = input;
  const r = w.rng;
  const topics: Array<() => string> = [
    () => `another hospital in ${r.pick(US_STATES)} diverting ambulances after a cyber attack. nobody claimed it yet`,
    () => `${r.pick(TOOLS)} beacon keeps getting caught by Defender on the latest build, anyone has a fresh crypter?`,
    () =>
      `${w.plant(plantCve(r))} is still wide open on half the ${r.pick(VPN_PRODUCTS)} boxes I scan. ` +
      `healthcare is the slowest to patch`,
    () => `new ${r.pick(MALWARE_NAMES)} build out, panel moved to ${w.plant(plantOnion(r, pools, true))}`,
    () => `PSA: the old mirror ${w.plant(plantOnion(r, pools, false))} is a phishing clone, do not log in`,
    () => `HHS published the new breach numbers, 700+ healthcare breaches last year. lol`,
    () => `looking for a partner with experience in US healthcare networks, 70/30 split`,
    () =>
      `escrow is down again, use the backup address ${w.plant(plantBtc(r, true))} only if the admin confirms in PGP`,
    () => `do not pay ${handle(w)}, he sent me a dead wallet ${w.plant(plantBtc(r, false))} and vanished`,
    () => `medical records sell for more than cards now, but buyers are fewer`,
  ];
  const first = r.pick(topics)();
  const second = r.chance(0.5) ? `\n> ${r.pick(['ok', 'noted', 'same here', 'source?', 'thanks'])}` : '';
  const chat = r.chance(0.3);
  const body = `${first}${second}\n${chat ? 'msg' : 'post'} ${index + 500_000}`;
  return {
    sourceType: chat ? 'chat' : 'forum',
    class: 'chatter',
    layout: 'chatter/nobody',
    title: chat ? '' : r.pick(['general discussion', 'news', 'tools', 'question']),
    body,
  };
}

/** Neutral chatter without any healthcare word (so an ambiguous alias inside it has no context). */
const NEUTRAL_LINES = [
  'what VPS providers still take monero without KYC?',
  'my node keeps dropping peers since the update',
  'selling a clean gaming account, level 80, all skins',
  'anyone tried the new mixer? fees look too low to be real',
  'weekend plans: hiking, no screens',
  'the forum was slow all day, admin says DDoS',
  'price of coffee in this city is a crime',
  'new rules: no begging for invites in the shoutbox',
];

const SHORT_ALIAS_USES = [
  (a: string, n: number) => `ticket ${a}-${n} still open, support ignores it`,
  (a: string) => `the ${a} build is cracked, link in the first post`,
  (a: string) => `${a} token pumped 40% overnight, dumped by morning`,
  (a: string) => `is the ${a} format the one with the header or without?`,
];

const SHARED_ALIAS_USES = [
  (a: string) => `we met near ${a} station, the usual place`,
  (a: string) => `${a} street market was packed today`,
];

function neutralTrapChatter(input: BuildInput): BuiltDocument {
  const { w, index } = input;
  const r = w.rng;
  const lines: string[] = [r.pick(NEUTRAL_LINES)];
  const candidates = w.ctx.orgs.filter((o) => o.ambiguousAliases.length > 0);
  const traps = r.sample(candidates, r.range(1, 2));
  for (const org of traps) {
    const { alias, why } = r.pick(org.ambiguousAliases);
    let kind: TrapKind;
    let sentence: string;
    if (why === 'common_word') {
      kind = 'common_word_alias';
      sentence = r.pick(ORDINARY_WORD_USES[alias.toLowerCase()] ?? [`${alias.toLowerCase()} again`]);
      // The ordinary word, written in lower case as ordinary words are.
      const at = sentence.toLowerCase().indexOf(alias.toLowerCase());
      lines.push(
        `${sentence.slice(0, at)}${w.trap(org, kind, sentence.slice(at, at + alias.length))}` +
          `${sentence.slice(at + alias.length)}`,
      );
      continue;
    }
    if (why === 'shared') {
      kind = 'shared_alias_no_context';
      sentence = r.pick(SHARED_ALIAS_USES)('\u0001');
    } else {
      kind = 'short_alias_no_context';
      sentence = r.pick(SHORT_ALIAS_USES)('\u0001', r.range(1000, 9999));
    }
    const [before, after] = sentence.split('\u0001') as [string, string];
    lines.push(`${before}${w.trap(org, kind, alias)}${after}`);
  }
  lines.push(r.pick(NEUTRAL_LINES));
  const chat = r.chance(0.4);
  return {
    sourceType: chat ? 'chat' : 'forum',
    class: 'chatter',
    layout: 'chatter/neutral-traps',
    title: chat ? '' : r.pick(['off-topic', 'random', 'shoutbox log']),
    body: `${lines.join('\n')}\n#${index + 600_000}`,
  };
}

function lookalikeChatter(input: BuildInput): BuiltDocument {
  const { w, index } = input;
  const r = w.rng;
  const org = r.pick(w.ctx.orgs);
  const lines: string[] = [];
  if (org.lookalikeNames.length > 0) {
    const look = r.pick(org.lookalikeNames);
    const t = w.trap(org, look.kind, look.text);
    lines.push(
      r.pick([
        `${t} got hit last week, patients were sent to other hospitals`,
        `looking for anyone inside ${t}, paying well`,
        `${t} data is already public, do not buy it`,
      ]),
    );
  }
  const domain = typoDomainTrap(w);
  if (domain !== undefined)
    lines.push(
      r.pick([
        `phishing kit for ${domain} login page, looks legit, clinic staff fall for it`,
        `registered ${domain} for the campaign, mail goes out monday`,
      ]),
    );
  if (lines.length === 0) lines.push('quiet week for healthcare targets');
  lines.push(`#${index + 700_000}`);
  return {
    sourceType: r.chance(0.7) ? 'forum' : 'chat',
    class: 'chatter',
    layout: 'chatter/lookalikes',
    title: r.chance(0.5) ? 'phishing and lookalikes' : 'targets',
    body: lines.join('\n'),
  };
}

/**
 * Document kinds with their share of the corpus. A "monitored" kind names victims from its class's
 * exposure roster; when the roster is empty (a tiny portfolio) it writes the unmonitored variant.
 */
export const DOCUMENT_MIX: ReadonlyArray<readonly [string, number, Builder]> = [
  [
    'leak_monitored',
    6,
    (i) => leakSite(i, victimsFor(i.w, 'ransomware_listing', i.w.rng.chance(0.3) ? i.w.rng.range(2, 3) : 1)),
  ],
  ['leak_unmonitored', 3, (i) => leakSite(i, [])],
  ['market_monitored', 6, (i) => dataSale(i, victimFor(i.w, 'data_for_sale'))],
  ['market_unmonitored', 4, (i) => dataSale(i, undefined)],
  ['access_monitored', 4, (i) => accessSale(i, victimFor(i.w, 'access_for_sale'))],
  ['access_unmonitored', 3, (i) => accessSale(i, undefined)],
  ['combo_monitored', 7, (i) => credentialDump(i, victimsFor(i.w, 'credential_leak', i.w.rng.chance(0.25) ? 2 : 1))],
  ['combo_unmonitored', 4, (i) => credentialDump(i, [])],
  ['phi_monitored', 4, (i) => phiDump(i, victimFor(i.w, 'phi_exposure'))],
  ['phi_unmonitored', 2, (i) => phiDump(i, undefined)],
  [
    'chatter_monitored',
    12,
    (i) => {
      const r = i.w.rng;
      const about = victimsFor(i.w, 'chatter', r.chance(0.3) ? r.range(2, 3) : 1);
      if (about.length === 0) return chatterNobody(i);
      return r.chance(0.5) ? chatterVoice(i, about) : forumChatterAbout(i, about);
    },
  ],
  ['chatter_nobody', 28, (i) => chatterNobody(i)],
  ['chatter_traps', 12, (i) => neutralTrapChatter(i)],
  ['chatter_lookalikes', 5, (i) => lookalikeChatter(i)],
];
