/**
 * The content of the lab's four hidden services: a forum, a market, a paste site and a ransomware leak
 * site, generated from the seed and a list of organizations. Each site is a small link graph of pages
 * (some deeper than the default crawl depth, some reachable only from another site, one redirect in
 * scope and one out of scope, one non-text file) so a crawler's scope and depth rules can be checked.
 */
import { createRng, type Rng } from '../world/rng.js';
import { bitcoinAddress, cardNumber, npiNumber, ssnNumber } from './identifiers.js';

/** The kinds of hidden service the lab runs; the names match the dark-web source types. */
export const HIDDEN_SERVICE_KINDS = ['forum', 'market', 'paste', 'leak_site'] as const;
export type HiddenServiceKind = (typeof HIDDEN_SERVICE_KINDS)[number];

/** An organization the pages talk about. */
export interface HiddenServiceOrg {
  name: string;
  domain: string;
}

/** One page a hidden service serves. */
export interface LabPage {
  /** Path and query, e.g. `/board/access?page=2`. */
  path: string;
  contentType: string;
  body: string;
  /** The title a crawler should report (`<title>`), absent for plain text and files. */
  title?: string;
  /** Paths of the same-site pages this page links to. */
  links: string[];
  /** Organizations the page mentions by name. */
  orgs: string[];
}

/** An HTTP redirect a hidden service serves. */
export interface LabRedirect {
  path: string;
  status: 301 | 302;
  /** A same-site path, or an absolute URL off the site. */
  location: string;
}

