/**
 * Which organizations of the portfolio an organization depends on (its vendors), from the `vendors`
 * column of the organizations import (issue #10 section 4). Links are by id, set whole per organization.
 */
import type { Kysely } from 'kysely';
import { inTransaction, isoTimestamp } from '../codec.js';
import { StoreError } from '../errors.js';
import type { StoreSchema } from '../schema.js';

/** One link: `organizationId` depends on `vendorId`. */
export interface VendorLink {
  organizationId: string;
  vendorId: string;
}

/** Data access for vendor links. */
export class VendorsRepo {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Ids of `organizationId`'s vendors, sorted. */
  async vendorsOf(organizationId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('organization_vendors')
      .select('vendor_id')
      .where('organization_id', '=', organizationId)
      .orderBy('vendor_id')
      .execute();
    return rows.map((r) => r.vendor_id);
  }

  /** Ids of the organizations that depend on `vendorId`, sorted. */
  async clientsOf(vendorId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('organization_vendors')
      .select('organization_id')
      .where('vendor_id', '=', vendorId)
      .orderBy('organization_id')
      .execute();
    return rows.map((r) => r.organization_id);
  }

  /** Every link, by organization then vendor. */
  async allLinks(): Promise<VendorLink[]> {
    const rows = await this.db
      .selectFrom('organization_vendors')
      .select(['organization_id', 'vendor_id'])
      .orderBy('organization_id')
      .orderBy('vendor_id')
      .execute();
    return rows.map((r) => ({ organizationId: r.organization_id, vendorId: r.vendor_id }));
  }

  /** Make `vendorIds` the vendors of `organizationId` (no more, no fewer); true when that changed anything. */
  async setVendors(
    organizationId: string,
    vendorIds: readonly string[],
    now: string | Date = new Date(),
  ): Promise<boolean> {
    const wanted = new Set(vendorIds);
    if (wanted.has(organizationId)) {
      throw new StoreError('invalid-input', `organization ${organizationId} cannot be its own vendor`);
    }
    const at = isoTimestamp(now);
    return inTransaction(this.db, async (trx) => {
      const current = new Set(await new VendorsRepo(trx).vendorsOf(organizationId));
      const removed = [...current].filter((id) => !wanted.has(id));
      const added = [...wanted].filter((id) => !current.has(id));
      if (removed.length > 0) {
        await trx
          .deleteFrom('organization_vendors')
          .where('organization_id', '=', organizationId)
          .where('vendor_id', 'in', removed)
          .execute();
      }
      if (added.length > 0) {
        await trx
          .insertInto('organization_vendors')
          .values(added.map((vendorId) => ({ organization_id: organizationId, vendor_id: vendorId, created_at: at })))
          .execute();
      }
      return removed.length + added.length > 0;
    });
  }
}
