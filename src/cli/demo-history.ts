/**
 * The demo's short history (`vitals demo`): the lab evolved from September 2019 to April 2020 with the
 * history model and scanned each month (docs/lab-history.md), then the study's headline table over it.
 * Runs before the demo's own scan, so the store's history stays in time order.
 */
import type { Store } from '../store/database.js';
import { runLabHistory } from './lab-history-run.js';
import { runStudy } from '../reports/study.js';
import { recordHistorySnapshots } from './history-snapshots.js';
import { renderHeadline } from './study-output.js';

/** The seed study's months. */
export const DEMO_HISTORY = { from: '2019-09', to: '2020-04' } as const;

export async function buildDemoHistory(
  store: Store,
  options: {
    seed: number;
    orgs: number;
    credentialKey: string;
    log: (line: string) => void;
    /** The demo lab's service ports: the history scans its services instead of starting its own. */
    servicePorts?: readonly number[];
  },
): Promise<void> {
  const started = Date.now();
  const months = await runLabHistory(store, {
    ...DEMO_HISTORY,
    seed: options.seed,
    orgs: options.orgs,
    credentialKey: options.credentialKey,
    ...(options.servicePorts ? { servicePorts: options.servicePorts } : {}),
    recordSnapshots: recordHistorySnapshots,
    onMonth: (m) =>
      options.log(
        `history: ${m.month}: ${m.scanned} organizations scanned as of ${m.scanAt.slice(0, 10)}, ` +
          `${m.findings} findings`,
      ),
  });
  options.log(
    `history: ${months.length} months (${DEMO_HISTORY.from} to ${DEMO_HISTORY.to}) built and scanned in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** The study's headline table over the demo's history. */
export async function demoStudyHeadline(store: Store): Promise<string> {
  const report = await runStudy(store, (range) => store.scoreSnapshots.streamSnapshots(range), DEMO_HISTORY);
  return (
    `\n${renderHeadline(report)}` +
    `More: \`npx vitals study --from ${DEMO_HISTORY.from} --to ${DEMO_HISTORY.to} --by month\` ` +
    '(--format json or csv for every figure).\n'
  );
}