/** Everything one hidden service serves. */
export interface SiteContent {
  kind: HiddenServiceKind;
  name: string;
  pages: LabPage[];
  redirects: LabRedirect[];
  /** Paths answered with 503 this many times before they succeed (retry tests). */
  flaky: Record<string, number>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(title: string, body: string): string {
  return (
    `<!doctype html>\n<html><head><meta ` +
    `charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font-family:monospace}</style><script>var ` +
    `t=1;</script></head>\n<body>\n${body}\n</body></html>\n`
  );
}

const link = (href: string, text: string): string => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

/** A date in 2024 as ISO-8601, for post dates. */
function postDate(rng: Rng): string {
  return new Date(Date.UTC(2024, rng.int(12), rng.range(1, 28), rng.int(24), rng.int(60)))
    .toISOString()
    .replace('.000Z', 'Z');
}

const HANDLES = [
  'n0mad',
  'gh0stwire',
  'medsec_x',
  'datakrypt',
  'r00tbroker',
  'pulse_vendor',
  'sp1der',
  'coldchain',
  'vaultboy',
  'icu_access',
];

function forum(rng: Rng, orgs: readonly HiddenServiceOrg[], onions: Record<HiddenServiceKind, string>): SiteContent {
  const pages: LabPage[] = [];
  const boards = [
    { slug: 'healthcare-data', name: 'Healthcare data' },
    { slug: 'initial-access', name: 'Initial access' },
  ];
  let threadNo = 0;
  const threadPage = (boardSlug: string): string => {
    threadNo += 1;
    const n = threadNo;
    const org = orgs[(n - 1) % orgs.length]!;
    const title =
      boardSlug === 'initial-access'
        ? `[SELL] VPN + RDP access to ${org.name}`
        : `${org.name} patient database leak discussion`;
    const posts = Array.from({ length: 3 }, (_, i) => {
      const author = rng.pick(HANDLES);
      const text =
        i === 0
          ? boardSlug === 'initial-access'
            ? `Selling domain admin access to ${org.name} (${org.domain}). Citrix + RDP, 1200 hosts. Price ` +
              `0.8 BTC, escrow ok.`
            : `Got a dump from ${org.name}, ${org.domain} mail server. Contains provider NPI ` +
              `${npiNumber(rng)} and patient SSN ${ssnNumber(rng)}.`
          : rng.pick([
              'bump',
              'pm sent',
              'legit, vouched',
              `is this the same as the ${org.domain} leak from last year?`,
              'price too high',
            ]);
      return (
        `<div class="post" id="p${i + 1}"><span class="author">${escapeHtml(author)}</span> <time ` +
        `datetime="${postDate(rng)}">posted</time>\n<p>${escapeHtml(text)}</p></div>`
      );
    });
    const path = `/thread/${n}`;
    const more = `${path}?page=2`;
    pages.push({
      path,
      contentType: 'text/html; charset=utf-8',
      title,
      links: [more, `/board/${boardSlug}`],
      orgs: [org.name],
      body: htmlPage(
        title,
        `<h1>${escapeHtml(title)}</h1>\n${posts.join('\n')}\n<p class="pagination">${link(more, 'next page')} ` +
          `${link(`/board/${boardSlug}`, 'back')}</p>`,
      ),
    });
    const moreTitle = `${title} (page 2)`;
    pages.push({
      path: more,
      contentType: 'text/html; charset=utf-8',
      title: moreTitle,
      links: [path],
      orgs: [],
      body: htmlPage(
        moreTitle,
        `<h1>${escapeHtml(moreTitle)}</h1><div class="post"><span ` +
          `class="author">${rng.pick(HANDLES)}</span><p>bump</p></div>${link(path, 'first page')}`,
      ),
    });
    return path;
  };
  for (const board of boards) {
    const first = [threadPage(board.slug), threadPage(board.slug), threadPage(board.slug)];
    const second = [threadPage(board.slug), threadPage(board.slug)];
    const list = (threads: string[], extra: string): string =>
      `<ul ` +
      `class="threads">` +
      `${threads.map((t) => `<li>${link(t, pages.find((p) => p.path === t)!.title!)}</li>`).join('')}</ul>${extra}`;
    const title = `${board.name} - MedLeaks Forum`;
    const page2 = `/board/${board.slug}?page=2`;
    pages.push({
      path: `/board/${board.slug}`,
      contentType: 'text/html; charset=utf-8',
      title,
      links: [...first, page2, '/'],
      orgs: [],
      body: htmlPage(
        title,
        `<h1>${escapeHtml(board.name)}</h1>${list(first, `<p>${link(page2, 'page 2')} ${link('/', 'index')}</p>`)}`,
      ),
    });
    pages.push({
      path: page2,
      contentType: 'text/html; charset=utf-8',
      title: `${title} (page 2)`,
      links: [...second, `/board/${board.slug}`],
      orgs: [],
      body: htmlPage(`${title} (page 2)`, list(second, link(`/board/${board.slug}`, 'page 1'))),
    });
  }
  const indexTitle = 'MedLeaks Forum - index';
  pages.push({
    path: '/',
    contentType: 'text/html; charset=utf-8',
    title: indexTitle,
    links: ['/board/healthcare-data', '/board/initial-access', '/latest', '/members'],
    orgs: [],
    body: htmlPage(
      indexTitle,
      `<h1>MedLeaks Forum</h1><p>Welcome. Read the rules before you post a thread or reply.</p><ul>` +
        `<li>${link('/board/healthcare-data', 'Healthcare data')}</li><li>` +
        `${link('/board/initial-access', 'Initial access')}</li></ul>` +
        `<p>${link('/latest', 'latest thread')} | ${link('/members', 'members')} | ${link('#top', 'top')} | ` +
        `${link('mailto:admin@medleaks.invalid', 'contact')}</p>` +
        `<p>Partners: ${link(`http://${onions.market}/listing/vip`, 'VIP listing on our market')} | ` +
        `${link('https://clearweb-news.example/healthcare', 'news')} | ${link('/go?to=paste', 'paste mirror')}</p>`,
    ),
  });
  pages.push({
    path: '/members',
    contentType: 'text/html; charset=utf-8',
    title: 'Members - MedLeaks Forum',
    links: ['/'],
    orgs: [],
    body: htmlPage(
      'Members - MedLeaks Forum',
      `<h1>Members</h1><ul>${HANDLES.map((h) => `<li class="username">${h}</li>`).join('')}</ul>${link('/', 'index')}`,
    ),
  });
  return {
    kind: 'forum',
    name: 'MedLeaks Forum',
    pages,
    redirects: [
      { path: '/latest', status: 302, location: '/thread/1' },
      { path: '/go?to=paste', status: 302, location: `http://${onions.paste}/paste/hidden` },
    ],
    flaky: { '/thread/2': 2 },
  };
}

function market(rng: Rng, orgs: readonly HiddenServiceOrg[]): SiteContent {
  const pages: LabPage[] = [];
  const categories = [
    { slug: 'databases', name: 'Databases' },
    { slug: 'access', name: 'Access' },
  ];
  let id = 100;
  const listing = (category: string, org: HiddenServiceOrg, path = `/listing/${++id}`): string => {
    const vendor = rng.pick(HANDLES);
    const btc = (rng.range(5, 300) / 100).toFixed(2);
    const xmr = (rng.range(50, 3000) / 10).toFixed(1);
    const title =
      category === 'access'
        ? `RDP access - ${org.name} network`
        : `${org.name} patient records (${rng.range(2, 90)}k rows)`;
    const sample =
      category === 'access'
        ? `<p>Domain ${escapeHtml(org.domain)}, VPN credentials + RDP to EHR servers.</p>`
        : `<pre>name,dob,ssn,card\nJ. Doe,1961-04-02,${ssnNumber(rng)},${cardNumber(rng)}\nA. ` +
          `Roe,1978-11-19,${ssnNumber(rng)},${cardNumber(rng)}</pre>`;
    const vendorPath = `/vendor/${vendor}`;
    pages.push({
      path,
      contentType: 'text/html; charset=utf-8',
      title,
      links: [vendorPath, `/category/${category}`],
      orgs: [org.name],
      body: htmlPage(
        title,
        `<h1>${escapeHtml(title)}</h1><p>Vendor: <a class="vendor" href="${vendorPath}">${vendor}</a></p>` +
          `<p class="price">Price: ${btc} BTC / ${xmr} XMR. Pay to ${bitcoinAddress(rng)}. Escrow ` +
          `available.</p>${sample}` +
          `<p class="date">${postDate(rng).slice(0, 10)}</p>${link(`/category/${category}`, 'back')}`,
      ),
    });
    if (!pages.some((p) => p.path === vendorPath)) {
      pages.push({
        path: vendorPath,
        contentType: 'text/html; charset=utf-8',
        title: `Vendor ${vendor}`,
        links: [],
        orgs: [],
        body: htmlPage(`Vendor ${vendor}`, `<h1>Vendor ${vendor}</h1><p>Rating 4.9, 210 sales.</p>`),
      });
    }
    return path;
  };
  for (const [c, category] of categories.entries()) {
    const listings = [0, 1, 2].map((i) => listing(category.slug, orgs[(c * 3 + i + 2) % orgs.length]!));
    const title = `${category.name} - Pharma Bazaar`;
    pages.push({
      path: `/category/${category.slug}`,
      contentType: 'text/html; charset=utf-8',
      title,
      links: [...listings, '/'],
      orgs: [],
      body: htmlPage(
        title,
        `<h1>${category.name}</h1><ul>` +
          `${listings.map((l) => `<li>${link(l, pages.find((p) => p.path === l)!.title!)}</li>`).join('')}</ul` +
          `>${link('/', 'home')}`,
      ),
    });
  }
  // Linked only from the forum: a crawl that follows links off the seed's site would fetch it.
  listing('databases', orgs[0]!, '/listing/vip');
  pages.push({
    path: '/',
    contentType: 'text/html; charset=utf-8',
    title: 'Pharma Bazaar - market',
    links: ['/category/databases', '/category/access'],
    orgs: [],
    body: htmlPage(
      'Pharma Bazaar - market',
      `<h1>Pharma Bazaar</h1><p>Every listing paid in BTC or XMR through ` +
        `escrow.</p><ul><li>${link('/category/databases', 'Databases')}</li><li>` +
        `${link('/category/access', 'Access')}</li></ul>`,
    ),
  });
  return { kind: 'market', name: 'Pharma Bazaar', pages, redirects: [], flaky: {} };
}

function pasteSite(rng: Rng, orgs: readonly HiddenServiceOrg[]): SiteContent {
  const pages: LabPage[] = [];
  const paste = (n: number, org: HiddenServiceOrg, id = `p${n}${rng.int(1000)}`): string => {
    const raw = `/raw/${id}`;
    const combos = Array.from(
      { length: 4 },
      (_, i) =>
        `${['admin', 'jsmith', 'billing', 'nurse.k'][i]}@${org.domain}:` +
        `${rng.pick(['Summer2024!', 'Welcome1', 'P@ssw0rd', 'qwerty123'])}${rng.int(100)}`,
    );
    const text = `${org.name} combo list\n${combos.join('\n')}\n`;
    pages.push({ path: raw, contentType: 'text/plain; charset=utf-8', links: [], orgs: [org.name], body: text });
    const title = `Paste ${id} - ${org.name} combo list`;
    pages.push({
      path: `/paste/${id}`,
      contentType: 'text/html; charset=utf-8',
      title,
      links: [raw, '/'],
      orgs: [org.name],
      body: htmlPage(
        title,
        `<h1>${escapeHtml(title)}</h1><p>Syntax: none. Expires: never. <span ` +
          `class="date">${postDate(rng)}</span></p><pre>${escapeHtml(text)}</pre><p>${link(raw, 'raw')} ` +
          `${link('/', 'recent pastes')}</p>`,
      ),
    });
    return `/paste/${id}`;
  };
  const recent = [0, 1, 2, 3].map((i) => paste(i, orgs[(i + 4) % orgs.length]!));
  const older = [4, 5].map((i) => paste(i, orgs[(i + 4) % orgs.length]!));
  paste(9, orgs[1 % orgs.length]!, 'hidden');
  const list = (items: string[]): string =>
    `<ul>${items.map((p) => `<li>${link(p, pages.find((x) => x.path === p)!.title!)}</li>`).join('')}</ul>`;
  pages.push({
    path: '/archive',
    contentType: 'text/html; charset=utf-8',
    title: 'Archive - ZeroBin pastes',
    links: [...older, '/'],
    orgs: [],
    body: htmlPage('Archive - ZeroBin pastes', `<h1>Archive</h1>${list(older)}${link('/', 'recent')}`),
  });
  pages.push({ path: '/static/logo.png', contentType: 'image/png', links: [], orgs: [], body: '\x89PNG\r\n\x1a\n' });
  pages.push({
    path: '/',
    contentType: 'text/html; charset=utf-8',
    title: 'ZeroBin pastes - recent',
    links: [...recent, '/archive', '/static/logo.png'],
    orgs: [],
    body: htmlPage(
      'ZeroBin pastes - recent',
      `<h1><a href="/static/logo.png">ZeroBin</a> recent ` +
        `pastes</h1>${list(recent)}<p>${link('/archive', 'archive')}</p>`,
    ),
  });
  return { kind: 'paste', name: 'ZeroBin pastes', pages, redirects: [], flaky: {} };
}

function leakSite(rng: Rng, orgs: readonly HiddenServiceOrg[]): SiteContent {
  const pages: LabPage[] = [];
  const victims = [0, 1, 2, 3].map((i) => {
    const org = orgs[(i + 6) % orgs.length]!;
    const slug = org.domain.replace(/\.[a-z]+$/, '').replace(/[^a-z0-9]+/g, '-');
    const published = i % 2 === 0;
    const title = `${org.name} - ${published ? 'DATA PUBLISHED' : 'countdown'}`;
    const files = `/victim/${slug}/files`;
    const status = published
      ? `<p class="status">Data published. ${rng.range(80, 900)} GB exfiltrated: patient records, lab results, HR.</p>`
      : `<p class="status">Countdown: ${rng.range(1, 9)}d ${rng.range(0, 23)}h until publication. Pay ` +
        `${(rng.range(10, 90) / 10).toFixed(1)} BTC to ${bitcoinAddress(rng)}.</p>`;
    pages.push({
      path: `/victim/${slug}`,
      contentType: 'text/html; charset=utf-8',
      title,
      links: [files, '/'],
      orgs: [org.name],
      body: htmlPage(
        title,
        `<h1>${escapeHtml(org.name)}</h1><p>Website: ${escapeHtml(org.domain)}</p><time ` +
          `datetime="${postDate(rng)}">added</time>${status}<p>${link(files, 'file tree')} ` +
          `${link('/', 'all victims')}</p>`,
      ),
    });
    const filesTitle = `${org.name} - file tree`;
    pages.push({
      path: files,
      contentType: 'text/html; charset=utf-8',
      title: filesTitle,
      links: [`/victim/${slug}`],
      orgs: [org.name],
      body: htmlPage(
        filesTitle,
        `<h1>${escapeHtml(filesTitle)}</h1><pre>/${slug}/EHR/patients_2023.csv\n/${slug}/Lab/results_Q4.xlsx` +
          `\n/${slug}/HR/payroll.xlsx</pre>${link(`/victim/${slug}`, 'back')}`,
      ),
    });
    return { path: `/victim/${slug}`, title };
  });
  pages.push({
    path: '/about',
    contentType: 'text/html; charset=utf-8',
    title: 'About - LockLeak blog',
    links: ['/'],
    orgs: [],
    body: htmlPage(
      'About - LockLeak blog',
      `<h1>About</h1><p>We publish the data of companies that ignore us.</p>${link('/', 'victims')}`,
    ),
  });
  pages.push({
    path: '/',
    contentType: 'text/html; charset=utf-8',
    title: 'LockLeak blog - victims',
    links: [...victims.map((v) => v.path), '/about', '/victims'],
    orgs: [],
    body: htmlPage(
      'LockLeak blog - victims',
      `<h1>Victims</h1><ul>${victims.map((v) => `<li>${link(v.path, v.title)}</li>`).join('')}</ul><p>` +
        `${link('/about', 'about')} ${link('/victims', 'all victims')}</p>`,
    ),
  });
  return {
    kind: 'leak_site',
    name: 'LockLeak blog',
    pages,
    redirects: [{ path: '/victims', status: 301, location: '/' }],
    flaky: {},
  };
}

/** Builds the four sites' content; `onions` gives each kind's address for cross-site links. */
export function buildSiteContents(
  seed: number,
  orgs: readonly HiddenServiceOrg[],
  onions: Record<HiddenServiceKind, string>,
): SiteContent[] {
  if (orgs.length === 0) throw new Error('the hidden services need at least one organization to talk about');
  return [
    forum(createRng(seed, 'darkweb-forum'), orgs, onions),
    market(createRng(seed, 'darkweb-market'), orgs),
    pasteSite(createRng(seed, 'darkweb-paste'), orgs),
    leakSite(createRng(seed, 'darkweb-leak'), orgs),
  ];
}
