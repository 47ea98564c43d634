/**
 * What a host runs, read from what it sent: web servers and frameworks with versions from headers and
 * the generator tag, remote-access appliances and telehealth or patient-portal products from their pages.
 * Versions become CPE 2.3 names (NIST IR 7695 formatted strings, vendor and product as the NVD
 * dictionary spells them) for the patching-cadence factor. Only what the bytes show: no guessing.
 */
import { headerValues } from '../../core/http-headers.js';
import type { AnsweredEndpoint, ProductSighting } from './web.types.js';

type Category = ProductSighting['category'];

interface HeaderProduct {
  /** Product token as servers send it (case-insensitive), version after the slash. */
  token: RegExp;
  product: string;
  cpe: string;
  category: Category;
}

/** `Server` and `X-Powered-By` tokens; vendor:product as in the NVD CPE dictionary. */
const HEADER_PRODUCTS: readonly HeaderProduct[] = [
  {
    token: /\bApache\/(\d+(?:\.\d+)+)/i,
    product: 'Apache HTTP Server',
    cpe: 'apache:http_server',
    category: 'web-server',
  },
  { token: /\bnginx\/(\d+(?:\.\d+)+)/i, product: 'nginx', cpe: 'f5:nginx', category: 'web-server' },
  {
    token: /\bMicrosoft-IIS\/(\d+(?:\.\d+)+)/i,
    product: 'Microsoft IIS',
    cpe: 'microsoft:internet_information_services',
    category: 'web-server',
  },
  { token: /\blighttpd\/(\d+(?:\.\d+)+)/i, product: 'lighttpd', cpe: 'lighttpd:lighttpd', category: 'web-server' },
  { token: /\bOpenSSL\/(\d+\.\d+\.\d+[a-z]?)/i, product: 'OpenSSL', cpe: 'openssl:openssl', category: 'framework' },
  { token: /\bPHP\/(\d+(?:\.\d+)+)/i, product: 'PHP', cpe: 'php:php', category: 'framework' },
  { token: /\bJetty\((\d+(?:\.\d+)+)/i, product: 'Eclipse Jetty', cpe: 'eclipse:jetty', category: 'web-server' },
  {
    token: /\bApache-Coyote\/(\d+(?:\.\d+)+)/i,
    product: 'Apache Tomcat Coyote',
    cpe: 'apache:coyote_http_connector',
    category: 'web-server',
  },
  { token: /\bOpenResty\/(\d+(?:\.\d+)+)/i, product: 'OpenResty', cpe: 'openresty:openresty', category: 'web-server' },
];

/** Products recognised from a page: title, text and link patterns. */
interface PageProduct {
  product: string;
  category: Category;
  /** vendor:product of the CPE (the version is rarely on the page: `-` then). */
  cpe?: string;
  pattern: RegExp;
}

const PAGE_PRODUCTS: readonly PageProduct[] = [
  {
    product: 'Ivanti Connect Secure (Pulse Secure)',
    category: 'remote-access',
    cpe: 'ivanti:connect_secure',
    pattern: /Pulse Connect Secure|Ivanti Connect Secure|\/dana-na\//i,
  },
  {
    product: 'Citrix Gateway',
    category: 'remote-access',
    cpe: 'citrix:netscaler_gateway',
    pattern: /Citrix Gateway|NetScaler Gateway|\/logon\/LogonPoint\//i,
  },
  {
    product: 'FortiGate SSL VPN',
    category: 'remote-access',
    cpe: 'fortinet:fortios',
    pattern: /FortiGate|\/remote\/login|ftnt-fortinet/i,
  },
  {
    product: 'Palo Alto GlobalProtect',
    category: 'remote-access',
    cpe: 'paloaltonetworks:pan-os',
    pattern: /GlobalProtect Portal|\/global-protect\//i,
  },
  {
    product: 'Microsoft Exchange Outlook Web App',
    category: 'remote-access',
    cpe: 'microsoft:exchange_server',
    pattern: /Outlook Web App|\/owa\/auth\//i,
  },
  { product: 'Microsoft RD Web Access', category: 'remote-access', pattern: /RD Web Access|\/RDWeb\//i },
  { product: 'Epic MyChart', category: 'patient-portal', cpe: 'epic:mychart', pattern: /\bMyChart\b/ },
  { product: 'Patient portal', category: 'patient-portal', pattern: /patient portal/i },
  { product: 'Doxy.me', category: 'telehealth', pattern: /doxy\.me/i },
  { product: 'Zoom for Healthcare', category: 'telehealth', pattern: /Zoom for Healthcare/i },
  { product: 'Amwell', category: 'telehealth', pattern: /\bAmwell\b|American Well/i },
  { product: 'VSee', category: 'telehealth', pattern: /\bVSee\b/ },
  {
    product: 'Telehealth video visit',
    category: 'telehealth',
    pattern: /\b(?:video visit|virtual visit|telehealth)\b/i,
  },
];

const GENERATORS: ReadonlyArray<{ pattern: RegExp; product: string; cpe: string }> = [
  { pattern: /^WordPress (\d+(?:\.\d+)+)/i, product: 'WordPress', cpe: 'wordpress:wordpress' },
  { pattern: /^Drupal (\d+(?:\.\d+)*)/i, product: 'Drupal', cpe: 'drupal:drupal' },
  { pattern: /^Joomla! (\d+(?:\.\d+)*)/i, product: 'Joomla!', cpe: 'joomla:joomla\\!' },
];

/**
 * NVD's vendor:product for retire.js components whose dictionary names differ from `name:name`; the
 * others are named `name:name`, as NVD names jQuery and lodash (a name NVD spells otherwise only fails to
 * match, never matches wrongly).
 */
const LIBRARY_CPE: Readonly<Record<string, string>> = {
  'jquery-ui': 'jqueryui:jquery_ui',
  angularjs: 'angularjs:angular.js',
  bootstrap: 'getbootstrap:bootstrap',
  moment: 'momentjs:moment',
};

/** A CPE 2.3 formatted string for an application (`part` a), version escaped per NIST IR 7695 6.2. */
export function cpeName(vendorProduct: string, version: string | undefined, part: 'a' | 'o' | 'h' = 'a'): string {
  const v = version === undefined ? '-' : version.replace(/([^A-Za-z0-9._-])/g, '\\$1');
  return `cpe:2.3:${part}:${vendorProduct}:${v}:*:*:*:*:*:*:*`;
}

/** Products one endpoint's answers show. */
export function fingerprintEndpoint(endpoint: AnsweredEndpoint): ProductSighting[] {
  const out: ProductSighting[] = [];
  const add = (sighting: ProductSighting): void => {
    if (!out.some((s) => s.product === sighting.product && s.version === sighting.version)) out.push(sighting);
  };
  for (const exchange of endpoint.chain) {
    for (const name of ['server', 'x-powered-by']) {
      for (const value of headerValues(exchange.headers, name)) {
        for (const known of HEADER_PRODUCTS) {
          const version = known.token.exec(value)?.[1];
          if (version)
            add({
              product: known.product,
              version,
              cpe: cpeName(known.cpe, version),
              evidence: `${name}: ${value.slice(0, 200)}`,
              category: known.category,
            });
        }
      }
    }
    for (const value of headerValues(exchange.headers, 'x-owa-version'))
      add({
        product: 'Microsoft Exchange Outlook Web App',
        version: value.trim().slice(0, 40),
        cpe: cpeName('microsoft:exchange_server', undefined),
        evidence: `x-owa-version: ${value.slice(0, 100)}`,
        category: 'remote-access',
      });
  }
  const page = endpoint.body.page;
  if (page) {
    const generator = page.generator ?? '';
    for (const known of GENERATORS) {
      const version = known.pattern.exec(generator)?.[1];
      if (version)
        add({
          product: known.product,
          version,
          cpe: cpeName(known.cpe, version),
          evidence: `generator: ${generator.slice(0, 100)}`,
          category: 'application',
        });
    }
    const haystack = [page.title ?? '', page.text, ...page.links, ...page.forms.map((f) => f.action)].join('\n');
    for (const known of PAGE_PRODUCTS) {
      const match = known.pattern.exec(haystack);
      if (match)
        add({
          product: known.product,
          ...(known.cpe ? { cpe: cpeName(known.cpe, undefined) } : {}),
          evidence: `page: ${match[0].slice(0, 100)}`,
          category: known.category,
        });
    }
    if (page.webrtc.length > 0)
      add({
        product: 'WebRTC video',
        evidence: `inline script: ${page.webrtc.slice(0, 3).join(', ')}`,
        category: 'telehealth',
      });
  }
  for (const lib of endpoint.libraries)
    add({
      product: lib.library,
      version: lib.version,
      cpe: cpeName(LIBRARY_CPE[lib.library] ?? `${lib.library}:${lib.library}`, lib.version),
      evidence: `script ${lib.url.slice(0, 200)}`,
      category: 'framework',
    });
  return out;
}
