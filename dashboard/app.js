// The Vitals dashboard: a client of /api/v1 with the session cookie. Every text from the server goes into
// the page as text nodes (never as HTML), so nothing a dark-web document says can become markup.

const main = document.getElementById('main');
let csrf = sessionStorage.getItem('vitals-csrf') ?? '';
let me = null;

/** An element with attributes (on* names become listeners) and children (strings become text). */
function h(tag, attrs = {}, ...children) {
  const svg = ['svg', 'polyline', 'line', 'text', 'title'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) el.append(child);
  return el;
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
  }
}

async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (response.status === 401 && !path.startsWith('/session')) {
    location.hash = '#/login';
    throw new ApiError(401, data);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Every page of a list, concatenated. */
async function all(path) {
  const items = [];
  let cursor = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await api('GET', `${path}${separator}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

function grade(value) {
  return h('span', { class: `grade grade-${value ?? 'none'}`, 'aria-label': value ? `grade ${value}` : 'not rated' }, value ?? '–');
}

const fixed = (n, digits = 1) => (n === null || n === undefined ? '–' : Number(n).toFixed(digits));

function show(title, ...content) {
  document.title = `${title} · Vitals`;
  main.replaceChildren(h('h1', {}, title), ...content);
  main.focus();
}

function failure(error) {
  return h('p', { class: 'error', role: 'alert' }, error.message);
}

// ---- login ----

function loginPage() {
  document.getElementById('nav').hidden = true;
  const status = h('p', { role: 'status' });
  const form = h(
    'form',
    {
      class: 'inline',
      onsubmit: async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        try {
          const session = await api('POST', '/session', {
            username: String(data.get('username')),
            password: String(data.get('password')),
          });
          csrf = session.csrf_token;
          sessionStorage.setItem('vitals-csrf', csrf);
          location.hash = '#/portfolio';
        } catch (error) {
          status.replaceChildren(failure(error));
        }
      },
    },
    h('label', {}, 'User name', h('input', { name: 'username', autocomplete: 'username', required: true })),
    h('label', {}, 'Password', h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit' }, 'Log in'),
  );
  show('Log in', form, status);
}

// ---- portfolio: every organization, virtualized ----

const ROW_HEIGHT = 30;
const COLUMNS = [
  ['name', 'Organization', (o) => o.name.toLowerCase()],
  ['grade', 'Grade', (o) => o.grade ?? 'Z'],
  ['score', 'Score', (o) => o.score ?? -1],
  ['trend', 'Trend', (o) => o.trend ?? -1000],
  ['sector', 'Sector', (o) => o.sector],
  ['telehealth', 'Telehealth', (o) => (o.telehealth ? 1 : 0)],
  ['critical', 'Critical', (o) => o.open_findings.critical],
  ['high', 'High', (o) => o.open_findings.high],
  ['medium', 'Medium', (o) => o.open_findings.medium],
];

async function portfolioPage() {
  show('Portfolio', h('p', { role: 'status' }, 'Loading the portfolio…'));
  let orgs;
  try {
    orgs = await all('/orgs');
  } catch (error) {
    show('Portfolio', failure(error));
    return;
  }
  let sort = ['score', 1];
  let rows = orgs;
  const count = h('p', { role: 'status' });
  const body = h('tbody');
  const spacer = h('div', { class: 'spacer' });
  const table = h('table', {}, h('caption', { class: 'visually-hidden' }, 'Organizations'), h('thead', {}, h('tr', {}, ...COLUMNS.map(([key, label]) =>
    h('th', { scope: 'col', class: ['score', 'trend', 'critical', 'high', 'medium'].includes(key) ? 'num' : undefined },
      h('button', { type: 'button', onclick: () => { sort = [key, sort[0] === key ? -sort[1] : 1]; apply(); } }, label)),
  ))), body);
  const viewport = h('div', { class: 'viewport', tabindex: '0', 'aria-label': 'Organizations, scrollable' }, spacer, table);
  const render = () => {
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - 5);
    const visible = Math.ceil(viewport.clientHeight / ROW_HEIGHT) + 10;
    table.style.top = `${first * ROW_HEIGHT}px`;
    body.replaceChildren(...rows.slice(first, first + visible).map((o) => h('tr', {},
      h('td', {}, h('a', { href: `#/org/${encodeURIComponent(o.name)}` }, o.name)),
      h('td', {}, grade(o.grade)),
      h('td', { class: 'num' }, fixed(o.score)),
      h('td', { class: 'num' }, o.trend === null ? '–' : `${o.trend > 0 ? '+' : ''}${fixed(o.trend)}`),
      h('td', {}, o.sector),
      h('td', {}, o.telehealth ? 'yes' : 'no'),
      h('td', { class: 'num' }, String(o.open_findings.critical)),
      h('td', { class: 'num' }, String(o.open_findings.high)),
      h('td', { class: 'num' }, String(o.open_findings.medium)),
    )));
  };
  const filters = h('form', { class: 'inline', onsubmit: (e) => e.preventDefault(), oninput: () => apply() },
    h('label', {}, 'Search', h('input', { name: 'q', type: 'search' })),
    h('label', {}, 'Sector', h('select', { name: 'sector' }, h('option', { value: '' }, 'all'),
      ...[...new Set(orgs.map((o) => o.sector))].sort().map((s) => h('option', { value: s }, s)))),
    h('label', {}, 'Telehealth', h('select', { name: 'telehealth' }, h('option', { value: '' }, 'all'),
      h('option', { value: 'yes' }, 'yes'), h('option', { value: 'no' }, 'no'))),
  );
  function apply() {
    const data = new FormData(filters);
    const q = String(data.get('q') ?? '').toLowerCase();
    const sector = String(data.get('sector') ?? '');
    const telehealth = String(data.get('telehealth') ?? '');
    const key = COLUMNS.find(([k]) => k === sort[0])[2];
    rows = orgs
      .filter((o) => (q === '' || o.name.toLowerCase().includes(q) || o.domains.some((d) => d.includes(q))) &&
        (sector === '' || o.sector === sector) &&
        (telehealth === '' || o.telehealth === (telehealth === 'yes')))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * sort[1]);
    spacer.style.height = `${rows.length * ROW_HEIGHT + ROW_HEIGHT}px`;
    count.textContent = `${rows.length.toLocaleString()} of ${orgs.length.toLocaleString()} organizations`;
    render();
  }
  viewport.addEventListener('scroll', () => requestAnimationFrame(render));
  show('Portfolio', filters, count, viewport);
  apply();
}

