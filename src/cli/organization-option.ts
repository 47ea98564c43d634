/** `--org NAME` and `ORG` arguments: an organization by name or alias, or a clear error. */
import type { Organization } from '../core/organization.js';
import type { Store } from '../store/database.js';
import { CliError } from './errors.js';

/** The organization named (or aliased) `name`; a CliError pointing at `vitals orgs list` when none is. */
export async function requireOrganization(store: Store, name: string): Promise<Organization> {
  const org = await store.organizations.findByNameOrAlias(name);
  if (org === undefined) throw new CliError(`no organization named "${name}" (see \`vitals orgs list\`)`);
  return org;
}

/** Like requireOrganization, for an optional `--org`: undefined stays undefined. */
export async function optionalOrganization(store: Store, name: string | undefined): Promise<Organization | undefined> {
  return name === undefined ? undefined : requireOrganization(store, name);
}
