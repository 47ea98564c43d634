/**
 * Document styles of the lab's dark-web corpus: ransomware leak-site victim posts, market listings of
 * patient data, access sales, combo-list pastes, PHI dumps, forum and chat chatter (about monitored
 * organizations, about nobody, and neutral chatter where aliases appear as ordinary words). Each
 * builder writes realistic text and declares the class the content is (issue #3 section 4).
 */
import type { DocumentClass, SourceType } from '../../../darkweb/types.js';
import type { AddressPools } from './identifiers.js';
import {
  plantBtc,
  plantCard,
  plantClia,
  plantCve,
  plantDea,
  plantIcd10,
  plantIpv4,
  plantMbi,
  plantNpi,
  plantOnion,
  plantSsn,
  plantXmr,
} from './identifiers.js';
import type { OrgProfile } from './orgs.js';
import { ORDINARY_WORD_USES } from './orgs.js';
import type { DocWriter, TrapKind } from './writer.js';
import {
  HANDLE_HEADS,
  HANDLE_TAILS,
  MAIL_PROVIDERS,
  MALWARE_NAMES,
  RANSOM_FILE_TREE,
  TOOLS,
  UNMONITORED_ORGS,
  US_STATES,
  VPN_PRODUCTS,
} from './vocabulary.js';

/** What a builder returns (text still holds markers; the generator finishes it). */
export interface BuiltDocument {
  sourceType: SourceType;
  class: DocumentClass;
  title: string;
  body: string;
}

/** Everything a builder may use. */
export interface BuildInput {
  w: DocWriter;
  index: number;
  pools: AddressPools;
}

export type Builder = (input: BuildInput) => BuiltDocument;

const SECTOR_LABELS: Record<string, string> = {
  hospital: 'Hospitals & Health Systems',
  clinic: 'Outpatient Clinics',
  telehealth: 'Telehealth',
  laboratory: 'Diagnostic Laboratories',
  pharmacy: 'Pharmacies',
  payer: 'Health Insurance',
  vendor: 'Healthcare Software',
};

export function handle(w: DocWriter): string {
  const r = w.rng;
  return `${r.pick(HANDLE_HEADS)}${r.pick(HANDLE_TAILS)}${r.chance(0.6) ? String(r.range(1, 999)) : ''}`;
}

function password(w: DocWriter): string {
  const r = w.rng;
  const words = [
    'summer',
    'winter',
    'welcome',
    'password',
    'nurse',
    'dragon',
    'monkey',
    'charlie',
    'tigers',
    'sunshine',
    'qwerty',
    'letmein',
    'baseball',
    'shadow',
  ];
  const base = r.pick(words);
  const cased = r.chance(0.5) ? base[0]!.toUpperCase() + base.slice(1) : base;
  return `${cased}${r.range(1, 2024)}${r.pick(['', '!', '#', '$', '@'])}`;
}

function dateOfBirth(w: DocWriter): string {
  const r = w.rng;
  return `${String(r.range(1, 12)).padStart(2, '0')}/${String(r.range(1, 28)).padStart(2, '0')}/${r.range(1938, 2004)}`;
}

/** A victim for a document of `cls`: only organizations whose exposure profile has that class (undefined when none). */
function victimFor(w: DocWriter, cls: DocumentClass): OrgProfile | undefined {
  return w.ctx.exposure.pick(w.rng, cls);
}

/** Up to `count` distinct victims for a document of `cls`. */
function victimsFor(w: DocWriter, cls: DocumentClass, count: number): OrgProfile[] {
  return w.ctx.exposure.sample(w.rng, cls, count);
}

/** A victim that is not monitored: an unmonitored organization or a look-alike of a monitored one (a trap). */
function unmonitoredVictim(w: DocWriter): string {
  const r = w.rng;
  if (r.chance(0.45)) {
    const org = r.pick(w.ctx.orgs);
    if (org.lookalikeNames.length > 0) {
      const look = r.pick(org.lookalikeNames);
      return w.trap(org, look.kind, look.text);
    }
  }
  return w.keep(r.pick(UNMONITORED_ORGS));
}

