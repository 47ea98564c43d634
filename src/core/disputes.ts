/**
 * Disputes, asset exclusions and the audit log (issue #10 section 5): the fair-ratings principles
 * ("disputed ratings should be notated as such until resolved"). Domain types; nothing outside src/core.
 *
 * A dispute's life: `open` (the finding still counts and is shown as disputed) until someone accepts it
 * (the finding leaves the score from that moment, until the dispute's expiry if it has one) or rejects
 * it (nothing changes). An expiry date that passes ends the dispute whatever its state: the finding
 * counts again. Every step is kept; nothing is deleted.
 */
import { AppError } from './errors.js';

/**
 * Why a finding is disputed. The first three are the raters' dispute, correction and appeal (the
 * finding is not ours, a compensating control exists, the issue is fixed); `false_positive` says the
 * check is wrong; `accepted_risk` is a documented exception, usually with an expiry.
 */
export const DISPUTE_REASONS = [
  'false_positive',
  'compensating_control',
  'fixed',
  'not_ours',
  'accepted_risk',
] as const;
/** One of DISPUTE_REASONS. */
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

/** What a dispute's stored state can be. */
export const STORED_DISPUTE_STATUSES = ['open', 'accepted', 'rejected'] as const;
/** One of STORED_DISPUTE_STATUSES. */
export type StoredDisputeStatus = (typeof STORED_DISPUTE_STATUSES)[number];

/** What a dispute is at a given moment: its stored state, or `expired` once its expiry has passed. */
export const DISPUTE_STATUSES = [...STORED_DISPUTE_STATUSES, 'expired'] as const;
/** One of DISPUTE_STATUSES. */
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** How a dispute is decided. */
export type DisputeDecision = 'accepted' | 'rejected';

/** A stored dispute, with what it is about. */
export interface Dispute {
  id: string;
  findingId: string;
  organizationId: string;
  organizationName: string;
  /** The disputed finding's type and host, so a listing says what is disputed without a second look-up. */
  findingType: string;
  assetHost: string;
  reason: DisputeReason;
  note: string;
  /** The stored state; see `disputeStatusAt` for what it is at a given moment. */
  status: StoredDisputeStatus;
  /** ISO 8601 UTC; null for no expiry. */
  expiresAt: string | null;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

/** A dispute's status at `at` (ISO 8601 UTC): `expired` once its expiry has passed, else its stored state. */
export function disputeStatusAt(dispute: Pick<Dispute, 'status' | 'expiresAt'>, at: string): DisputeStatus {
  if (dispute.expiresAt !== null && dispute.expiresAt <= at && dispute.status !== 'rejected') return 'expired';
  return dispute.status;
}

/** An asset an organization says is not its own: its findings leave that organization's score. */
export interface AssetExclusion {
  id: string;
  organizationId: string;
  organizationName: string;
  host: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

/** What the audit log records. */
export const AUDIT_ACTIONS = ['dispute.add', 'dispute.accept', 'dispute.reject', 'asset.exclude'] as const;
/** One of AUDIT_ACTIONS. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audit log row: who did what, when and why. Rows are only ever appended. */
export interface AuditEntry {
  /** Position in the log, from 1, gap-free: a missing number would show a removed row. */
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: AuditAction;
  /** Kept as text, not a foreign key: the log outlives a deleted organization. */
  organizationId: string;
  organizationName: string;
  /** The dispute's or the exclusion's id. */
  subjectId: string;
  findingId: string | null;
  findingType: string | null;
  assetHost: string | null;
  /** A dispute's reason, or an exclusion's reason text. */
  reason: string | null;
  /** The dispute's note or the decision's note. */
  note: string | null;
  /** Anything else worth keeping (a dispute's expiry). */
  details: Record<string, unknown>;
}

/** Stable codes of DisputeError. */
export type DisputeErrorCode =
  | 'unknown-finding'
  | 'ambiguous-id'
  | 'finding-resolved'
  | 'bad-reason'
  | 'bad-expiry'
  | 'past-expiry'
  | 'already-disputed'
  | 'unknown-dispute'
  | 'already-decided'
  | 'dispute-expired'
  | 'unknown-host'
  | 'ambiguous-host'
  | 'already-excluded'
  | 'empty-text';

/** A dispute, decision or exclusion that cannot be made as asked; the message says why and what to do. */
export class DisputeError extends AppError {
  override readonly name = 'DisputeError';
  constructor(
    readonly code: DisputeErrorCode,
    message: string,
  ) {
    super(message);
  }
}
