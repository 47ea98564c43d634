/**
 * Offers of access and of data (issue #9 section 2), as brokers and vendors write them: a field list
 * in any order and wording (access type, rights, hosts in domain, AV/EDR, revenue, price or
 * start/step/blitz, escrow; records, fields, format, size, sample, deposit address, contact), in
 * prose, behind bracket tags in the title, or as HTML markup of a market page (definition lists,
 * tables, lists). The target is named in a labelled field, in the title or in a sentence, or not at
 * all (an anonymous "US hospital"); another organization may be named in passing (chatter).
 */
import { plantBtc, plantCard, plantCve, plantIpv4, plantMbi, plantOnion, plantXmr } from './identifiers.js';
import type { OrgProfile } from './orgs.js';
import type { DocWriter, MentionVia } from './writer.js';
import { US_STATES, VPN_PRODUCTS } from './vocabulary.js';
import {
  FIELD_STYLES,
  aside,
  anonymousVictim,
  escapeHtml,
  fieldHtml,
  fieldLines,
  handle,
  hex,
  paragraphs,
  unmonitoredVictim,
  type BuildInput,
  type BuiltDocument,
  type Field,
} from './doc-helpers.js';

/** A label in one of its wordings. */
function label(w: DocWriter, ...words: string[]): string {
  return w.rng.pick(words);
}

function contactField(w: DocWriter): Field {
  const r = w.rng;
  const value = r.pick([
    () => 'PM on forum',
    () => `tox ${hex(w, 64).toUpperCase()}`,
    () => `@${handle(w)} (telegram)`,
    () => `session ${'05'}${hex(w, 64)}`,
    () => 'DM only, no jabber',
  ])();
  return { key: label(w, 'Contact', 'Contacts', 'Reach me', 'Tox/TG'), value, emoji: '📩' };
}

function escrowField(w: DocWriter): Field {
  return {
    key: label(w, 'Escrow', 'Guarantor', 'Garant'),
    value: w.rng.pick(['yes', 'forum escrow only', 'accepted', 'welcome, you pay the fee', 'yes (admin)']),
    emoji: '🤝',
  };
}

/** Either one price or an auction's start, step and blitz (one field or three). */
function priceFields(w: DocWriter, thousands: boolean): Field[] {
  const r = w.rng;
  const unit = (n: number): string => (thousands ? `$${n}k` : `${(n / 10).toFixed(1)} BTC`);
  const start = r.range(1, 20);
  if (r.chance(0.5))
    return [{ key: label(w, 'Price', 'Cost', 'Ask', 'Price (fixed)'), value: unit(start), emoji: '💰' }];
  const step = Math.max(1, Math.round(start / 5));
  const blitz = start * r.range(2, 4);
  if (r.chance(0.5))
    return [{ key: 'Start/Step/Blitz', value: `${unit(start)} / ${unit(step)} / ${unit(blitz)}`, emoji: '💰' }];
  return [
    { key: label(w, 'Start', 'Starting price'), value: unit(start), emoji: '🟢' },
    { key: 'Step', value: unit(step), emoji: '➕' },
    { key: label(w, 'Blitz', 'Buy now'), value: unit(blitz), emoji: '⚡' },
  ];
}

function targetField(w: DocWriter, who: string): Field {
  return { key: label(w, 'Target', 'Company', 'Victim', 'Org', 'Name', 'Website'), value: who, emoji: '🏥' };
}

/** Where the target stands: labelled field, title, sentence, or nowhere (anonymous). */
type Placement = 'field' | 'title' | 'sentence';

interface Offer {
  /** Where the target is named (`anonymous`: nowhere, or an unmonitored one). */
  placement: Placement | 'anonymous';
  title: string;
  intro: string[];
  fields: Field[];
  outro: string[];
}