function anonymousVictim(w: DocWriter): string {
  const r = w.rng;
  return r.pick([
    `a US hospital (${r.pick(US_STATES)})`,
    `regional health system, ${r.pick(US_STATES)}`,
    `a multi-site clinic group in ${r.pick(US_STATES)}`,
    `US diagnostic lab chain`,
    `mid-size health insurer, Midwest`,
    `a pharmacy chain with ${r.range(12, 140)} stores`,
  ]);
}

function typoDomainTrap(w: DocWriter): string | undefined {
  const org = w.rng.pick(w.ctx.orgs);
  if (org.typoDomains.length === 0) return undefined;
  return w.trap(org, 'typo_domain', w.rng.pick(org.typoDomains));
}

// --- Ransomware leak-site victim posts ---------------------------------------------------------

function leakPost(input: BuildInput, victim: OrgProfile | undefined): BuiltDocument {
  const { w, pools, index } = input;
  const r = w.rng;
  const size = r.range(40, 2400);
  const days = r.range(2, 14);
  const nameRef = victim ? w.mention(victim, r.chance(0.7) ? 'name' : 'domain') : unmonitoredVictim(w);
  const website = victim ? w.mention(victim, 'domain') : r.chance(0.5) ? (typoDomainTrap(w) ?? 'n/a') : 'n/a';
  const files = r
    .sample(RANSOM_FILE_TREE, r.range(3, 6))
    .map((f) => `  ${f}`)
    .join('\n');
  const lines = [
    nameRef,
    `Website: ${website}`,
    `Industry: Healthcare / ` +
      `${victim ? (SECTOR_LABELS[victim.sector] ?? 'Healthcare') : r.pick(Object.values(SECTOR_LABELS))}`,
    `Location: United States, ${r.pick(US_STATES)}`,
    `Revenue: $${r.range(8, 900)}M   Employees: ${r.range(80, 9000)}`,
    '',
    r.pick([
      `We have exfiltrated ${size} GB of data, including patient records, employee files, financial documents ` +
        `and contracts.`,
      `${size} GB taken: PHI of patients, SSN of employees, insurance claims, scans, backups. The management ` +
        `decided to ignore us.`,
      `Our team spent ${r.range(3, 40)} days in their network. ${size} GB downloaded before encryption.`,
    ]),
    r.pick([
      `If the company does not contact us within ${days} days, all data will be published.`,
      `Deadline: ${days}d ${r.range(0, 23)}h ${r.range(0, 59)}m. After the timer ends the data will be ` +
        `published in full.`,
      `Data will be published on ` +
        `${2024}-${String(r.range(1, 12)).padStart(2, '0')}-${String(r.range(1, 28)).padStart(2, '0')} 18:00 ` +
        `UTC unless the negotiation resumes.`,
    ]),
    '',
    'Sample file tree:',
    files,
    '',
    `Negotiation chat: http://${w.plant(plantOnion(r, pools, true))}/chat/${(index * 7919).toString(36)}`,
  ];
  if (r.chance(0.3)) lines.push(`Mirror: http://${w.plant(plantOnion(r, pools, r.chance(0.7)))}/post/${index}`);
  if (r.chance(0.25)) lines.push(`Proof payment wallet (BTC): ${w.plant(plantBtc(r, true))}`);
  lines.push(`Post #${100_000 + index} | views ${r.range(50, 20_000)}`);
  const title = victim ? (r.chance(0.5) ? nameRef : website) : nameRef;
  return { sourceType: 'leak_site', class: 'ransomware_listing', title, body: lines.join('\n') };
}

// --- Market listings: data for sale ------------------------------------------------------------

