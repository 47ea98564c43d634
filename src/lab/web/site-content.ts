/**
 * What each lab web template answers (src/lab/world/web-sites.ts lists what each plants): headers,
 * cookies, pages and files, as plain data per request, so the lab's HTTP listeners and the TLS tier's
 * HTTPS listeners serve the same sites. Library files carry the libraries' real version banners.
 */
import { TEMPLATE_HSTS_MAX_AGE, type WebTemplateId } from '../world/web-sites.js';

export interface LabWebRequest {
  method: string;
  path: string;
  scheme: 'http' | 'https';
  /** Host header without the port. */
  host: string;
  /** The Origin header, when sent. */
  origin?: string;
}

export interface LabWebResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string | Buffer;
}

/** Where the lab's HTTPS answers (redirects from HTTP point there). */
export interface LabWebPorts {
  http: number;
  https: number;
}

const STRICT_CSP = "default-src 'self'; object-src 'none'; frame-ancestors 'self'; form-action 'self'; base-uri 'self'";
const GOOD_HEADERS: Array<[string, string]> = [
  ['strict-transport-security', `max-age=${TEMPLATE_HSTS_MAX_AGE['good-corporate']}; includeSubDomains`],
  ['content-security-policy', STRICT_CSP],
  ['x-frame-options', 'DENY'],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'strict-origin-when-cross-origin'],
  ['server', 'nginx'],
];

/** The real first line of jQuery's minified builds. */
const JQUERY_1_12_4 = '/*! jQuery v1.12.4 | (c) jQuery Foundation | jquery.org/license */\n';
const JQUERY_2_2_4 = '/*! jQuery v2.2.4 | (c) jQuery Foundation | jquery.org/license */\n';
const LIBRARY_BODY =
  '!function(a,b){"object"==typeof module&&"object"==typeof module.exports?module.exports=b(a):b(a)}' +
  '("undefined"!=typeof window?window:this,function(a){return a});\n';

function page(title: string, body: string): string {
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<title>${title}</title></head>\n<body>${body}</body></html>\n`
  );
}

function html(status: number, headers: Array<[string, string]>, body: string): LabWebResponse {
  return { status, headers: [['content-type', 'text/html; charset=utf-8'], ...headers], body };
}

function text(status: number, headers: Array<[string, string]>, body: string, type = 'text/plain'): LabWebResponse {
  return { status, headers: [['content-type', type], ...headers], body };
}

function notFound(headers: Array<[string, string]>): LabWebResponse {
  return html(404, headers, page('Not Found', '<h1>Not Found</h1>'));
}

function redirectToHttps(request: LabWebRequest, ports: LabWebPorts, headers: Array<[string, string]>): LabWebResponse {
  const port = ports.https === 443 ? '' : `:${ports.https}`;
  return {
    status: 301,
    headers: [['location', `https://${request.host}${port}${request.path}`], ...headers],
    body: '',
  };
}

const ROBOTS = 'User-agent: *\nDisallow: /admin/\n';

/** The template's answer to one request. */
export function labWebResponse(template: WebTemplateId, request: LabWebRequest, ports: LabWebPorts): LabWebResponse {
  const path = request.path.split('?', 1)[0]!;
  if (request.method === 'OPTIONS') return preflight(template, request);
  switch (template) {
    case 'good-corporate':
    case 'good-portal':
    case 'telehealth':
      return goodSite(template, request, ports, path);
    case 'weak-https':
      return weakHttps(request, path);
    case 'legacy-http':
      return legacyHttp(request, path);
    case 'portal-http':
      return portalHttp(request, path);
    case 'vpn':
      return vpn(request, ports, path);
    case 'owa':
      return owa(request, ports, path);
    case 'files':
      return files(request, ports, path);
  }
}

