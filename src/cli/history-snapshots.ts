/** The `history` score snapshots `vitals lab history` records at the end of each simulated month. */
import { recordScoreSnapshots } from '../ratings/snapshots.js';
import type { Store } from '../store/database.js';

/** Scores each of `organizationIds` as of `at` (the ratings service) and stores one snapshot each. */
export async function recordHistorySnapshots(
  store: Store,
  at: string,
  organizationIds: readonly string[],
): Promise<number> {
  const written = await recordScoreSnapshots(
    store,
    organizationIds.map((organizationId) => ({ organizationId })),
    { reason: 'history', at },
  );
  return written.length;
}