/**
 * A redacted sample row, as sellers show them before escrow: initials, birth year, the SSN's last
 * four digits. Whole rows of patient identifiers would be the data itself (phi_exposure: rows win
 * over an offer), which the PHI dump templates write.
 */
function sampleRow(w: DocWriter, pools: AddressPools): string {
  const r = w.rng;
  const p = w.person();
  const fields = [
    `${p.first} ${p.last.slice(0, 1)}.`,
    `born ${r.range(1938, 2004)}`,
    `SSN ***-**-${r.range(1000, 9999)}`,
  ];
  if (r.chance(0.5)) fields.push(w.plant(plantMbi(r, r.chance(0.8))));
  if (r.chance(0.3)) fields.push(w.plant(plantCard(r, r.chance(0.7))));
  void pools;
  return fields.join(' | ');
}

function marketListing(input: BuildInput, victim: OrgProfile | undefined): BuiltDocument {
  const { w, pools, index } = input;
  const r = w.rng;
  const count = r.range(2, 900);
  const who = victim ? w.mention(victim) : r.chance(0.5) ? unmonitoredVictim(w) : anonymousVictim(w);
  const kind = r.int(4);
  const what = [
    [`${count}k patient records`, 'full name, DOB, SSN, address, phone, insurance ID, MBI, diagnosis codes'],
    [`${count}k fullz (healthcare)`, 'name, DOB, SSN, card with CVV, billing address, email'],
    [`lab results database (${count}k rows)`, 'patient name, DOB, test panel, results, ordering physician, NPI'],
    [`insurance member data ${count}k`, 'member ID, group number, name, DOB, SSN, plan, claims history'],
  ][kind]!;
  const lines = [
    `Selling ${what[0]} from ${who}.`,
    `Fields: ${what[1]}.`,
    r.pick([
      'Fresh, not resold. Dumped last month.',
      'Valid rate 90%+, checked with our tool.',
      'Exclusive, sold to one buyer only.',
      'Taken from their EHR export, full history since 2019.',
    ]),
  ];
  if (r.chance(0.6)) {
    lines.push('Sample (3 rows, redacted, rest after escrow):');
    for (let i = 0; i < 3; i++) lines.push(sampleRow(w, pools));
  }
  if (kind === 1)
    lines.push(
      `Card sample: ${w.plant(plantCard(r, r.chance(0.75)))} exp ` +
        `${String(r.range(1, 12)).padStart(2, '0')}/${r.range(25, 29)} cvv ${r.range(100, 999)}`,
    );
  const price = (r.range(5, 400) / 100).toFixed(2);
  lines.push(`Price: ${price} BTC or ${r.range(5, 90)} XMR. Escrow accepted, partial sale possible.`);
  lines.push(`BTC: ${w.plant(plantBtc(r, r.chance(0.85)))}`);
  if (r.chance(0.5)) lines.push(`XMR: ${w.plant(plantXmr(r, pools, r.chance(0.85)))}`);
  lines.push(`Listing #${200_000 + index}. Vendor level ${r.range(1, 9)}, ${r.range(3, 900)} sales.`);
  const title = r.pick([`[SELLING] ${what[0]}`, `${what[0]} - USA healthcare`, `HQ medical database | ${what[0]}`]);
  return {
    sourceType: 'market',
    class: 'data_for_sale',
    title: victim && r.chance(0.4) ? `${title} - ${w.mention(victim, 'name')}` : title,
    body: lines.join('\n'),
  };
}

// --- Access sales --------------------------------------------------------------------------------

