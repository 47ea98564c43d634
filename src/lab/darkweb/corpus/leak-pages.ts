/**
 * Ransomware leak sites (issue #9 section 2): a victim's page (company card, countdown, file tree,
 * negotiation link) as text or as the site's HTML, the "data published" post after the deadline,
 * and index pages listing several victims with their timers or a PUBLISHED stamp. Every monitored
 * victim on such a page is a ransomware listing.
 */
import { plantBtc, plantOnion } from './identifiers.js';
import type { OrgProfile } from './orgs.js';
import type { DocWriter } from './writer.js';
import { RANSOM_FILE_TREE, UNMONITORED_ORGS, US_STATES } from './vocabulary.js';
import {
  SECTOR_LABELS,
  escapeHtml,
  fieldLines,
  typoDomainTrap,
  unmonitoredVictim,
  type BuildInput,
  type BuiltDocument,
  type Field,
} from './doc-helpers.js';

function isoDay(w: DocWriter): string {
  return `2024-${String(w.rng.range(1, 12)).padStart(2, '0')}-${String(w.rng.range(1, 28)).padStart(2, '0')}`;
}

function industry(w: DocWriter, victim: OrgProfile | undefined): string {
  const r = w.rng;
  const label = victim ? (SECTOR_LABELS[victim.sector] ?? 'Healthcare') : r.pick(Object.values(SECTOR_LABELS));
  return r.chance(0.5) ? `Healthcare / ${label}` : label;
}

function countdown(w: DocWriter): string {
  const r = w.rng;
  return r.pick([
    `${r.range(1, 14)}D ${r.range(0, 23)}h ${r.range(0, 59)}m ${r.range(0, 59)}s`,
    `${r.range(1, 14)} days left`,
    `publication: ${isoDay(w)} 18:00 UTC`,
  ]);
}

/** One victim's page. */
function victimPage(input: BuildInput, victim: OrgProfile | undefined): BuiltDocument {
  const { w, pools, index } = input;
  const r = w.rng;
  const size = r.range(40, 2400);
  const days = r.range(2, 14);
  const nameRef = victim ? w.mention(victim, r.chance(0.7) ? 'name' : 'domain') : unmonitoredVictim(w);
  const website = victim ? w.mention(victim, 'domain') : r.chance(0.5) ? (typoDomainTrap(w) ?? 'n/a') : 'n/a';
  const info: Field[] = r
    .shuffle([
      { key: r.pick(['Website', 'Site', 'Domain', 'URL']), value: website },
      { key: r.pick(['Industry', 'Sector']), value: industry(w, victim) },
      { key: r.pick(['Location', 'Country', 'HQ']), value: `United States, ${r.pick(US_STATES)}` },
      { key: r.pick(['Revenue', 'Annual revenue']), value: `$${r.range(8, 900)}M` },
      { key: r.pick(['Employees', 'Staff']), value: String(r.range(80, 9000)) },
      { key: r.pick(['Data size', 'Exfiltrated', 'Volume']), value: `${size} GB` },
    ])
    .slice(0, r.range(3, 6));
  const story = r.pick([
    `We have exfiltrated ${size} GB of data, including patient records, employee files, financial documents ` +
      'and contracts.',
    `${size} GB taken: PHI of patients, SSN of employees, insurance claims, scans, backups. The management ` +
      'decided to ignore us.',
    `Our team spent ${r.range(3, 40)} days in their network. ${size} GB downloaded before encryption.`,
    `The company was informed and chose silence. Their patients will know why.`,
  ]);
  const deadline = r.pick([
    `If the company does not contact us within ${days} days, all data will be published.`,
    `Deadline: ${days}d ${r.range(0, 23)}h ${r.range(0, 59)}m. After the timer ends the data will be ` +
      'published in full.',
    `Data will be published on ${isoDay(w)} 18:00 UTC unless the negotiation resumes.`,
  ]);
  const files = r.sample(RANSOM_FILE_TREE, r.range(3, 6));
  const chat = `http://${w.plant(plantOnion(r, pools, true))}/chat/${(index * 7919).toString(36)}`;
  const extra: string[] = [];
  if (r.chance(0.3)) extra.push(`Mirror: http://${w.plant(plantOnion(r, pools, r.chance(0.7)))}/post/${index}`);
  if (r.chance(0.25)) extra.push(`Proof payment wallet (BTC): ${w.plant(plantBtc(r, true))}`);
  const title = victim ? (r.chance(0.5) ? nameRef : website) : nameRef;
  if (r.chance(0.3)) {
    const e = escapeHtml;
    const html = [
      `<div class="victim-card">`,
      `<h2 class="victim-name">${e(nameRef)}</h2>`,
      `<div class="timer" data-end="${isoDay(w)}">${e(countdown(w))}</div>`,
      `<ul class="victim-info">${info.map((f) => `<li><span>${e(f.key)}</span> ${e(f.value)}</li>`).join('')}</ul>`,
      `<p class="desc">${e(story)}</p>`,
      `<p class="desc">${e(deadline)}</p>`,
      `<pre class="tree">${files.map(e).join('\n')}</pre>`,
      `<p>Negotiation chat: <a class="chat" href="${e(chat)}">${e(chat)}</a></p>`,
      ...extra.map((x) => `<p>${e(x)}</p>`),
      `<div class="views">views: ${r.range(50, 20_000)}</div>`,
      `</div>`,
    ].join('\n');
    return { sourceType: 'leak_site', class: 'ransomware_listing', layout: 'leak/victim-html', title, body: '', html };
  }
  const lines = [
    nameRef,
    ...fieldLines(info, r.pick(['colon', 'colon', 'dash', 'upper'])),
    '',
    story,
    deadline,
    '',
    r.pick(['Sample file tree:', 'Proof of access:', 'File list (part):']),
    ...files.map((f) => `  ${f}`),
    '',
    `Negotiation chat: ${chat}`,
    ...extra,
    `Post #${100_000 + index} | views ${r.range(50, 20_000)}`,
  ];
  return { sourceType: 'leak_site', class: 'ransomware_listing', layout: 'leak/victim', title, body: lines.join('\n') };
}

