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

// ---- shared pieces: tables, charts with their data ----

const dash = '–';
const day = (t) => (t ? t.slice(0, 10) : dash);

/** A table with a caption, column headers and rows of cells (strings or elements). */
function table(caption, headers, rows, options = {}) {
  return h('table', { class: options.class },
    h('caption', { class: options.captionVisible ? undefined : 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((c, i) =>
      i === 0 && options.rowHeaders ? h('th', { scope: 'row' }, c) : h('td', {}, c))))));
}

/**
 * A chart drawn on the server (ECharts SVG, /api/v1/.../charts/...) as an image with its description,
 * and the same figures as a table for anyone who cannot see it.
 */
function chart(src, alt, width, height, dataCaption, headers, rows) {
  return h('figure', { class: 'chart' },
    h('img', { src: `/api/v1${src}`, alt, width, height }),
    h('figcaption', {}, alt),
    h('details', {}, h('summary', {}, `${dataCaption}: the chart's data as a table`),
      table(dataCaption, headers, rows, { rowHeaders: true })));
}

/** A score trend as a small inline line (one point per month), labelled with its values. */
function sparkline(points) {
  const scored = points.filter((p) => p.score !== null);
  if (scored.length < 2) return h('span', { class: 'muted' }, scored.length === 1 ? String(fixed(scored[0].score)) : dash);
  const step = 60 / (scored.length - 1);
  const coords = scored.map((p, i) => `${(i * step).toFixed(1)},${(18 - (p.score / 100) * 16).toFixed(1)}`).join(' ');
  return h('svg', { class: 'spark', viewBox: '0 0 60 20', width: 60, height: 20, role: 'img',
    'aria-label': `monthly scores ${scored.map((p) => fixed(p.score)).join(', ')}` },
  h('polyline', { points: coords }));
}

const trendText = (t) => (t === null ? dash : `${t > 0 ? '+' : ''}${fixed(t)}`);

// ---- portfolio: every organization, virtualized ----

const ROW_HEIGHT = 32;
const COLUMNS = [
  ['name', 'Organization', (o) => o.name.toLowerCase()],
  ['grade', 'Grade', (o) => o.grade ?? 'Z'],
  ['score', 'Score', (o) => o.score ?? -1],
  ['trend', 'Trend', (o) => o.trend ?? -1000],
  ['sector', 'Sector', (o) => o.sector],
  ['telehealth', 'Telehealth', (o) => (o.telehealth ? 1 : 0)],
  ['worst', 'Worst factor', (o) => o.worst_factor ?? '~'],
  ['critical', 'Critical', (o) => o.open_findings.critical],
  ['high', 'High', (o) => o.open_findings.high],
  ['medium', 'Medium', (o) => o.open_findings.medium],
  ['low', 'Low', (o) => o.open_findings.low],
  ['mentions', 'Mentions', (o) => o.mentions],
];
const NUMERIC = new Set(['score', 'trend', 'critical', 'high', 'medium', 'low', 'mentions']);

function portfolioRow(o, index) {
  return h('tr', { 'aria-rowindex': index + 2 },
    h('td', {}, h('a', { href: `#/org/${encodeURIComponent(o.name)}` }, o.name)),
    h('td', {}, grade(o.grade)),
    h('td', { class: 'num' }, fixed(o.score)),
    h('td', { class: 'num' }, h('span', { class: 'trend' }, sparkline(o.sparkline), ' ', trendText(o.trend))),
    h('td', {}, o.sector),
    h('td', {}, o.telehealth ? 'yes' : 'no'),
    h('td', {}, o.worst_factor ?? dash),
    h('td', { class: 'num' }, String(o.open_findings.critical)),
    h('td', { class: 'num' }, String(o.open_findings.high)),
    h('td', { class: 'num' }, String(o.open_findings.medium)),
    h('td', { class: 'num' }, String(o.open_findings.low)),
    h('td', { class: 'num' }, String(o.mentions)));
}

/** The portfolio table asked for while the session is checked (see route), or null. */
let prefetched = null;