function accessSale(input: BuildInput, victim: OrgProfile | undefined): BuiltDocument {
  const { w, index } = input;
  const r = w.rng;
  const product = r.pick(VPN_PRODUCTS);
  const hosts = r.range(40, 3000);
  const who = victim ? w.mention(victim) : r.chance(0.4) ? unmonitoredVictim(w) : anonymousVictim(w);
  const price = r.range(1, 25);
  const lines = [
    r.pick([`Selling access to ${who}.`, `Access for sale: ${who}`, `WTS network access - ${who}`]),
    `Type: ${product} VPN + RDP, domain admin. ${hosts} hosts, ${r.range(1, 12)} DCs.`,
    `Revenue: $${r.range(20, 900)}M. EDR: ` +
      `${r.pick(['none', 'Defender only', 'CrowdStrike (bypassed)', 'SentinelOne'])}. Backups: ` +
      `${r.pick(['Veeam on NAS', 'tape, offsite', 'none found'])}.`,
    `Entry point ` +
      `${w.plant(plantIpv4(r, true))}${r.chance(0.2) ? `, old gateway ${w.plant(plantIpv4(r, false))}` : ''}.`,
  ];
  if (r.chance(0.3)) lines.push(`Initial vector: ${w.plant(plantCve(r))} on the ${product} box, still unpatched.`);
  lines.push(
    `Price $${price}k${r.chance(0.5) ? ', escrow via forum guarantor' : ', BTC only'}. Only members with rep, ` +
      `PM me. Thread ${300_000 + index}.`,
  );
  const title =
    victim && r.chance(0.5)
      ? `[ACCESS] ${w.mention(victim, 'name')} | ${product} + RDP | DA`
      : `[ACCESS] US healthcare | ${product} | ${hosts} hosts | $${price}k`;
  return { sourceType: r.chance(0.7) ? 'forum' : 'market', class: 'access_for_sale', title, body: lines.join('\n') };
}

// --- Combo lists ------------------------------------------------------------------------------------

function comboPaste(input: BuildInput, victims: OrgProfile[]): BuiltDocument {
  const { w, index } = input;
  const r = w.rng;
  const lines: string[] = [];
  const total = r.range(6, 40);
  const orgLines = victims.length === 0 ? 0 : r.range(2, Math.max(2, Math.floor(total / 2)));
  for (let i = 0; i < total; i++) {
    let email: string;
    if (i < orgLines) {
      const org = victims[i % victims.length]!;
      email = w.staffEmail(org.domain);
      if (!w.mentions.has(org.index)) w.mentions.set(org.index, 'email_domain');
    } else if (r.chance(0.06)) {
      const org = r.pick(w.ctx.orgs);
      if (org.typoDomains.length > 0) {
        const domain = r.pick(org.typoDomains);
        w.traps.push({ org: org.name, kind: 'typo_domain', text: domain });
        email = w.staffEmail(domain);
      } else email = w.staffEmail(r.pick(MAIL_PROVIDERS));
    } else email = w.staffEmail(r.pick(MAIL_PROVIDERS));
    const sep = r.pick([':', ':', ':', ';']);
    w.record({ type: 'credential', value: email, valid: true });
    lines.push(`${email}${sep}${password(w)}`);
  }
  const shuffled = r.shuffle(lines);
  const header = r.pick([
    `== ${total} lines | ${r.pick(MALWARE_NAMES)} logs | checked ${r.range(1, 28)}.${r.range(1, 12)} ==`,
    `fresh combo mail:pass #${index}`,
    `healthcare staff logins - private, do not resell (batch ${index})`,
  ]);
  const body = `${header}\n${w.keep(shuffled.join('\n'))}\n`;
  const title = r.pick(['combo list', 'mail:pass mix', 'hq combo fresh', 'stealer logs extract']);
  return { sourceType: r.chance(0.8) ? 'paste' : 'chat', class: 'credential_leak', title: `${title} ${index}`, body };
}

// --- PHI dumps ------------------------------------------------------------------------------------------

