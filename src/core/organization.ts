/** Organizations: the entities rated (stored by src/store/repos/organizations.repo.ts). */
import type { Sector } from './types.js';

/** What a caller provides to create or update an organization. */
export interface OrganizationInput {
  name: string;
  sector: Sector;
  domains: string[];
  telehealth: boolean;
  aliases?: string[];
  tags?: string[];
}

/** A stored organization. */
export interface Organization {
  id: string;
  name: string;
  sector: Sector;
  domains: string[];
  telehealth: boolean;
  aliases: string[];
  tags: string[];
  createdAt: string;
  updatedAt: string;
}