async function portfolioPage() {
  show('Portfolio', h('p', { role: 'status' }, 'Loading the portfolio…'));
  let orgs;
  try {
    const answer = await (prefetched ?? api('GET', '/portfolio/table'));
    prefetched = null;
    if (answer instanceof Error) throw answer;
    orgs = answer.organizations;
  } catch (error) {
    show('Portfolio', failure(error));
    return;
  }
  let sort = ['score', 1];
  let rows = orgs;
  const count = h('p', { role: 'status' });
  const body = h('tbody');
  const spacer = h('div', { class: 'spacer' });
  const headers = COLUMNS.map(([key, label]) => h('th', { scope: 'col', class: NUMERIC.has(key) ? 'num' : undefined },
    h('button', { type: 'button', onclick: () => { sort = [key, sort[0] === key ? -sort[1] : 1]; apply(); } }, label)));
  const table = h('table', { class: 'portfolio', 'aria-rowcount': orgs.length + 1 },
    h('caption', { class: 'visually-hidden' }, 'Organizations (sort by a column header)'),
    h('thead', {}, h('tr', { 'aria-rowindex': 1 }, ...headers)), body);
  const viewport = h('div', { class: 'viewport', tabindex: '0', role: 'region', 'aria-label': 'Organizations, scrollable' }, spacer, table);
  // Only the rows in view (and a few around) exist in the page: 30,000 organizations stay smooth.
  const render = () => {
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - 5);
    const visible = Math.ceil((viewport.clientHeight || 600) / ROW_HEIGHT) + 10;
    table.style.top = `${first * ROW_HEIGHT}px`;
    body.replaceChildren(...rows.slice(first, first + visible).map((o, i) => portfolioRow(o, first + i)));
  };
  const options = (values) => [h('option', { value: '' }, 'all'), ...values.map((v) => h('option', { value: v }, v))];
  const distinct = (f) => [...new Set(orgs.map(f).filter((v) => v !== null))].sort();
  const filters = h('form', { class: 'inline', onsubmit: (e) => e.preventDefault(), oninput: () => apply() },
    h('label', {}, 'Search', h('input', { name: 'q', type: 'search' })),
    h('label', {}, 'Sector', h('select', { name: 'sector' }, ...options(distinct((o) => o.sector)))),
    h('label', {}, 'Telehealth', h('select', { name: 'telehealth' }, ...options(['yes', 'no']))),
    h('label', {}, 'Grade', h('select', { name: 'grade' }, ...options(['A', 'B', 'C', 'D', 'F', 'not rated']))),
    h('label', {}, 'Worst factor', h('select', { name: 'worst' }, ...options(distinct((o) => o.worst_factor)))),
    h('label', { class: 'check' }, h('input', { name: 'mentioned', type: 'checkbox' }), 'With dark-web mentions'),
    h('label', { class: 'check' }, h('input', { name: 'critical', type: 'checkbox' }), 'With critical or high findings'),
  );
  function apply() {
    const data = new FormData(filters);
    const q = String(data.get('q') ?? '').toLowerCase();
    const sector = String(data.get('sector') ?? '');
    const telehealth = String(data.get('telehealth') ?? '');
    const wanted = String(data.get('grade') ?? '');
    const worst = String(data.get('worst') ?? '');
    const mentioned = data.get('mentioned') !== null;
    const severe = data.get('critical') !== null;
    const key = COLUMNS.find(([k]) => k === sort[0])[2];
    rows = orgs
      .filter((o) => (q === '' || o.name.toLowerCase().includes(q)) &&
        (sector === '' || o.sector === sector) &&
        (telehealth === '' || o.telehealth === (telehealth === 'yes')) &&
        (wanted === '' || (o.grade ?? 'not rated') === wanted) &&
        (worst === '' || o.worst_factor === worst) &&
        (!mentioned || o.mentions > 0) &&
        (!severe || o.open_findings.critical + o.open_findings.high > 0))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * sort[1]);
    for (const [i, [k]] of COLUMNS.entries())
      if (k === sort[0]) headers[i].setAttribute('aria-sort', sort[1] === 1 ? 'ascending' : 'descending');
      else headers[i].removeAttribute('aria-sort');
    table.setAttribute('aria-rowcount', rows.length + 1);
    spacer.style.height = `${rows.length * ROW_HEIGHT + ROW_HEIGHT * 2}px`;
    count.textContent = `${rows.length.toLocaleString()} of ${orgs.length.toLocaleString()} organizations`;
    render();
  }
  viewport.addEventListener('scroll', () => requestAnimationFrame(render));
  const grades = ['A', 'B', 'C', 'D', 'F'].map((g) => [g, String(orgs.filter((o) => o.grade === g).length)]);
  grades.push(['not rated', String(orgs.filter((o) => o.grade === null).length)]);
  show('Portfolio', filters, count, viewport,
    h('h2', {}, 'Grades'),
    chart('/portfolio/charts/grades', `Grades of ${orgs.length} organizations`, 480, 240, 'Organizations by grade',
      ['Grade', 'Organizations'], grades));
  apply();
}

