/**
 * Two organizations that own the same domain share its findings and its rating, which is almost
 * always a mistake in the file (a copied row, a parent and a subsidiary both listing the group's
 * domain). An import finds every such domain, within the file and against the organizations already
 * stored, so the CLI can refuse it unless the user says the sharing is intended.
 */
import type { Organization, OrganizationInput } from '../core/organization.js';
import { organizationNameKey } from './repos/organizations.repo.js';

/** A domain owned by more than one organization (names as written, in import order then stored order). */
export interface SharedDomain {
  domain: string;
  organizations: string[];
}

/** Tag of the organizations `vitals scan DOMAIN` makes for a domain nobody owns yet. */
const AD_HOC_TAG = 'ad-hoc';

/**
 * Domains that the imported organizations share with each other or with stored organizations. A
 * stored organization of the same name is the one being updated (its stored domains are replaced), and
 * an ad-hoc placeholder made by `vitals scan DOMAIN` does not count: the import gives its domain an owner.
 */
export function findSharedDomains(
  incoming: readonly Pick<OrganizationInput, 'name' | 'domains'>[],
  stored: readonly Pick<Organization, 'name' | 'domains' | 'tags'>[],
): SharedDomain[] {
  const owners = new Map<string, string[]>();
  const add = (domain: string, name: string): void => {
    const list = owners.get(domain);
    if (list === undefined) owners.set(domain, [name]);
    else if (!list.includes(name)) list.push(name);
  };
  const incomingNames = new Set(incoming.map((o) => organizationNameKey(o.name)));
  for (const organization of incoming) for (const domain of organization.domains) add(domain, organization.name);
  for (const organization of stored) {
    if (incomingNames.has(organizationNameKey(organization.name)) || organization.tags.includes(AD_HOC_TAG)) continue;
    for (const domain of organization.domains) if (owners.has(domain)) add(domain, organization.name);
  }
  return [...owners]
    .filter(([, names]) => names.length > 1)
    .map(([domain, organizations]) => ({ domain, organizations }));
}

/** `example.org is shared by "A" and "B"`. */
export function describeSharedDomain(shared: SharedDomain): string {
  const names = shared.organizations.map((n) => `"${n}"`);
  const list = names.length === 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${shared.domain} is shared by ${list}`;
}
