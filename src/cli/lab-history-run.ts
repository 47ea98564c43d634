/**
 * `vitals lab history`: evolves a lab world month by month with the history model (model.ts) and, at
 * each month's state, runs a real scan of the lab over loopback with the scan's clock set to that month,
 * posts the month's dark-web documents through the real ingestion, derives the dark-web findings and
 * records each organization's score snapshot, so `vitals study` reads history that scans produced.
 *
 * The lab runs in this process on its own loopback port (never the home's `lab up` lab, whose files it
 * would overwrite), from the same seed and size, so its organizations are the lab's organizations.
 */
import { labPortList, servicePortsRecord, startLab, type RunningLab } from '../lab/lab-runner.js';
import type { Store } from '../store/database.js';
import { importOrganizations, parseOrganizationsText } from '../store/import-organizations.js';
import { createDnsClient } from '../net/dns/dns-client.js';
import { parseCtLog } from '../probes/dns/discovery.probe.js';
import { DEFAULT_WORDLIST } from '../probes/dns/wordlist.js';
import { parseTrustAnchors } from '../dnssec/trust-anchor.js';
import { runScanSession, type PortfolioTarget } from '../scanner/scan-session.js';
import { defaultWorkerCount } from '../scanner/parallel-scan.js';
import { ingestDocuments } from '../darkweb/ingest/ingest.js';
import { recordDarkwebFindings } from '../darkweb/findings.js';
import type { DarkwebDocumentInput } from '../darkweb/types.js';
import { generateCorpus } from '../lab/darkweb/corpus/generate.js';
import type { CorpusOrganization } from '../lab/darkweb/corpus/index.js';
import { monthsBetween, monthStart } from '../study/periods.js';
import { createRng } from '../lab/world/rng.js';
import { isLabFindingId, type LabFindingId } from '../lab/world/weaknesses.js';
import {
  documentCounts,
  planMonth,
  scanDate,
  type HistoryOrganization,
  type ModelEvent,
} from '../lab/history/model.js';

/** Options of `runLabHistory`. */
export interface LabHistoryOptions {
  from: string;
  to: string;
  seed: number;
  orgs: number;
  /** Key of the credential hashes of ingested documents (loadCredentialKey). */
  credentialKey: string;
  /** Also try the default wordlist (finds wordlist-only hosts; many times slower); default false. */
  wordlist?: boolean;
  /** Dark-web documents per organization and month before the pandemic (model default when omitted). */
  documentsPerOrganization?: number;
  /** Records these organizations' score snapshots at `at` (the ratings service; reason `history`). */
  recordSnapshots: (store: Store, at: string, organizationIds: readonly string[]) => Promise<number>;
  onMonth?: (summary: MonthSummary) => void;
  /** First DNS port to try (random high ports after it); tests pass their own. */
  port?: number;
  /**
   * The ports a running lab of the same world (the demo's) serves its network services on: the history's
   * own lab then starts none and its scans try these (the services never change over the history).
   */
  servicePorts?: readonly number[];
}

/** What happened in one month of the history. */
export interface MonthSummary {
  month: string;
  scanAt: string;
  /** Model events realized in the lab, by kind. */
  events: Record<ModelEvent['kind'] | 'drifted' | 'repaired', number>;
  /** Changes the running lab could not take (they stay as they were). */
  refused: number;
  /** Weaknesses each organization gained and lost this month (the history's ground truth). */
  changes: Array<{ domain: string; added: LabFindingId[]; removed: LabFindingId[] }>;
  scanned: number;
  failed: number;
  findings: number;
  documents: number;
  mentions: number;
  snapshots: number;
}

/** Mentions are kept this long by the dark-web findings: older chatter no longer holds a finding open. */
const DARKWEB_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;
/** A month's dark-web derivation and snapshots come after its scan, within the same day. */
const DARKWEB_DELAY_MS = 60 * 60 * 1000;
const SNAPSHOT_DELAY_MS = 2 * 60 * 60 * 1000;

