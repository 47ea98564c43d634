#!/usr/bin/env node
/**
 * Grades every lab web site, and the dashboard of `vitals serve`, with the real MDN HTTP Observatory
 * (an install of the npm package `@mdn/mdn-http-observatory`, outside this repository) and with Vitals,
 * and records both in test/fixtures/observatory/observatory-oracle.json for
 * test/e2e/observatory-oracle.test.ts. See docs/web.md ("Header grade").
 *
 *   npx tsc -p tsconfig.json
 *   mkdir -p /tmp/oracle && (cd /tmp/oracle && npm init -y && npm install @mdn/mdn-http-observatory --ignore-scripts)
 *   unshare -n sh -c 'ip link set lo up && node scripts/observatory-oracle.mjs /tmp/oracle'
 *
 * Vitals fetches (its web probe, the lab's resolver, the network policy; nothing but loopback); the
 * Observatory's own `scan()` grades: its retriever module is swapped, through a module-resolution hook,
 * for one that hands over a `Requests` object built from what Vitals fetched, exactly as its retriever
 * would have built it (axios-style headers, the session's tough-cookie jar, the http-equiv parse, the
 * CORS preflight). Its tests, score sum, extra-credit rule and grade chart then run unchanged.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire, register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURE = join(ROOT, 'test/fixtures/observatory/observatory-oracle.json');
const LAB = { seed: 1, orgs: 25 };

function packageDir(arg) {
  if (!arg)
    throw new Error('usage: node scripts/observatory-oracle.mjs <@mdn/mdn-http-observatory install or its folder>');
  for (const dir of [arg, join(arg, 'node_modules/@mdn/mdn-http-observatory')]) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === '@mdn/mdn-http-observatory')
      return resolve(dir);
  }
  throw new Error(`${arg}: no @mdn/mdn-http-observatory package there`);
}

const OBSERVATORY = packageDir(process.argv[2]);
const observatoryVersion = JSON.parse(readFileSync(join(OBSERVATORY, 'package.json'), 'utf8')).version;
const observatoryRequire = createRequire(join(OBSERVATORY, 'src/index.js'));
const at = (path) => import(pathToFileURL(join(OBSERVATORY, path)).href);

// Installed with --ignore-scripts, the package has no copy of the HSTS preload list (its postinstall downloads
// it). The lab's names are under .test, which the list cannot hold: an empty list answers the same for them.
const PRELOAD = join(OBSERVATORY, 'conf/hsts-preload.json');
if (!existsSync(PRELOAD)) {
  mkdirSync(dirname(PRELOAD), { recursive: true });
  writeFileSync(PRELOAD, '{}\n');
}
const preloadEntries = Object.keys(JSON.parse(readFileSync(PRELOAD, 'utf8'))).length;
const preloadList = preloadEntries === 0 ? 'empty (installed with --ignore-scripts)' : `${preloadEntries} entries`;

// The Observatory's scan() imports its retriever; hand it the Requests built here instead.
const STUB = 'export async function retrieve(hostname) { return globalThis.__vitalsRequests.get(hostname); }';
const HOOK = `
export async function resolve(specifier, context, next) {
  if (specifier === '../retriever/retriever.js' && context.parentURL?.endsWith('/src/scanner/index.js'))
    return { url: 'data:text/javascript,' + encodeURIComponent(${JSON.stringify(STUB)}), shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
globalThis.__vitalsRequests = new Map();

const { scan } = await at('src/scanner/index.js');
const { Requests, HTML_TYPES, ALGORITHM_VERSION } = await at('src/types.js');
const { parseHttpEquivHeaders } = await at('src/retriever/utils.js');
const { AxiosHeaders, default: axios } = observatoryRequire('axios');
const { CookieJar } = observatoryRequire('tough-cookie');

const dist = (path) => import(pathToFileURL(join(ROOT, 'dist', path)).href);
const { observatoryGrade } = await dist('src/checks/application_security/observatory.js');
const { startTestLab } = await dist('test/helpers/lab.js');
const { fetchLabSites, fetchDashboard, autoEndpoint } = await dist('test/helpers/observatory-lab.js');

/**
 * What the Observatory's CORS test sees of its own preflight request: it reads `response.request.headers`,
 * and axios hands back Node's ClientRequest there. Asked of the installed axios against a loopback server
 * rather than assumed.
 */
