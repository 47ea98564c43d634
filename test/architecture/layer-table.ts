/**
 * The allowed dependencies between the top-level folders of src/: the one place the layering is written
 * in code. docs/DESIGN.md ("Layers") shows the same table, and folder-layers.test.ts fails when the two
 * differ, when an import breaks the table, or when the folders form a cycle.
 *
 * `runtime`: folders whose modules this folder may load. `types`: folders it may only `import type` from
 * (erased at compile time: a check judges a probe's typed result without loading the probe).
 */
export interface LayerRule {
  runtime: readonly string[];
  types: readonly string[];
}

export const LAYERS: Readonly<Record<string, LayerRule>> = {
  core: { runtime: [], types: [] },
  net: { runtime: ['core'], types: [] },
  dnssec: { runtime: ['core'], types: [] },
  // The SPF evaluator is handed a DNS client; it only needs its interface.
  'email-auth': { runtime: ['core'], types: ['net'] },
  scoring: { runtime: ['core', 'catalogue'], types: [] },
  // The scoring method's weights live beside the finding catalogue and are validated with scoring's types.
  catalogue: { runtime: ['core', 'scoring'], types: [] },
  // TLS knowledge both probes and checks use (the cipher-suite registry, RFC 6125 names, the SSL Labs grade).
  tls: { runtime: ['core'], types: [] },
  // Threat intelligence as data: feed readers, the prefix index, CPE names, version ranges, vulnerability files.
  intel: { runtime: ['core'], types: [] },
  probes: { runtime: ['core', 'net', 'dnssec', 'email-auth', 'tls', 'intel'], types: [] },
  checks: { runtime: ['core', 'catalogue', 'email-auth', 'tls'], types: ['probes', 'dnssec', 'intel'] },
  // The organizations import validates declared networks with the intel layer's CIDR parser.
  store: { runtime: ['core', 'catalogue', 'intel'], types: [] },
  scanner: {
    runtime: [
      'core',
      'catalogue',
      'net',
      'dnssec',
      'email-auth',
      'tls',
      'intel',
      'probes',
      'checks',
      'scoring',
      'store',
      'ratings',
    ],
    types: [],
  },
  // The portfolio view and vendor risk: latest snapshots from the store, pure summaries.
  portfolio: { runtime: ['core', 'store'], types: [] },
  // The ratings service: rating inputs from the store, the method's arithmetic, snapshots; the scorecard's
  // vendor section comes from the portfolio's vendor risk.
  ratings: { runtime: ['core', 'catalogue', 'scoring', 'store', 'portfolio'], types: [] },
  // A scan and a dark-web analysis record a score snapshot per organization they covered.
  darkweb: { runtime: ['core', 'catalogue', 'store', 'ratings'], types: [] },
  // A dispute decision or an exclusion records a score snapshot in its transaction.
  disputes: { runtime: ['core', 'catalogue', 'store', 'ratings'], types: [] },
  study: { runtime: ['core', 'catalogue', 'scoring', 'store'], types: [] },
  // Services that read the store and hand the rows to pure arithmetic (study, scoring).
  reports: { runtime: ['core', 'catalogue', 'scoring', 'study', 'store'], types: [] },
  // Pure HTML renderers of the commands' JSON (scorecard, portfolio, study), and PDF through Chromium; they
  // read the study's report shapes without loading the study.
  report: { runtime: ['core', 'catalogue'], types: ['study'] },
  // The lab names its hosts from the scanner's published wordlists (probes/dns/wordlist.ts), plants the
  // weaknesses the catalogue lists and signs its zones; it reads the dark-web corpus shapes without
  // loading the pipeline.
  lab: { runtime: ['core', 'catalogue', 'dnssec', 'tls', 'probes'], types: ['darkweb'] },
  // The JSON shapes the commands print (zod schemas); the dark-web enumerations come from darkweb/types.ts.
  output: { runtime: ['core', 'darkweb', 'study'], types: [] },
  // Users, API tokens and sessions: hashing with node:crypto, records in the store.
  auth: { runtime: ['core', 'store'], types: [] },
  // The JSON records both the CLI prints and the API serves, built once from the services; the dashboard's
  // charts are drawn here with the report's ECharts loader, and the portfolio table grades with scoring.
  views: { runtime: ['core', 'catalogue', 'store', 'scanner', 'ratings', 'scoring', 'report'], types: ['output'] },
  // The REST API: HTTP onto the same services the CLI calls (never the CLI itself).
  server: {
    runtime: [
      'core',
      'catalogue',
      'store',
      'scanner',
      'darkweb',
      'disputes',
      'portfolio',
      'ratings',
      'study',
      'reports',
      'output',
      'auth',
      'views',
    ],
    types: [],
  },
  cli: {
    runtime: [
      'core',
      'catalogue',
      'net',
      'dnssec',
      'email-auth',
      'tls',
      'intel',
      'probes',
      'checks',
      'scoring',
      'store',
      'scanner',
      'darkweb',
      'disputes',
      'portfolio',
      'ratings',
      'study',
      'reports',
      'report',
      'lab',
      'output',
      'auth',
      'views',
      'server',
    ],
    types: [],
  },
};

/**
 * What no table may allow, whatever it grows into (issue #6, section 1): the domain core stands alone;
 * judging and scoring never load the network, the store or the pipelines; probes never judge or store;
 * the store knows no caller; only the CLI is the top. `runtime` rules forbid loading; `any` also types.
 */
export const NEVER: readonly { from: string; to: string; kind: 'runtime' | 'any' }[] = [
  ...['checks', 'scoring'].flatMap((from) =>
    ['probes', 'store', 'net', 'cli', 'lab', 'darkweb'].map((to) => ({ from, to, kind: 'runtime' as const })),
  ),
  ...['checks', 'store', 'cli'].map((to) => ({ from: 'probes', to, kind: 'any' as const })),
  ...['cli', 'probes', 'checks', 'scanner', 'lab', 'darkweb'].map((to) => ({
    from: 'store',
    to,
    kind: 'runtime' as const,
  })),
];