/** Renders an offer as text (any field style) or as a market page's markup. */
function render(
  w: DocWriter,
  offer: Offer,
  sourceType: 'forum' | 'market',
  cls: BuiltDocument['class'],
): BuiltDocument {
  const r = w.rng;
  const fields = r.shuffle(offer.fields);
  const kind = cls === 'access_for_sale' ? 'access' : 'data';
  if (sourceType === 'market' && r.chance(0.35)) {
    const markup = r.int(3);
    const html = [
      `<h1 class="listing-title">${escapeHtml(offer.title)}</h1>`,
      `<span class="vendor">${handle(w)}</span> <span class="badge">${r.pick(['Level 4', 'Trusted', 'Escrow'])}</span>`,
      paragraphs(offer.intro),
      fieldHtml(fields, markup),
      paragraphs(offer.outro),
      `<button class="buy">Buy now</button>`,
    ].join('\n');
    const layout = `${kind}/html-${['dl', 'table', 'list'][markup]}-${offer.placement}`;
    return { sourceType, class: cls, layout, title: offer.title, body: '', html };
  }
  const style = r.pick(FIELD_STYLES);
  const body = [...offer.intro, '', ...fieldLines(fields, style), '', ...offer.outro].join('\n');
  return { sourceType, class: cls, layout: `${kind}/${style}-${offer.placement}`, title: offer.title, body };
}

function whoOf(w: DocWriter, victim: OrgProfile | undefined): string {
  const r = w.rng;
  // Not an e-mail address: "access into jdoe@clinic.test" is nobody's wording.
  if (victim !== undefined) return w.mention(victim, r.pick<MentionVia>(['name', 'name', 'domain', 'alias']));
  return r.chance(0.4) ? unmonitoredVictim(w) : anonymousVictim(w);
}

const ACCESS_TYPES = [
  (p: string) => `${p} VPN + RDP`,
  () => 'RDP',
  () => 'Citrix',
  () => 'RDWeb',
  () => 'ESXi root',
  () => 'webshell on the edge server',
  () => 'shell (reverse, stable)',
  (p: string) => `${p} VPN`,
  () => 'AnyDesk to a workstation',
];