// ---- one organization ----

let catalogue = null;
/** The finding catalogue by id (remediation and references), read once. */
async function catalogueById() {
  if (catalogue === null) catalogue = new Map((await all('/catalogue/findings')).map((t) => [t.id, t]));
  return catalogue;
}

function references(refs) {
  return h('ul', { class: 'refs' }, ...refs.map((r) =>
    h('li', {}, `${r.kind}: `, r.url ? h('a', { href: r.url, rel: 'noreferrer noopener', target: '_blank' }, r.ref) : r.ref)));
}

function findingDetails(f, types, organization) {
  const type = types.get(f.type);
  const status = f.dispute ? `${f.dispute.status === 'open' ? 'disputed' : 'accepted'} (${f.dispute.reason})` : '';
  return h('details', { class: 'finding' },
    h('summary', {}, h('span', { class: `sev sev-${f.severity}` }, f.severity), ` ${f.title} — ${f.asset.host}`,
      f.asset.port ? `:${f.asset.port}` : '', status ? ` · ${status}` : ''),
    h('dl', {},
      h('dt', {}, 'Type'), h('dd', {}, `${f.type} (${f.factor})`),
      h('dt', {}, 'Seen'), h('dd', {}, `${day(f.first_seen)} to ${day(f.last_seen)}`),
      h('dt', {}, 'Evidence'), h('dd', {}, h('pre', {}, JSON.stringify(f.evidence, null, 2))),
      h('dt', {}, 'Remediation'), h('dd', {}, type?.remediation ?? dash),
      h('dt', {}, 'References (HICP, HIPAA, RFC)'), h('dd', {}, type ? references(type.references) : dash)),
    f.dispute || me?.role === 'viewer' ? '' :
      h('button', { type: 'button', class: 'secondary', onclick: () => disputeForm(f, organization) }, 'Dispute'));
}