function phiDump(input: BuildInput, victim: OrgProfile | undefined): BuiltDocument {
  const { w, index } = input;
  const r = w.rng;
  const where = victim ? w.mention(victim) : r.chance(0.5) ? unmonitoredVictim(w) : anonymousVictim(w);
  const lines = [
    r.pick([
      `Leaked from ${where}, free for the community.`,
      `Dump of ${where} patient portal, part ${r.range(1, 9)}.`,
      `${where} EHR export, they never paid. Enjoy.`,
    ]),
    '',
  ];
  const records = r.range(2, 5);
  let named = false;
  for (let i = 0; i < records; i++) {
    const p = w.person();
    named = true;
    const icd = plantIcd10(r);
    const doc = w.person();
    lines.push(
      `PATIENT: ${p.first} ${p.last}  DOB: ${dateOfBirth(w)}  MRN: ${String(r.range(10_000_000, 99_999_999))}`,
    );
    lines.push(`SSN: ${w.plant(plantSsn(r, r.chance(0.85)))}   MBI: ${w.plant(plantMbi(r, r.chance(0.85)))}`);
    lines.push(`Dx: ${w.plant(icd)} ${icd.description}`);
    lines.push(
      `Attending: Dr. ${doc.last}, NPI ${w.plant(plantNpi(r, r.chance(0.8)))}, DEA ` +
        `${w.plant(plantDea(r, r.chance(0.8)))}`,
    );
    if (r.chance(0.4)) lines.push(`Lab: CLIA ${w.plant(plantClia(r))}, A1C ${(r.range(50, 110) / 10).toFixed(1)}%`);
    lines.push('---');
  }
  if (named) {
    w.record({ type: 'phi_indicator', value: 'patient_name_dob', valid: true });
    w.record({ type: 'phi_indicator', value: 'mrn', valid: true });
    w.record({ type: 'phi_indicator', value: 'diagnosis', valid: true });
  }
  lines.push(`(${r.range(2, 400)}k more records on request) ref ${index}`);
  return {
    sourceType: r.chance(0.7) ? 'paste' : 'forum',
    class: 'phi_exposure',
    title: r.pick(['patient records leak', 'free medical dump', 'PHI dump part 1', 'hospital records']),
    body: lines.join('\n'),
  };
}

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
    title: r.chance(0.5) ? 'phishing and lookalikes' : 'targets',
    body: lines.join('\n'),
  };
}

/**
 * Document kinds with their share of the corpus. A "monitored" kind names victims from its class's
 * exposure roster; when the roster is empty (a tiny portfolio) it writes the unmonitored variant.
 */
export const DOCUMENT_MIX: ReadonlyArray<readonly [string, number, Builder]> = [
  ['leak_monitored', 6, (i) => leakPost(i, victimFor(i.w, 'ransomware_listing'))],
  ['leak_unmonitored', 3, (i) => leakPost(i, undefined)],
  ['market_monitored', 6, (i) => marketListing(i, victimFor(i.w, 'data_for_sale'))],
  ['market_unmonitored', 4, (i) => marketListing(i, undefined)],
  ['access_monitored', 4, (i) => accessSale(i, victimFor(i.w, 'access_for_sale'))],
  ['access_unmonitored', 3, (i) => accessSale(i, undefined)],
  ['combo_monitored', 7, (i) => comboPaste(i, victimsFor(i.w, 'credential_leak', i.w.rng.chance(0.25) ? 2 : 1))],
  ['combo_unmonitored', 4, (i) => comboPaste(i, [])],
  ['phi_monitored', 4, (i) => phiDump(i, victimFor(i.w, 'phi_exposure'))],
  ['phi_unmonitored', 2, (i) => phiDump(i, undefined)],
  [
    'chatter_monitored',
    12,
    (i) => {
      const about = victimsFor(i.w, 'chatter', i.w.rng.chance(0.2) ? 2 : 1);
      return about.length > 0 ? forumChatterAbout(i, about) : chatterNobody(i);
    },
  ],
  ['chatter_nobody', 28, (i) => chatterNobody(i)],
  ['chatter_traps', 12, (i) => neutralTrapChatter(i)],
  ['chatter_lookalikes', 5, (i) => lookalikeChatter(i)],
];