/** An initial-access broker's offer. */
export function accessSale(input: BuildInput, victim: OrgProfile | undefined): BuiltDocument {
  const { w, index } = input;
  const r = w.rng;
  const product = r.pick(VPN_PRODUCTS);
  const hosts = r.range(40, 3000);
  const placement: Placement = victim === undefined ? 'sentence' : r.pick(['field', 'field', 'title', 'sentence']);
  const who = placement === 'title' ? '' : whoOf(w, victim);
  const access = r.pick(ACCESS_TYPES)(product);
  const fields: Field[] = [
    { key: label(w, 'Access', 'Type', 'Access type', 'Type of access', 'Entry'), value: access, emoji: '🖥' },
    {
      key: label(w, 'Rights', 'Privileges', 'Access level', 'Permissions'),
      value: r.pick(['DA', 'domain admin', 'local admin', 'user', 'NT AUTHORITY\\SYSTEM', 'Enterprise Admin', 'root']),
      emoji: '🔑',
    },
    {
      key: label(w, 'Hosts in domain', 'Hosts', 'Machines', 'PCs in AD', 'Domain size'),
      value: r.pick([`${hosts}`, `~${hosts} hosts`, `${hosts} PCs, ${r.range(2, 60)} servers`]),
      emoji: '💻',
    },
    {
      key: label(w, 'AV/EDR', 'AV', 'EDR', 'Protection'),
      value: r.pick(['none', 'Defender only', 'CrowdStrike (bypassed)', 'SentinelOne', 'Sophos', 'Cortex XDR']),
      emoji: '🛡',
    },
    {
      key: label(w, 'Revenue', 'Rev', 'Annual revenue', 'Income'),
      value: r.pick([`$${r.range(20, 900)}M`, `${r.range(20, 900)}kk$`, `$${r.range(1, 4)}.${r.range(1, 9)}B`]),
      emoji: '📈',
    },
    ...priceFields(w, true),
  ];
  if (r.chance(0.6))
    fields.push({
      key: label(w, 'Country', 'Geo', 'Location'),
      value: r.pick(['US', 'USA', `US, ${r.pick(US_STATES)}`]),
    });
  if (r.chance(0.6))
    fields.push({
      key: label(w, 'Industry', 'Sector', 'Niche'),
      value: r.pick(['Healthcare', 'Medical', 'Hospital', 'Health insurance']),
    });
  if (r.chance(0.5)) fields.push(escrowField(w));
  if (r.chance(0.5)) fields.push(contactField(w));
  if (r.chance(0.3))
    fields.push({ key: label(w, 'Backups', 'Backup'), value: r.pick(['Veeam on NAS', 'tape, offsite', 'none found']) });
  if (placement === 'field') fields.push(targetField(w, who));
  const intro: string[] = [];
  if (placement === 'sentence')
    intro.push(
      r.pick([
        `Selling access to ${who}.`,
        `Access for sale: ${who}`,
        `WTS network access - ${who}`,
        `Have access into ${who}, looking for a serious buyer.`,
      ]),
    );
  else
    intro.push(
      r.pick([
        'Selling access, details below.',
        'WTS',
        'New access, healthcare.',
        'Fresh access, first come first served.',
        '',
      ]),
    );
  const outro: string[] = [];
  outro.push(
    `Entry point ${w.plant(plantIpv4(r, true))}` +
      `${r.chance(0.2) ? `, old gateway ${w.plant(plantIpv4(r, false))}` : ''}.`,
  );
  if (r.chance(0.3)) outro.push(`Initial vector: ${w.plant(plantCve(r))} on the ${product} box, still unpatched.`);
  const note = aside(w, 0.2);
  if (note !== '') outro.push(note);
  outro.push(
    r.pick([
      `Only members with rep, PM me. Thread ${300_000 + index}.`,
      `Thread ${300_000 + index}`,
      `#${300_000 + index}`,
    ]),
  );
  const tag = r.pick(['[ACCESS]', '[WTS]', '[SELL]', '[Access]', '【ACCESS】', 'Selling', '']);
  const title =
    placement === 'title'
      ? r.pick([
          `${tag} ${w.mention(victim!, r.pick(['name', 'name', 'domain']))} | ${access} | ${hosts} hosts`.trim(),
          `${tag} ${access} access - ${w.mention(victim!, 'name')}`.trim(),
        ])
      : `${tag} US healthcare | ${access} | ${hosts} hosts`.trim();
  const where = victim === undefined ? 'anonymous' : placement;
  return render(
    w,
    { placement: where, title, intro, fields, outro },
    r.chance(0.7) ? 'forum' : 'market',
    'access_for_sale',
  );
}

const DATA_KINDS: ReadonlyArray<readonly [string, string]> = [
  ['patient records', 'full name, DOB, SSN, address, phone, insurance ID, MBI, diagnosis codes'],
  ['fullz (healthcare)', 'name, DOB, SSN, card with CVV, billing address, email'],
  ['lab results database', 'patient name, DOB, test panel, results, ordering physician, NPI'],
  ['insurance member data', 'member ID, group number, name, DOB, SSN, plan, claims history'],
  ['pharmacy customers', 'name, DOB, address, prescriptions, prescriber NPI, insurance'],
  ['billing database', 'patient name, account number, CPT codes, amounts, payer'],
];

/**
 * A redacted sample row, as sellers show them before escrow: initials, birth year, the SSN's last
 * four digits. Whole rows of patient identifiers would be the data itself (phi_exposure: rows win
 * over an offer), which the PHI dump templates write.
 */
function sampleRow(w: DocWriter): string {
  const r = w.rng;
  const p = w.person();
  const fields = [
    `${p.first} ${p.last.slice(0, 1)}.`,
    `born ${r.range(1938, 2004)}`,
    `SSN ***-**-${r.range(1000, 9999)}`,
  ];
  if (r.chance(0.5)) fields.push(w.plant(plantMbi(r, r.chance(0.8))));
  if (r.chance(0.3)) fields.push(w.plant(plantCard(r, r.chance(0.7))));
  return fields.join(' | ');
}