async function organizationPage(name) {
  show(name, h('p', { role: 'status' }, 'Loading…'));
  try {
    const ref = encodeURIComponent(name);
    const [card, detail, history, findings, mentions, types] = await Promise.all([
      api('GET', `/orgs/${ref}/scorecard`),
      api('GET', `/orgs/${ref}`),
      all(`/orgs/${ref}/history`),
      all(`/findings?org=${ref}`),
      api('GET', `/darkweb/mentions?org=${ref}&limit=100`),
      catalogueById(),
    ]);
    const charts = `/orgs/${ref}/charts`;
    const factorRows = card.factors.map((f) => {
      const bar = h('div', { class: 'bar' });
      bar.style.width = `${f.score ?? 0}%`;
      return [f.factor, grade(f.grade), f.score === null ? 'not rated' : fixed(f.score),
        h('div', { class: 'bar-track', role: 'presentation' }, bar), String(f.findings), fixed(f.points_lost, 2)];
    });
    const losses = card.factors.filter((f) => f.points_lost > 0).sort((a, b) => b.points_lost - a.points_lost);
    show(card.organization,
      h('div', { class: 'card' }, h('span', { class: 'big' }, card.score === null ? 'not rated' : fixed(card.score)), ' ', grade(card.grade),
        h('p', {}, `${detail.sector}${detail.telehealth ? ', telehealth' : ''} · ${detail.domains.join(', ')} · method ${card.method_version}`)),
      h('h2', {}, 'Factors'),
      table('Factor scores', ['Factor', 'Grade', 'Score', 'Bar', 'Findings', 'Points lost'], factorRows, { rowHeaders: true }),
      h('h2', {}, 'Score history'),
      chart(`${charts}/history`, `Score history of ${card.organization}: ${history.filter((p) => p.score !== null).length} scored snapshots`,
        640, 260, 'Score snapshots', ['Taken', 'Reason', 'Score', 'Grade'],
        history.map((p) => [p.taken_at.slice(0, 16).replace('T', ' '), p.reason, fixed(p.score), p.grade ?? dash])),
      h('h2', {}, 'Where the points were lost'),
      chart(`${charts}/waterfall`, `Lost points of ${card.organization}: from 100 to ${fixed(card.score)}`, 640, 260,
        'Lost points by factor', ['Step', 'Points'],
        [['start', '100'], ...losses.map((f) => [f.factor, `−${fixed(f.points_lost, 2)}`]), ['score', fixed(card.score)]]),
      h('h2', {}, 'What to fix first'),
      card.plan.length === 0 ? h('p', {}, 'Nothing to fix.') :
        chart(`${charts}/plan`, `What-if plan of ${card.organization}: ${card.plan.length} steps`, 640, 260,
          'The plan, step by step', ['Step', 'Fix', 'Gain', 'Score after', 'Grade after'],
          card.plan.map((s) => [String(s.step), `${s.title} (${s.type})`, `+${fixed(s.gain)}`, fixed(s.score_after), s.grade_after])),
      h('ol', {}, ...card.plan.map((s) => h('li', {}, `${s.title} (${s.type}): +${fixed(s.gain)} → ${fixed(s.score_after)} ${s.grade_after}. ${s.remediation}`))),
      h('h2', {}, `Open findings (${findings.length})`),
      h('div', { id: 'dispute-form' }),
      ...findings.map((f) => findingDetails(f, types, name)),
      h('h2', {}, `Disputes (${card.disputes.length})`),
      card.disputes.length === 0 ? h('p', {}, 'None.') : table('Disputes', ['Finding', 'Host', 'Status', 'Reason', 'Note', 'Expires'],
        card.disputes.map((d) => [d.type, d.asset, d.status, d.reason, d.note, day(d.expires_at)])),
      h('h2', {}, `Assets (${detail.assets.length})`),
      table('Assets and how each was found', ['Host', 'Addresses', 'Open ports', 'Found by', 'First seen', 'Last seen'],
        detail.assets.map((a) => [a.host, a.addresses.join(', '), a.open_ports.join(', '), a.discovered_by.join(', '), day(a.first_seen), day(a.last_seen)]),
        { rowHeaders: true }),
      h('h2', {}, `Dark-web mentions (${mentions.items.length}${mentions.next_cursor ? '+' : ''})`),
      mentions.items.length === 0 ? h('p', {}, 'None found.') : h('div', {}, ...mentions.items.map((m) => h('article', { class: 'card' },
        h('h3', {}, m.title ?? '(untitled)'),
        h('p', {}, `${m.class} · ${m.source_type} ${m.source} · ${day(m.posted_at)} · matched “${m.matched}” (${m.via}), confidence ${fixed(m.confidence, 2)}`),
        h('p', { class: 'snippet' }, m.snippet),
        m.reasons.length ? h('p', { class: 'muted' }, `Why: ${m.reasons.join('; ')}`) : ''))),
      h('h2', {}, `Vendors (${detail.vendors.list.length})`),
      h('p', {}, detail.vendors.list.length === 0 ? 'None recorded.' : detail.vendors.summary.text),
      detail.vendors.list.length === 0 ? '' : table('Vendors', ['Vendor', 'Grade', 'Score', 'Telehealth'],
        detail.vendors.list.map((v) => [h('a', { href: `#/org/${encodeURIComponent(v.organization)}` }, v.organization), grade(v.grade), fixed(v.score), v.telehealth ? 'yes' : 'no'])),
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

// ---- findings explorer and disputes ----

const FACTOR_NAMES = ['dns_health', 'tls', 'application_security', 'network_security', 'patching_cadence', 'ip_reputation', 'hacker_chatter', 'information_leak'];

async function findingsPage() {
  show('Findings', h('p', { role: 'status' }, 'Loading…'));
  try {
    const disputes = await all('/disputes?status=open');
    const decide = async (id, action) => { await api('POST', `/disputes/${id}/${action}`, {}); findingsPage(); };
    const results = h('div', { 'aria-live': 'polite' });
    const more = h('div');
    const select = (name, values, first = 'all') => h('select', { name }, h('option', { value: '' }, first), ...values.map((v) => h('option', { value: v }, v)));
    const filters = h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); load(); } },
      h('label', {}, 'Organization', h('input', { name: 'org', type: 'search' })),
      h('label', {}, 'Severity', select('severity', ['critical', 'high', 'medium', 'low', 'info'])),
      h('label', {}, 'Factor', select('factor', FACTOR_NAMES)),
      h('label', {}, 'Type', h('input', { name: 'type', type: 'search' })),
      h('label', {}, 'Status', h('select', { name: 'status' }, ...['open', 'resolved', 'all'].map((v) => h('option', { value: v }, v)))),
      h('label', {}, 'Disputed', select('disputed', ['true', 'false'], 'either')),
      h('label', {}, 'Sort', h('select', { name: 'sort' }, ...['severity', '-first_seen', '-last_seen', 'type', 'organization'].map((v) => h('option', { value: v }, v)))),
      h('button', { type: 'submit' }, 'Filter'));
    let shown = [];
    async function load(cursor = null) {
      const params = new URLSearchParams();
      for (const [k, v] of new FormData(filters)) if (v !== '') params.set(k, String(v));
      params.set('limit', '200');
      if (cursor) params.set('cursor', cursor);
      try {
        const page = await api('GET', `/findings?${params}`);
        shown = cursor ? [...shown, ...page.items] : page.items;
        results.replaceChildren(h('p', { role: 'status' }, `${shown.length} findings${page.next_cursor ? ' (more to load)' : ''}`),
          table('Findings', ['Severity', 'Organization', 'Type', 'Host', 'Title', 'First seen', 'Status', 'Dispute'],
            shown.map((f) => [f.severity, h('a', { href: `#/org/${encodeURIComponent(f.organization)}` }, f.organization), f.type, f.asset.host, f.title,
              day(f.first_seen), f.status, f.dispute ? `${f.dispute.status} (${f.dispute.reason})` : ''])));
        more.replaceChildren(page.next_cursor ? h('button', { type: 'button', class: 'secondary', onclick: () => load(page.next_cursor) }, 'Load more') : '');
      } catch (error) {
        results.replaceChildren(failure(error));
      }
    }
    show('Findings',
      h('h2', {}, `Open disputes (${disputes.length})`),
      disputes.length === 0 ? h('p', {}, 'None to decide.') : table('Open disputes', ['Organization', 'Finding', 'Host', 'Reason and note', 'Accept', 'Reject'],
        disputes.map((d) => [d.organization, d.finding_type, d.asset_host, `${d.reason}: ${d.note}`,
          me?.role === 'viewer' ? '' : h('button', { type: 'button', onclick: () => decide(d.id, 'resolve') }, 'Accept'),
          me?.role === 'viewer' ? '' : h('button', { type: 'button', class: 'secondary', onclick: () => decide(d.id, 'reject') }, 'Reject')])),
      h('h2', {}, 'Explore findings'), filters, results, more);
    await load();
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

// ---- watchlists and alerts ----

async function alertsPage() {
  try {
    const [watchlists, alerts] = await Promise.all([all('/watchlists'), api('GET', '/alerts?limit=200')]);
    const status = h('p', { role: 'status' });
    const form = h('form', { class: 'inline', onsubmit: async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const kind = String(data.get('kind'));
      try {
        await api('POST', '/watchlists', { [kind]: String(data.get('pattern')), ...(data.get('name') ? { name: String(data.get('name')) } : {}) });
        alertsPage();
      } catch (error) {
        status.replaceChildren(failure(error));
      }
    } },
    h('label', {}, 'Watch', h('select', { name: 'kind' }, h('option', { value: 'term' }, 'a term'), h('option', { value: 'org' }, 'an organization'), h('option', { value: 'regex' }, 'a regular expression'))),
    h('label', {}, 'Term, organization or expression', h('input', { name: 'pattern', required: true, size: 40 })),
    h('label', {}, 'Name (optional)', h('input', { name: 'name' })),
    h('button', { type: 'submit' }, 'Add the watchlist'));
    show('Watchlists and alerts',
      h('h2', {}, `Watchlists (${watchlists.length})`),
      watchlists.length === 0 ? h('p', {}, 'None yet.') : table('Watchlists', ['Name', 'Kind', 'Pattern', 'Webhook', 'Alerts', 'Created'],
        watchlists.map((w) => [w.name, w.kind, w.pattern, w.webhook ?? 'none', String(w.alerts), day(w.created_at)]), { rowHeaders: true }),
      me?.role === 'viewer' ? '' : h('div', {}, h('h2', {}, 'Add a watchlist'), form, status),
      h('h2', {}, `Latest alerts (${alerts.items.length})`),
      alerts.items.length === 0 ? h('p', {}, 'No alerts.') : table('Latest alerts', ['When', 'Watchlist', 'Organization', 'Matched', 'Snippet', 'Delivery'],
        alerts.items.map((a) => [a.created_at.slice(0, 16).replace('T', ' '), a.watchlist, a.organization ?? dash, a.matched, a.snippet,
          a.delivery ? `${a.delivery.status} (${a.delivery.attempts} attempts)` : a.delivered_at ? 'delivered' : 'no webhook'])));
  } catch (error) {
    show('Watchlists and alerts', failure(error));
  }
}

