/**
 * Third parties (issue #10 section 4): which organizations of the portfolio an organization depends on
 * (its telehealth and IT vendors), from the `vendors` column of the organizations import. A link table
 * of ids, so renaming a vendor keeps its links; both ends cascade with their organization.
 */
import type { Kysely } from 'kysely';

/** Create `organization_vendors`. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organization_vendors')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('vendor_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_vendors_pk', ['organization_id', 'vendor_id'])
    .execute();
  // `portfolio --vendors-of` goes from an organization to its vendors (the primary key); the vendor-risk
  // view of a vendor goes the other way.
  await db.schema
    .createIndex('organization_vendors_vendor_index')
    .on('organization_vendors')
    .column('vendor_id')
    .execute();
}

/** Drop the table. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('organization_vendors').ifExists().execute();
}