async function corsRequestShape() {
  const server = http.createServer((_q, s) => s.end()).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const response = await axios.create({ maxRedirects: 10 }).options(`http://127.0.0.1:${server.address().port}/`, {
      headers: { 'Access-Control-Request-Method': 'GET', Origin: 'https://origin.example' },
    });
    return { headersVisible: response.request?.headers !== undefined };
  } finally {
    server.close();
  }
}
const corsShape = await corsRequestShape();

// Node's http parser: these repeated headers keep their first value; set-cookie stays a list; others join.
const FIRST_ONLY = new Set(
  'age authorization content-length content-type etag expires from host if-modified-since if-unmodified-since ' +
    'last-modified location max-forwards proxy-authorization referer retry-after server user-agent'.split(' '),
);
function axiosHeaders(pairs) {
  const out = {};
  for (const [raw, value] of pairs) {
    const name = raw.toLowerCase();
    if (name === 'set-cookie') (out[name] ??= []).push(value);
    else if (out[name] === undefined) out[name] = value;
    else if (!FIRST_ONLY.has(name)) out[name] = `${out[name]}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return new AxiosHeaders(out);
}

function answered(web, scheme) {
  return web.endpoints.find((e) => e.scheme === scheme && e.state === 'answered');
}

/** One retriever session (tests read its final response, redirect history, URL and cookie jar). */
function session(endpoint, body) {
  if (!endpoint) return { response: null, redirectHistory: [], url: null, jar: new CookieJar() };
  const gets = endpoint.chain.filter((e) => e.method === 'GET');
  const final = gets.at(-1);
  // A certificate that fails makes the retriever start the session again without verification.
  const checks = [];
  if (endpoint.scheme === 'https') checks.push(endpoint.tls?.verified === true);
  if (endpoint.finalUrl.startsWith('https:')) checks.push((endpoint.finalTls ?? endpoint.tls)?.verified === true);
  const verified = checks.every(Boolean);
  const jar = new CookieJar();
  for (const exchange of gets)
    for (const [name, value] of exchange.headers)
      if (name.toLowerCase() === 'set-cookie') jar.setCookieSync(value, exchange.url, { ignoreError: true });
  // /robots.txt goes through the session's second client, which keeps cookies only once verification is off.
  if (!verified) {
    const fromChain = gets.flatMap((e) =>
      e.headers.filter(([n]) => n.toLowerCase() === 'set-cookie').map(([, v]) => v),
    );
    const robots = [...endpoint.cookies];
    for (const c of fromChain) robots.splice(robots.indexOf(c), 1);
    for (const c of robots) jar.setCookieSync(c, new URL('/robots.txt', gets[0].url).href, { ignoreError: true });
  }
  return {
    response: { status: final.status, headers: axiosHeaders(final.headers), data: body, verified },
    redirectHistory: gets.map((e) => ({ url: new URL(e.url), status: e.status })),
    url: new URL(gets[0].url),
    jar,
  };
}

function requestsOf(fetched) {
  const { web, host, body } = fetched;
  const httpsEndpoint = answered(web, 'https');
  const httpEndpoint = answered(web, 'http');
  const auto = autoEndpoint(web);
  const httpSession = session(httpEndpoint, auto === httpEndpoint ? body : '');
  const httpsSession = session(httpsEndpoint, auto === httpsEndpoint ? body : '');
  const r = new Requests(host);
  r.responses.http = httpSession.response;
  r.responses.https = httpsSession.response;
  // As the retriever does: both histories are the HTTP session's.
  r.responses.httpRedirects = httpSession.redirectHistory;
  r.responses.httpsRedirects = httpSession.redirectHistory;
  const autoSession = httpsEndpoint ? httpsSession : httpSession;
  r.responses.auto = autoSession.response;
  r.session = autoSession.response ? { url: autoSession.url, jar: autoSession.jar } : null;
  r.resources.path = autoSession.response?.data ?? null;
  const cors = auto?.cors;
  if (cors && r.responses.auto) {
    const pairs = [];
    if (cors.allowOrigin !== undefined) pairs.push(['access-control-allow-origin', cors.allowOrigin]);
    if (cors.allowCredentials !== undefined) pairs.push(['access-control-allow-credentials', cors.allowCredentials]);
    r.responses.cors = {
      headers: axiosHeaders(pairs),
      request: corsShape.headersVisible ? { headers: { origin: cors.origin } } : {},
      verified: r.responses.auto.verified,
    };
  }
  if (r.responses.auto) {
    const mime = r.responses.auto.headers['content-type']?.split(';')[0];
    r.responses.auto.httpEquiv =
      HTML_TYPES.has(mime) && r.resources.path
        ? parseHttpEquivHeaders(r.resources.path, r.session.url.href)
        : new Map();
  }
  return r;
}

async function observatoryOf(fetched) {
  globalThis.__vitalsRequests.set(fetched.host, requestsOf(fetched));
  try {
    const result = await scan(fetched.host);
    const tests = {};
    for (const [name, t] of Object.entries(result.tests))
      tests[name] = { result: t.result, scoreModifier: t.scoreModifier, pass: t.pass };
    return { score: result.scan.score, grade: result.scan.grade, tests };
  } catch (error) {
    return { error: error.message };
  } finally {
    globalThis.__vitalsRequests.delete(fetched.host);
  }
}

function compare(name, observatory, vitals) {
  const problems = [];
  if (observatory.error !== undefined) {
    if (vitals !== null) problems.push(`Observatory refuses (${observatory.error}), Vitals grades ${vitals.grade}`);
    return problems;
  }
  if (vitals === null) return [`Vitals gives no grade, the Observatory ${observatory.grade}`];
  if (vitals.score !== observatory.score) problems.push(`score ${vitals.score} vs ${observatory.score}`);
  if (vitals.grade !== observatory.grade) problems.push(`grade ${vitals.grade} vs ${observatory.grade}`);
  const names = new Set([...Object.keys(observatory.tests), ...Object.keys(vitals.tests)]);
  for (const test of names)
    if (observatory.tests[test]?.result !== vitals.tests[test])
      problems.push(`${test}: ${vitals.tests[test]} vs ${observatory.tests[test]?.result}`);
  return problems.map((p) => `${name}: ${p}`);
}

const lab = await startTestLab(LAB.orgs, LAB.seed);
let sites;
try {
  sites = await fetchLabSites(lab);
} finally {
  await lab.stop();
}
const dashboard = await fetchDashboard();

const disagreements = [];
const record = async (fetched) => {
  const observatory = await observatoryOf(fetched);
  disagreements.push(...compare(fetched.site, observatory, observatoryGrade(fetched.web)));
  return { site: fetched.site, host: fetched.host, web: fetched.web, body: fetched.body, observatory };
};
const recordedSites = [];
for (const fetched of sites) recordedSites.push(await record(fetched));
const recordedDashboard = await record(dashboard);

const fixture = {
  observatory: {
    package: '@mdn/mdn-http-observatory',
    version: observatoryVersion,
    algorithmVersion: ALGORITHM_VERSION,
    hstsPreloadList: preloadList,
    corsRequestHeadersVisible: corsShape.headersVisible,
  },
  recorded: new Date().toISOString().slice(0, 10),
  lab: LAB,
  sites: recordedSites,
  dashboard: recordedDashboard,
};
mkdirSync(dirname(FIXTURE), { recursive: true });
// One line per site: the file stays reviewable as a diff when a re-recording changes a few sites.
const lines = JSON.stringify({ ...fixture, sites: [] }, null, 1).replace(
  '"sites": []',
  `"sites": [\n${recordedSites.map((s) => `  ${JSON.stringify(s)}`).join(',\n')}\n ]`,
);
writeFileSync(FIXTURE, `${lines}\n`);

const grades = new Map();
for (const s of [...recordedSites, recordedDashboard]) {
  const key = `${s.site.split('|').at(-1)} ${s.observatory.grade ?? 'refused'} ${s.observatory.score ?? ''}`;
  grades.set(key, (grades.get(key) ?? 0) + 1);
}
process.stdout.write(
  `@mdn/mdn-http-observatory ${observatoryVersion}: ${recordedSites.length} lab sites and the dashboard\n`,
);
for (const [key, n] of [...grades].sort()) process.stdout.write(`  ${key}  x${n}\n`);
process.stdout.write(`wrote ${FIXTURE}\n`);
if (disagreements.length > 0) {
  process.stdout.write(`Vitals disagrees with the Observatory:\n  ${disagreements.join('\n  ')}\n`);
  process.exitCode = 1;
} else process.stdout.write('Vitals agrees with the Observatory on every site and every test.\n');