// ---- the study ----

const month = (offset) => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + offset);
  return d.toISOString().slice(0, 7);
};

async function studyPage(query) {
  const params = new URLSearchParams(query ?? '');
  if (!params.get('from')) params.set('from', month(-6));
  if (!params.get('to')) params.set('to', month(0));
  const form = h('form', { class: 'inline', onsubmit: (e) => {
    e.preventDefault();
    const data = new URLSearchParams([...new FormData(form)].filter(([, v]) => v !== ''));
    location.hash = `#/study/${encodeURIComponent(data.toString())}`;
  } },
  h('label', {}, 'From (YYYY-MM)', h('input', { name: 'from', value: params.get('from'), pattern: '\\d{4}-\\d{2}', required: true, size: 8 })),
  h('label', {}, 'To (YYYY-MM)', h('input', { name: 'to', value: params.get('to'), pattern: '\\d{4}-\\d{2}', required: true, size: 8 })),
  h('label', {}, 'Cohort', h('select', { name: 'cohort' }, ...['', 'telehealth', 'non_telehealth'].map((c) =>
    h('option', { value: c, selected: params.get('cohort') === c || (c === '' && !params.get('cohort')) }, c || 'all')))),
  h('button', { type: 'submit' }, 'Run the study'));
  show('Study', form, h('p', { role: 'status' }, 'Running the study…'));
  try {
    const study = await api('GET', `/study?${params}`);
    const cohort = params.get('cohort') || 'all';
    const factors = study.factors.filter((f) => f.cohort === cohort);
    const pct = (n) => (n === null ? dash : `${n > 0 ? '+' : ''}${fixed(n)}%`);
    const allSeries = study.series.filter((s) => s.factor === 'all');
    show('Study', form,
      h('p', {}, `${study.from} to ${study.to}: ${study.caveats.organizations} organizations, ${study.caveats.paired} seen in both the first and last period. ${study.method.change}`),
      h('h2', {}, 'Change by factor'),
      factors.every((f) => f.change_pct === null) ? h('p', {}, 'No change to draw: no factor has data in both the first and the last period.') :
      chart(`/study/charts/change?${params}`, `Change in findings per domain by factor, ${study.from} to ${study.to}, ${cohort} organizations`,
        640, Math.max(160, 60 + factors.filter((f) => f.change_pct !== null).length * 24), 'Change by factor',
        ['Factor', 'First', 'Last', 'Change', 'Interval', 'Direction'],
        factors.map((f) => [f.factor, fixed(f.first, 3), fixed(f.last, 3), pct(f.change_pct), `${pct(f.ci_low)} to ${pct(f.ci_high)}`, f.direction])),
      h('h2', {}, 'Findings per domain over time'),
      chart(`/study/charts/series?${params}`, `Findings per domain by period, ${study.from} to ${study.to}, by cohort`, 640, 260,
        'Findings per domain by period', ['Period', 'Cohort', 'Organizations', 'Per domain', 'Per organization'],
        allSeries.map((s) => [s.period, s.cohort, String(s.organizations), fixed(s.findings_per_domain, 3), fixed(s.findings_per_organization, 3)])),
      h('h2', {}, 'Telehealth against the rest'),
      table('Telehealth against the rest', ['Factor', 'Telehealth', 'Others', 'Difference (points)', 'Interval', 'Significant'],
        study.comparison.map((c) => [c.factor, pct(c.telehealth_change_pct), pct(c.non_telehealth_change_pct), fixed(c.difference_pct_points),
          `${fixed(c.ci_low)} to ${fixed(c.ci_high)}`, c.significant ? 'yes' : 'no']), { rowHeaders: true, captionVisible: false }),
      h('h2', {}, 'Caveats'),
      h('ul', {}, ...study.caveats.notes.map((n) => h('li', {}, n))));
  } catch (error) {
    show('Study', form, failure(error));
  }
}