// ---- one organization ----

function historyChart(points) {
  const scored = points.filter((p) => p.score !== null);
  if (scored.length < 2) return h('p', {}, 'Not enough history for a chart yet.');
  const times = scored.map((p) => Date.parse(p.taken_at));
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const x = (t) => 30 + ((t - t0) / Math.max(1, t1 - t0)) * 600;
  const y = (s) => 160 - (s / 100) * 150;
  return h('svg', { class: 'chart', viewBox: '0 0 640 180', role: 'img', 'aria-label': 'Score history' },
    h('title', {}, 'Score history'),
    ...[0, 50, 100].map((s) => h('text', { x: 0, y: y(s) + 3 }, String(s))),
    h('polyline', { points: scored.map((p, i) => `${x(times[i])},${y(p.score)}`).join(' ') }));
}

async function organizationPage(name) {
  show(name, h('p', { role: 'status' }, 'Loading…'));
  try {
    const ref = encodeURIComponent(name);
    const [card, detail, history, findings] = await Promise.all([
      api('GET', `/orgs/${ref}/scorecard`),
      api('GET', `/orgs/${ref}`),
      all(`/orgs/${ref}/history`),
      all(`/findings?org=${ref}`),
    ]);
    const factorRows = card.factors.map((f) => {
      const bar = h('div', { class: 'bar' });
      bar.style.width = `${f.score ?? 0}%`;
      return h('tr', {}, h('th', { scope: 'row' }, f.factor), h('td', {}, grade(f.grade)),
        h('td', { class: 'num' }, f.score === null ? 'not rated' : fixed(f.score)),
        h('td', {}, h('div', { class: 'bar-track', role: 'presentation' }, bar)),
        h('td', { class: 'num' }, fixed(f.points_lost, 2)));
    });
    const findingRows = findings.map((f) => h('tr', {},
      h('td', {}, f.severity), h('td', {}, f.type), h('td', {}, f.asset.host), h('td', {}, f.title),
      h('td', {}, f.dispute ? `${f.dispute.status === 'open' ? 'disputed' : 'accepted'} (${f.dispute.reason})` : ''),
      h('td', {}, f.dispute || me?.role === 'viewer' ? '' : h('button', { type: 'button', class: 'secondary', onclick: () => disputeForm(f, name) }, 'Dispute')),
    ));
    show(card.organization,
      h('div', { class: 'card' }, h('span', { class: 'big' }, card.score === null ? 'not rated' : fixed(card.score)), ' ', grade(card.grade),
        h('p', {}, `${detail.sector}${detail.telehealth ? ', telehealth' : ''} · ${detail.domains.join(', ')} · method ${card.method_version}`)),
      h('h2', {}, 'Factors'),
      h('table', {}, h('thead', {}, h('tr', {}, ...['Factor', 'Grade', 'Score', '', 'Points lost'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, ...factorRows)),
      h('h2', {}, 'Score history'), historyChart(history),
      h('h2', {}, 'What to fix first'),
      h('ol', {}, ...card.plan.map((s) => h('li', {}, `${s.title} (${s.type}): +${fixed(s.gain)} → ${fixed(s.score_after)} ${s.grade_after}. ${s.remediation}`))),
      h('h2', {}, `Open findings (${findings.length})`),
      h('table', {}, h('thead', {}, h('tr', {}, ...['Severity', 'Type', 'Host', 'Title', 'Dispute', ''].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, ...findingRows)),
      h('h2', {}, `Assets (${detail.assets.length})`),
      h('ul', {}, ...detail.assets.map((a) => h('li', {}, `${a.host} — ${a.addresses.join(', ')} (found by ${a.discovered_by.join(', ')})`))),
      h('h2', {}, 'Vendors'),
      h('p', {}, detail.vendors.list.length === 0 ? 'None recorded.' : detail.vendors.summary.text),
      h('div', { id: 'dispute-form' }),
    );
  } catch (error) {
    show(name, failure(error));
  }
}

function disputeForm(finding, organization) {
  const place = document.getElementById('dispute-form');
  const status = h('p', { role: 'status' });
  const form = h('form', { class: 'card', onsubmit: async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api('POST', '/disputes', { finding_id: finding.id, reason: String(data.get('reason')), note: String(data.get('note')) });
      organizationPage(organization);
    } catch (error) {
      status.replaceChildren(failure(error));
    }
  } },
  h('h2', {}, `Dispute ${finding.type} on ${finding.asset.host}`),
  h('label', {}, 'Reason', h('select', { name: 'reason' }, ...['false_positive', 'compensating_control', 'fixed', 'not_ours', 'accepted_risk'].map((r) => h('option', { value: r }, r)))),
  h('label', {}, 'Note', h('textarea', { name: 'note', required: true, rows: 3, cols: 60 })),
  h('button', { type: 'submit' }, 'Open the dispute'), status);
  place.replaceChildren(form);
  form.querySelector('select').focus();
}

// ---- findings, disputes, search, alerts, catalogue ----

async function findingsPage() {
  show('Findings', h('p', { role: 'status' }, 'Loading…'));
  try {
    const [findings, disputes] = await Promise.all([all('/findings?sort=severity'), all('/disputes?status=open')]);
    const decide = async (id, action) => { await api('POST', `/disputes/${id}/${action}`, {}); findingsPage(); };
    show('Findings',
      h('h2', {}, `Open disputes (${disputes.length})`),
      h('table', {}, h('tbody', {}, ...disputes.map((d) => h('tr', {}, h('td', {}, d.organization), h('td', {}, d.finding_type), h('td', {}, d.asset_host),
        h('td', {}, `${d.reason}: ${d.note}`),
        h('td', {}, me?.role === 'viewer' ? '' : h('button', { type: 'button', onclick: () => decide(d.id, 'resolve') }, 'Accept')),
        h('td', {}, me?.role === 'viewer' ? '' : h('button', { type: 'button', class: 'secondary', onclick: () => decide(d.id, 'reject') }, 'Reject')))))),
      h('h2', {}, `Open findings (${findings.length})`),
      h('table', {}, h('tbody', {}, ...findings.slice(0, 2000).map((f) => h('tr', {}, h('td', {}, f.severity),
        h('td', {}, h('a', { href: `#/org/${encodeURIComponent(f.organization)}` }, f.organization)), h('td', {}, f.type), h('td', {}, f.asset.host)))))
    );
  } catch (error) {
    show('Findings', failure(error));
  }
}

/** A snippet whose U+E000 … U+E001 marks become <mark> elements; the text stays text. */
function snippet(text) {
  const out = [];
  for (const [i, part] of text.split(/[\uE000\uE001]/).entries()) out.push(i % 2 === 1 ? h('mark', {}, part) : part);
  return h('p', { class: 'snippet' }, ...out);
}

function searchPage() {
  const results = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline', role: 'search', onsubmit: async (event) => {
    event.preventDefault();
    const q = String(new FormData(form).get('q'));
    try {
      const page = await api('GET', `/darkweb/search?q=${encodeURIComponent(q)}&highlight=private-use&limit=50`);
      results.replaceChildren(h('p', {}, `${page.items.length} results`), ...page.items.map((hit) => h('article', { class: 'card' },
        h('h2', {}, hit.title ?? '(untitled)'), h('p', {}, `${hit.class} · ${hit.source_type} · ${hit.posted_at?.slice(0, 10) ?? 'undated'} · ${hit.orgs.join(', ')}`),
        snippet(hit.snippet))));
    } catch (error) {
      results.replaceChildren(failure(error));
    }
  } },
  h('label', {}, 'Query (e.g. ransomware org:"Northwind Family Clinic")', h('input', { name: 'q', type: 'search', size: 60, required: true })),
  h('button', { type: 'submit' }, 'Search'));
  show('Dark-web search', form, results);
}

