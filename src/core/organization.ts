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

/** Whether one alias of an organization counts alone, and why (issue #9 section 1). */
export interface AliasJudgementRecord {
  organizationId: string;
  alias: string;
  ambiguous: boolean;
  /** english_word, place_name, acronym, shared, override, corpus or none. */
  reason: string;
  detail: string;
  /** Documents where the alias matched, and of those, documents without the organization's unambiguous terms. */
  occurrences: number;
  standalone: number;
  judgedAt: string;
}
