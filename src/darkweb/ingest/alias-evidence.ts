/**
 * Alias judgements around an ingestion (issue #9 section 1): organizations whose aliases were never
 * judged (imported by an older version, or stored by code rather than `orgs import`) are judged before
 * analysis, without the gazetteer (import time only); after it, the run's corpus counts are added and
 * an alias that mostly stood without any of its organization's unambiguous terms is demoted to
 * ambiguous, with the counts as its reason, for the runs that follow.
 */
import type { AliasJudgementRecord, Organization } from '../../core/organization.js';
import type { Store } from '../../store/database.js';
import { demoteFromCorpus, judgeAliases } from '../match/alias-judgement.js';

/** Corpus counts of one (organization, alias) in a run. */
export interface AliasCountRow {
  organizationId: string;
  alias: string;
  occurrences: number;
  standalone: number;
}

/** Stored judgements, after judging (and storing) those of organizations with aliases but none stored. */
export async function judgeUnjudgedAliases(
  store: Store,
  organizations: readonly Organization[],
): Promise<AliasJudgementRecord[]> {
  const stored = await store.organizations.aliasJudgements();
  const judgedOrgs = new Set(stored.map((j) => j.organizationId));
  const missing = organizations.filter((o) => o.aliases.length > 0 && !judgedOrgs.has(o.id));
  if (missing.length === 0) return stored;
  // Shared aliases are judged against the whole portfolio, so judge everyone and keep the missing ones.
  const judged = judgeAliases(organizations, { gazetteer: false });
  const at = new Date().toISOString();
  const missingIds = new Set(missing.map((o) => o.id));
  const records: AliasJudgementRecord[] = [];
  organizations.forEach((org, index) => {
    if (!missingIds.has(org.id)) return;
    for (const j of judged[index] ?? [])
      records.push({
        organizationId: org.id,
        alias: j.alias,
        ambiguous: j.ambiguous,
        reason: j.reason,
        detail: `${j.detail} (judged at ingestion, without the gazetteer)`,
        occurrences: 0,
        standalone: 0,
        judgedAt: at,
      });
  });
  await store.organizations.replaceAliasJudgements(records);
  return [...stored, ...records];
}

/** Adds the run's counts, demotes aliases the corpus shows are mostly used for something else; returns them. */
export async function recordAliasEvidence(
  store: Store,
  organizations: readonly Organization[],
  counts: readonly AliasCountRow[],
): Promise<string[]> {
  await store.organizations.addAliasCounts(counts);
  const names = new Map(organizations.map((o) => [o.id, o.name]));
  const touched = new Set(counts.map((c) => c.organizationId));
  const demoted: string[] = [];
  const changed: AliasJudgementRecord[] = [];
  for (const id of touched) {
    const judgements = await store.organizations.aliasJudgements(id);
    let anyChange = false;
    const next = judgements.map((j) => {
      if (j.ambiguous || j.reason === 'override' || !demoteFromCorpus(j)) return j;
      anyChange = true;
      const detail = `stood without the organization's name or domain in ${j.standalone} of ${j.occurrences} documents`;
      demoted.push(`${j.alias} (${names.get(id) ?? id}): ${detail}`);
      return { ...j, ambiguous: true, reason: 'corpus', detail, judgedAt: new Date().toISOString() };
    });
    if (anyChange) changed.push(...next);
  }
  if (changed.length > 0) await store.organizations.replaceAliasJudgements(changed);
  return demoted;
}

/** Overrides of one organization from an import file, by organization name. */
export interface AliasOverrides {
  name: string;
  ambiguousAliases?: readonly string[];
  unambiguousAliases?: readonly string[];
}

/**
 * Judges every alias of the portfolio at import, gazetteer included (`orgs import`), and stores the
 * judgements. Overrides come from the file for the organizations it lists; organizations it does not
 * list keep their stored overrides; a corpus demotion stays until the file overrides it.
 */
export async function judgePortfolioAliases(
  store: Store,
  fileOverrides: readonly AliasOverrides[],
  options: { gazetteer?: boolean } = {},
): Promise<AliasJudgementRecord[]> {
  const organizations = await store.organizations.list();
  const stored = await store.organizations.aliasJudgements();
  const storedByOrg = new Map<string, AliasJudgementRecord[]>();
  for (const j of stored) storedByOrg.set(j.organizationId, [...(storedByOrg.get(j.organizationId) ?? []), j]);
  const fromFile = new Map(fileOverrides.map((o) => [o.name.trim().replace(/\s+/g, ' ').toLowerCase(), o]));
  const inputs = organizations.map((org) => {
    const file = fromFile.get(org.name.toLowerCase());
    const previous = storedByOrg.get(org.id) ?? [];
    const keep = (ambiguous: boolean): string[] =>
      previous.filter((j) => j.reason === 'override' && j.ambiguous === ambiguous).map((j) => j.alias);
    return {
      name: org.name,
      aliases: org.aliases,
      ambiguousAliases: file === undefined ? keep(true) : (file.ambiguousAliases ?? []),
      unambiguousAliases: file === undefined ? keep(false) : (file.unambiguousAliases ?? []),
    };
  });
  const judged = judgeAliases(inputs, { gazetteer: options.gazetteer ?? true });
  const at = new Date().toISOString();
  const records: AliasJudgementRecord[] = [];
  organizations.forEach((org, index) => {
    const previous = new Map((storedByOrg.get(org.id) ?? []).map((j) => [j.alias, j]));
    for (const j of judged[index] ?? []) {
      const before = previous.get(j.alias);
      if (before?.reason === 'corpus' && !j.ambiguous && j.reason !== 'override') {
        records.push(before);
        continue;
      }
      records.push({
        organizationId: org.id,
        alias: j.alias,
        ambiguous: j.ambiguous,
        reason: j.reason,
        detail: j.detail,
        occurrences: before?.occurrences ?? 0,
        standalone: before?.standalone ?? 0,
        judgedAt: at,
      });
    }
  });
  // Organizations whose last alias went get their rows removed too.
  const emptied = organizations.filter((o) => (judged[organizations.indexOf(o)] ?? []).length === 0);
  await store.organizations.replaceAliasJudgements(records);
  await store.organizations.clearAliasJudgements(emptied.map((o) => o.id));
  return records;
}