/** A vendor's offer of a database. */
export function dataSale(input: BuildInput, victim: OrgProfile | undefined): BuiltDocument {
  const { w, index, pools } = input;
  const r = w.rng;
  const count = r.range(2, 900);
  const kind = r.int(DATA_KINDS.length);
  const [what, columns] = DATA_KINDS[kind]!;
  const placement: Placement = victim === undefined ? 'sentence' : r.pick(['field', 'field', 'title', 'sentence']);
  const who = placement === 'title' ? '' : whoOf(w, victim);
  const fields: Field[] = [
    {
      key: label(w, 'Records', 'Rows', 'Lines', 'Count', 'Volume'),
      value: r.pick([`${count}k`, `${count},${r.range(100, 999)}`, `~${count}k rows`, `${(count / 100).toFixed(1)}M`]),
      emoji: '📊',
    },
    { key: label(w, 'Fields', 'Columns', 'Data', 'Contains', 'Info'), value: columns, emoji: '🧾' },
    {
      key: label(w, 'Format', 'File type'),
      value: r.pick(['CSV', 'SQL dump', 'XLSX', 'JSON', 'mdb + csv']),
      emoji: '📁',
    },
    ...priceFields(w, false),
  ];
  if (r.chance(0.6))
    fields.push({
      key: label(w, 'Size', 'Weight', 'Archive'),
      value: `${r.range(1, 80)}.${r.range(0, 9)} GB`,
      emoji: '💾',
    });
  if (r.chance(0.5))
    fields.push({
      key: label(w, 'Date', 'Dump date', 'Freshness'),
      value: r.pick(['March 2024', '2024', 'last month', 'fresh, not resold']),
    });
  if (r.chance(0.5)) fields.push(escrowField(w));
  if (r.chance(0.5)) fields.push(contactField(w));
  if (r.chance(0.4))
    fields.push({
      key: label(w, 'Sample', 'Proof'),
      value: r.chance(0.5)
        ? `http://${w.plant(plantOnion(r, pools, r.chance(0.8)))}/s/${hex(w, 8)}`
        : 'on request, 100 lines',
    });
  fields.push({ key: label(w, 'BTC', 'Deposit', 'Wallet'), value: w.plant(plantBtc(r, r.chance(0.85))), emoji: '₿' });
  if (r.chance(0.4)) fields.push({ key: 'XMR', value: w.plant(plantXmr(r, pools, r.chance(0.85))) });
  if (placement === 'field')
    fields.push({ ...targetField(w, who), key: label(w, 'Source', 'Company', 'Origin', 'Target', 'Database of') });
  const intro: string[] = [];
  if (placement === 'sentence')
    intro.push(
      r.pick([
        `Selling ${count}k ${what} from ${who}.`,
        `${who} - ${what}, exclusive.`,
        `Got the ${what} of ${who}, selling once.`,
      ]),
    );
  else intro.push(r.pick([`Selling ${what}.`, 'WTS, details below.', `${what}, US healthcare.`, '']));
  const outro: string[] = [];
  if (r.chance(0.5)) {
    outro.push('Sample (3 rows, redacted, rest after escrow):');
    for (let i = 0; i < 3; i++) outro.push(sampleRow(w));
  }
  const note = aside(w, 0.2);
  if (note !== '') outro.push(note);
  outro.push(`Listing #${200_000 + index}. Vendor level ${r.range(1, 9)}, ${r.range(3, 900)} sales.`);
  const tag = r.pick(['[SELLING]', '[WTS]', '[DB]', '[SELL]', 'HQ', '']);
  const title =
    placement === 'title'
      ? `${tag} ${w.mention(victim!, r.pick(['name', 'name', 'domain']))} ${what} ${count}k`.trim()
      : r.pick([`${tag} ${what} ${count}k`.trim(), `${what} - USA healthcare`, `HQ medical database | ${what}`]);
  const where = victim === undefined ? 'anonymous' : placement;
  return render(
    w,
    { placement: where, title, intro, fields, outro },
    r.chance(0.75) ? 'market' : 'forum',
    'data_for_sale',
  );
}