function preflight(template: WebTemplateId, request: LabWebRequest): LabWebResponse {
  // The weak site echoes any origin and allows credentials: the classic CORS misconfiguration.
  if (template === 'weak-https' && request.origin)
    return {
      status: 204,
      headers: [
        ['access-control-allow-origin', request.origin],
        ['access-control-allow-credentials', 'true'],
        ['access-control-allow-methods', 'GET, POST'],
      ],
      body: '',
    };
  return { status: 204, headers: [['allow', 'GET, HEAD, OPTIONS']], body: '' };
}

function goodSite(template: WebTemplateId, request: LabWebRequest, ports: LabWebPorts, path: string): LabWebResponse {
  if (request.scheme === 'http') return redirectToHttps(request, ports, [['server', 'nginx']]);
  if (path === '/robots.txt') return text(200, GOOD_HEADERS, ROBOTS);
  if (path === '/static/app.js') return text(200, GOOD_HEADERS, 'export const ready = true;\n', 'text/javascript');
  const cookie: [string, string] = ['set-cookie', '__Host-session=4f1c9a; Path=/; Secure; HttpOnly; SameSite=Lax'];
  // A single-page application answers every path with its shell: status 200 proves nothing.
  if (template === 'telehealth')
    return html(
      200,
      [...GOOD_HEADERS, cookie],
      page(
        'Video Visit - Join your telehealth appointment',
        '<h1>Join your video visit</h1><p>Your clinician will admit you from the virtual waiting room.</p>' +
          '<script src="/static/app.js"></script>' +
          '<script nonce="lab">const pc = new RTCPeerConnection(' +
          '{ iceServers: [{ urls: "turn:turn.video-provider.test:3478" }] });</script>',
      ),
    );
  if (template === 'good-portal')
    return html(
      200,
      [...GOOD_HEADERS, cookie],
      page(
        'Patient Portal - Sign in',
        '<h1>Patient Portal</h1><form method="post" action="/login"><input name="user">' +
          '<input type="password" name="password"><button>Sign in</button></form>',
      ),
    );
  return html(
    200,
    [...GOOD_HEADERS, cookie],
    page('Welcome', `<h1>${request.host}</h1><p>Caring for our community.</p><script src="/static/app.js"></script>`),
  );
}

function weakHttps(_request: LabWebRequest, path: string): LabWebResponse {
  const headers: Array<[string, string]> = [
    ['strict-transport-security', `max-age=${TEMPLATE_HSTS_MAX_AGE['weak-https']}`],
    ['content-security-policy', "default-src 'self' 'unsafe-inline' 'unsafe-eval'; object-src 'none'"],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'no-referrer'],
    ['server', 'nginx'],
  ];
  if (path === '/robots.txt') return text(200, headers, ROBOTS);
  if (path === '/assets/jquery-2.2.4.min.js')
    return text(200, headers, JQUERY_2_2_4 + LIBRARY_BODY, 'application/javascript');
  if (path !== '/') return notFound(headers);
  return html(
    200,
    [...headers, ['set-cookie', 'sid=8d2e61b0; Path=/']],
    page(
      'Community Health - Home',
      '<h1>Community Health</h1><img src="http://images.cdn-edge.test/banner.jpg" alt="banner">' +
        '<script src="/assets/jquery-2.2.4.min.js"></script>',
    ),
  );
}

function legacyHttp(request: LabWebRequest, path: string): LabWebResponse {
  const headers: Array<[string, string]> = [
    ['server', 'Apache/2.4.29 (Ubuntu)'],
    ['x-powered-by', 'PHP/7.2.24'],
  ];
  if (path === '/robots.txt') return text(200, headers, ROBOTS);
  if (path === '/js/jquery.min.js') return text(200, headers, JQUERY_1_12_4 + LIBRARY_BODY, 'application/javascript');
  if (path === '/phpinfo.php')
    return html(
      200,
      headers,
      page('phpinfo()', '<table><tr><td class="e">PHP Version 7.2.24-0ubuntu0.18.04.17</td></tr></table>'),
    );
  if (path !== '/') return notFound(headers);
  return html(
    200,
    [...headers, ['set-cookie', 'PHPSESSID=k2j4h5g6f7; path=/']],
    page(`${request.host}`, '<h1>Clinic News</h1><p>Flu shots available.</p><script src="/js/jquery.min.js"></script>'),
  );
}

