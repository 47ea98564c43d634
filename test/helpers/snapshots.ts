/** Test support: score snapshots written by hand, for the views that read them (portfolio, vendors). */
import type { Grade, ScoreSnapshot, SnapshotFactor } from '../../src/core/score-snapshots.js';
import { FACTORS, type Factor } from '../../src/core/types.js';

/** What a test says about a snapshot; everything else gets a plain default. */
export interface TestSnapshot {
  id?: string;
  organizationId?: string;
  takenAt?: string;
  score: number | null;
  grade: Grade | null;
  /** Rated factors: [factor score, overall points lost]; every other factor is not rated. */
  rated?: Partial<Record<Factor, [score: number, pointsLost: number]>>;
}

/** A full snapshot (method 1.0.0, reason scan) from the few fields a test cares about. */
export function testSnapshot(spec: TestSnapshot): ScoreSnapshot {
  const factors: SnapshotFactor[] = FACTORS.map((factor) => {
    const entry = spec.rated?.[factor];
    return entry === undefined
      ? { factor, score: null, grade: null, findings: 0, points_lost: 0 }
      : { factor, score: entry[0], grade: spec.grade ?? 'C', findings: 1, points_lost: entry[1] };
  });
  return {
    id: spec.id ?? `snapshot-${String(spec.score)}`,
    organizationId: spec.organizationId ?? 'organization',
    scanId: null,
    takenAt: spec.takenAt ?? '2026-11-01T00:00:00.000Z',
    reason: 'scan',
    methodVersion: '1.0.0',
    score: spec.score,
    grade: spec.grade,
    factors,
    findingCounts: {},
    domainCount: 1,
    assetCount: 1,
  };
}