async function alertsPage() {
  try {
    const [watchlists, alerts] = await Promise.all([all('/watchlists'), api('GET', '/alerts?limit=200')]);
    show('Watchlists and alerts',
      h('ul', {}, ...watchlists.map((w) => h('li', {}, `${w.name} (${w.kind}): ${w.alerts} alerts`))),
      h('h2', {}, 'Latest alerts'),
      h('ul', {}, ...alerts.items.map((a) => h('li', {}, `${a.created_at.slice(0, 16)} ${a.watchlist}: ${a.snippet}`))));
  } catch (error) {
    show('Watchlists and alerts', failure(error));
  }
}

async function cataloguePage() {
  try {
    const types = await all('/catalogue/findings');
    show('Finding catalogue', h('table', {}, h('tbody', {}, ...types.map((t) => h('tr', {}, h('td', {}, t.id), h('td', {}, t.severity), h('td', {}, t.title),
      h('td', {}, t.references.map((r) => r.ref).join('; ')))))));
  } catch (error) {
    show('Finding catalogue', failure(error));
  }
}

// ---- routing ----

async function route() {
  const [, page, arg] = location.hash.split('/');
  if (page === 'login') return loginPage();
  if (me === null) {
    try {
      me = await api('GET', '/session');
    } catch {
      location.hash = '#/login';
      return;
    }
  }
  document.getElementById('nav').hidden = false;
  document.getElementById('who').textContent = `${me.name} (${me.role})`;
  if (page === 'org' && arg) return organizationPage(decodeURIComponent(arg));
  if (page === 'findings') return findingsPage();
  if (page === 'search') return searchPage();
  if (page === 'alerts') return alertsPage();
  if (page === 'catalogue') return cataloguePage();
  return portfolioPage();
}

document.getElementById('logout').addEventListener('click', async () => {
  await api('DELETE', '/session').catch(() => null);
  me = null;
  sessionStorage.removeItem('vitals-csrf');
  location.hash = '#/login';
});
window.addEventListener('hashchange', () => {
  route();
});
route();