/** A site whose only page is a login form: /robots.txt, the form at `/`, 404 elsewhere. */
function loginSite(
  path: string,
  headers: Array<[string, string]>,
  login: { title: string; heading: string; action: string; user: string; secret: string },
): LabWebResponse {
  if (path === '/robots.txt') return text(200, headers, ROBOTS);
  if (path !== '/') return notFound(headers);
  const form =
    `<form method="post" action="${login.action}"><input name="${login.user}">` +
    `<input type="password" name="${login.secret}"><button>Sign in</button></form>`;
  return html(200, headers, page(login.title, `<h1>${login.heading}</h1>${form}`));
}

function portalHttp(request: LabWebRequest, path: string): LabWebResponse {
  return loginSite(path, [['server', 'Apache']], {
    title: 'Patient Portal Login',
    heading: 'Patient Portal',
    action: `http://${request.host}/login.php`,
    user: 'mrn',
    secret: 'pin',
  });
}

function vpn(request: LabWebRequest, ports: LabWebPorts, path: string): LabWebResponse {
  if (request.scheme === 'http') return redirectToHttps(request, ports, []);
  const headers: Array<[string, string]> = [
    ['x-frame-options', 'SAMEORIGIN'],
    ['x-content-type-options', 'nosniff'],
  ];
  return loginSite(path, headers, {
    title: 'Ivanti Connect Secure',
    heading: 'Welcome to Ivanti Connect Secure',
    action: '/dana-na/auth/url_default/login.cgi',
    user: 'username',
    secret: 'password',
  });
}

function owa(request: LabWebRequest, ports: LabWebPorts, path: string): LabWebResponse {
  if (request.scheme === 'http') return redirectToHttps(request, ports, [['server', 'Microsoft-IIS/10.0']]);
  const headers: Array<[string, string]> = [
    ['strict-transport-security', `max-age=${TEMPLATE_HSTS_MAX_AGE.owa}`],
    ['x-content-type-options', 'nosniff'],
    ['server', 'Microsoft-IIS/10.0'],
    ['x-owa-version', '15.1.2507.6'],
  ];
  return loginSite(path, headers, {
    title: 'Outlook',
    heading: 'Outlook Web App',
    action: '/owa/auth.owa',
    user: 'username',
    secret: 'password',
  });
}

function files(request: LabWebRequest, ports: LabWebPorts, path: string): LabWebResponse {
  const headers: Array<[string, string]> = [['server', 'Apache/2.4.41 (Ubuntu)']];
  if (request.scheme === 'http') return redirectToHttps(request, ports, headers);
  if (path === '/robots.txt') return text(200, headers, ROBOTS);
  if (path === '/.git/HEAD') return text(200, headers, 'ref: refs/heads/main\n');
  if (path === '/.env')
    return text(200, headers, 'APP_ENV=production\nDB_HOST=10.20.0.5\nDB_PASSWORD=Winter2024!\nSMTP_USER=alerts\n');
  if (path !== '/') return notFound(headers);
  return html(
    200,
    headers,
    page(
      'Index of /',
      '<h1>Index of /</h1><table><tr><th>Name</th><th>Last modified</th></tr>' +
        '<tr><td><a href="/">Parent Directory</a></td></tr>' +
        '<tr><td><a href="referrals/">referrals/</a></td><td>2024-03-02 10:14</td></tr>' +
        '<tr><td><a href="scans-2023.zip">scans-2023.zip</a></td><td>2023-12-29 17:40</td></tr></table>' +
        '<address>Apache/2.4.41 (Ubuntu) Server</address>',
    ),
  );
}