// ---- the catalogue ----

async function cataloguePage() {
  try {
    const types = await all('/catalogue/findings');
    const body = h('div');
    const filters = h('form', { class: 'inline', onsubmit: (e) => e.preventDefault(), oninput: () => apply() },
      h('label', {}, 'Search', h('input', { name: 'q', type: 'search' })),
      h('label', {}, 'Factor', h('select', { name: 'factor' }, h('option', { value: '' }, 'all'), ...FACTOR_NAMES.map((f) => h('option', { value: f }, f)))),
      h('label', {}, 'Severity', h('select', { name: 'severity' }, h('option', { value: '' }, 'all'),
        ...['critical', 'high', 'medium', 'low', 'info'].map((s) => h('option', { value: s }, s)))));
    function apply() {
      const data = new FormData(filters);
      const q = String(data.get('q') ?? '').toLowerCase();
      const shown = types.filter((t) => (q === '' || `${t.id} ${t.title}`.toLowerCase().includes(q)) &&
        (!data.get('factor') || t.factor === data.get('factor')) && (!data.get('severity') || t.severity === data.get('severity')));
      body.replaceChildren(h('p', { role: 'status' }, `${shown.length} of ${types.length} finding types`),
        table('Finding types', ['Id', 'Factor', 'Severity', 'Title', 'Remediation', 'References'],
          shown.map((t) => [t.id, t.factor, t.severity, t.title, t.remediation, references(t.references)]), { rowHeaders: true, class: 'wrap' }));
    }
    show('Finding catalogue', filters, body);
    apply();
  } catch (error) {
    show('Finding catalogue', failure(error));
  }
}

// ---- routing ----

async function route() {
  const [, page, arg] = location.hash.split('/');
  if (page === 'login') return loginPage();
  if (me === null) {
    // The portfolio is the page opened first: its table is asked for beside the session, not after it.
    if (!page || page === 'portfolio') prefetched = api('GET', '/portfolio/table').catch((error) => error);
    try {
      me = await api('GET', '/session');
    } catch {
      prefetched = null;
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
  if (page === 'study') return studyPage(arg ? decodeURIComponent(arg) : '');
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