/** Runs the history; returns one summary per month. */
export async function runLabHistory(store: Store, options: LabHistoryOptions): Promise<MonthSummary[]> {
  const months = monthsBetween(options.from, options.to);
  const lab = await startHistoryLab(options.seed, options.orgs, options.port, options.servicePorts === undefined);
  const client = createDnsClient();
  try {
    const truth = lab.world.truth;
    await importOrganizations(store, parseOrganizationsText(lab.world.organizationsCsv(), 'csv', 'lab'), {
      allowSharedDomains: true,
    });
    const byName = new Map((await store.organizations.list()).map((o) => [o.name, o]));
    const targets: PortfolioTarget[] = truth.organizations.map((o) => ({
      domain: o.domain,
      organization: o.name,
      organizationId: byName.get(o.name)!.id,
    }));
    const labOrganizations = new Set(targets.map((t) => t.organizationId));
    const state = new Map<string, HistoryOrganization>(
      truth.organizations.map((o) => [
        o.domain,
        {
          domain: o.domain,
          telehealth: o.telehealth,
          rolledOut: false,
          weaknesses: [
            // The DNS weaknesses the history changes month by month; network services stay as planted.
            ...new Set(
              truth.weaknesses
                .filter((w) => w.organization === o.name && isLabFindingId(w.type))
                .map((w) => w.type as LabFindingId),
            ),
          ],
        },
      ]),
    );
    const corpusOrganizations: CorpusOrganization[] = truth.organizations;
    const telehealthOrganizations: CorpusOrganization[] = truth.organizations.filter((o) => o.telehealth);
    const settings = {
      client,
      resolver: { address: lab.resolverAddress, port: lab.port },
      nameServerPort: lab.port,
      trustAnchors: parseTrustAnchors(lab.world.trustAnchor),
      allowPrivate: true, // the lab lives on loopback by design
      concurrency: 64,
      timeoutMs: 2000,
      retries: 1,
      wordlist: options.wordlist === true ? DEFAULT_WORDLIST : null,
      ctNames: parseCtLog(lab.world.ctLog),
      tls: { ports: [] },
      ports: options.servicePorts ? [...options.servicePorts] : labPortList(servicePortsRecord(lab.services)),
      webPorts: { http: [], https: [] },
      workers: defaultWorkerCount(targets.length),
    };

    const summaries: MonthSummary[] = [];
    for (const [i, month] of months.entries()) {
      const summary: MonthSummary = {
        month,
        scanAt: scanDate(month),
        events: { dns_fix: 0, patch_applied: 0, patch_missed: 0, telehealth_rollout: 0, drifted: 0, repaired: 0 },
        refused: 0,
        changes: [],
        scanned: 0,
        failed: 0,
        findings: 0,
        documents: 0,
        mentions: 0,
        snapshots: 0,
      };
      const documents = documentCounts(month, [...state.values()], options.documentsPerOrganization);
      // The first month is scanned as the world was built: the baseline.
      if (i > 0) {
        const plan = planMonth(options.seed, month, [...state.values()]);
        for (const change of plan.changes) {
          const current = state.get(change.domain)!;
          if (!sameSet(change.before, change.after)) {
            try {
              for (const zone of lab.world.setWeaknesses(change.domain, change.after)) lab.server.replaceZone(zone);
            } catch {
              // A combination the running lab cannot serve (it would change the name servers): kept as it was.
              summary.refused += 1;
              continue;
            }
          }
          state.set(change.domain, { ...current, weaknesses: change.after, rolledOut: change.rolledOut });
          const added = change.after.filter((t) => !change.before.includes(t));
          const removed = change.before.filter((t) => !change.after.includes(t));
          if (added.length > 0 || removed.length > 0) summary.changes.push({ domain: change.domain, added, removed });
          for (const event of change.events) {
            summary.events[event.kind] += 1;
            if (event.kind === 'patch_missed' && event.drifted) summary.events.drifted += 1;
            if (event.kind === 'patch_applied' && event.repaired) summary.events.repaired += 1;
          }
        }
      }

      const scanAt = summary.scanAt;
      const session = await runScanSession(
        store,
        targets,
        { ...settings, clock: () => new Date(scanAt) },
        { lab_history: { seed: options.seed, orgs: options.orgs, month } },
      );
      summary.scanned = session.counts.scanned ?? 0;
      summary.failed = (session.counts.failed ?? 0) + (session.counts.refused ?? 0);
      summary.findings = session.findings.length;

      const posted = [
        ...monthDocuments(options.seed, month, 'general', documents.general, corpusOrganizations),
        ...monthDocuments(options.seed, month, 'telehealth', documents.telehealth, telehealthOrganizations),
      ];
      const darkwebAt = new Date(Date.parse(scanAt) + DARKWEB_DELAY_MS);
      if (posted.length > 0) {
        const ingest = await ingestDocuments(store, posted, {
          credentialKey: options.credentialKey,
          now: () => darkwebAt,
          prepareInWorker: false,
        });
        summary.documents = ingest.inserted;
        summary.mentions = ingest.mentions;
      }
      // The lab's organizations only: a portfolio of real organizations in the same home gets no simulated past.
      await recordDarkwebFindings(store, {
        organizationIds: labOrganizations,
        now: darkwebAt,
        since: new Date(darkwebAt.getTime() - DARKWEB_WINDOW_DAYS * DAY_MS).toISOString(),
      });
      summary.snapshots = await options.recordSnapshots(
        store,
        new Date(Date.parse(scanAt) + SNAPSHOT_DELAY_MS).toISOString(),
        [...labOrganizations],
      );
      summaries.push(summary);
      options.onMonth?.(summary);
    }
    return summaries;
  } finally {
    await client.close();
    await lab.stop();
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * The month's dark-web documents: the lab corpus generator with a seed of the month and audience, each
 * document re-dated to a random moment of the month before its scan and given an id of its own.
 */
function monthDocuments(
  seed: number,
  month: string,
  audience: 'general' | 'telehealth',
  count: number,
  organizations: readonly CorpusOrganization[],
): DarkwebDocumentInput[] {
  if (count <= 0 || organizations.length === 0) return [];
  const rng = createRng(seed, 'history-documents', month, audience);
  const start = Date.parse(monthStart(month));
  const span = Date.parse(scanDate(month)) - start;
  const corpusSeed = createRng(seed, 'history-corpus', month, audience).int(2 ** 31);
  const out: DarkwebDocumentInput[] = [];
  for (const { document } of generateCorpus({ seed: corpusSeed, documents: count, organizations })) {
    out.push({
      ...document,
      id: `${document.id ?? 'doc'}-${month}-${audience}`,
      posted_at: new Date(start + Math.floor(rng.next() * span)).toISOString(),
    });
  }
  return out;
}

/** Starts the history's own lab on a free high loopback port. */
async function startHistoryLab(
  seed: number,
  orgs: number,
  port: number | undefined,
  services: boolean,
): Promise<RunningLab> {
  const random = createRng(seed, 'history-port', Date.now());
  for (let attempt = 0; ; attempt++) {
    const chosen = attempt === 0 && port !== undefined ? port : 20000 + random.int(30000);
    try {
      // The history follows DNS hygiene month by month: no TLS or web tier (their ports could be another lab's).
      return await startLab({ seed, orgs, port: chosen, tls: false, web: false, services });
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
      if (attempt > 8 || (code !== 'EADDRINUSE' && !/in use|EADDRINUSE/.test(String(error)))) throw error;
    }
  }
}