/** The post after the deadline: everything is out. */
function publishedPage(input: BuildInput, victim: OrgProfile | undefined): BuiltDocument {
  const { w, pools, index } = input;
  const r = w.rng;
  const nameRef = victim ? w.mention(victim, r.pick(['name', 'domain'])) : unmonitoredVictim(w);
  const parts = r.range(2, 8);
  const lines = [
    r.pick([`${nameRef} - ALL DATA PUBLISHED`, `PUBLISHED: ${nameRef}`, `${nameRef}`]),
    r.pick([
      'The deadline has passed. They did not care about their patients, so we publish everything.',
      'Full leak. Download while the mirrors are up.',
      'Negotiations failed. All files are now public.',
    ]),
    `Total: ${r.range(40, 2400)} GB in ${parts} parts`,
    ...Array.from(
      { length: parts },
      (_, i) => `part${i + 1}.7z  http://${w.plant(plantOnion(r, pools, true))}/files/${index}/${i + 1}`,
    ),
    `Published ${isoDay(w)}`,
  ];
  return {
    sourceType: 'leak_site',
    class: 'ransomware_listing',
    layout: 'leak/published',
    title: r.chance(0.5) ? nameRef : 'PUBLISHED',
    body: lines.join('\n'),
  };
}

/** An index page of the leak blog: several victims with their timers or PUBLISHED. */
function indexPage(input: BuildInput, victims: OrgProfile[]): BuiltDocument {
  const { w } = input;
  const r = w.rng;
  const e = escapeHtml;
  const names: string[] = victims.map((v) => w.mention(v, r.chance(0.7) ? 'name' : 'domain'));
  for (let i = r.range(1, 4); i > 0; i--)
    names.push(r.chance(0.8) ? w.keep(r.pick(UNMONITORED_ORGS)) : unmonitoredVictim(w));
  const cards = r.shuffle(names).map((name) => {
    const status = r.chance(0.4) ? 'PUBLISHED' : countdown(w);
    return (
      `<div class="post-block"><a class="post-title" href="/post/${r.range(100, 9999)}">${e(name)}</a>` +
      `<div class="post-text">${e(r.pick(['Healthcare', 'Hospital', 'Medical services', 'Clinic network']))}, ` +
      `${r.range(40, 2400)} GB</div><div class="post-timer">${e(status)}</div>` +
      `<div class="updated">updated ${isoDay(w)}</div></div>`
    );
  });
  const html = [
    `<header><h1>${r.pick(['Leaked data', 'Our victims', 'NEWS', 'Blog'])}</h1></header>`,
    `<div class="posts">`,
    ...cards,
    `</div>`,
    `<footer>page ${r.range(1, 12)} | <a href="/rules">rules for journalists</a></footer>`,
  ].join('\n');
  return {
    sourceType: 'leak_site',
    class: 'ransomware_listing',
    layout: 'leak/index-html',
    title: r.pick(['Home', 'Blog', 'Leaks']),
    body: '',
    html,
  };
}

/** A leak-site document about `victims` (the first for single-victim pages; none: unmonitored). */
export function leakSite(input: BuildInput, victims: OrgProfile[]): BuiltDocument {
  const r = input.w.rng;
  const kind = r.int(10);
  if (kind < 6) return victimPage(input, victims[0]);
  if (kind < 8) return publishedPage(input, victims[0]);
  return indexPage(input, victims);
}
