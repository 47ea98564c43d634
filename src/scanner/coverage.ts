/**
 * What one target's scan covered: the hosts on which the finding types of the checks that ran were judged.
 * The store resolves findings on exactly these hosts (persist.ts), and the scan output counts them per
 * check (report.ts, `checks`).
 */
import type { TargetResult } from './scan.js';

/**
 * The apex, every discovered host, the name servers questioned, the declared networks, and every host a check
 * reported on.
 */
export function coveredHosts(result: TargetResult): Set<string> {
  const covered = new Set<string>([result.target.domain]);
  for (const asset of result.discovery?.assets ?? []) covered.add(asset.host);
  for (const ns of result.discovery?.nameServers ?? []) covered.add(ns.host);
  // Declared networks are judged as hosts of their own by the IP reputation check.
  for (const network of result.target.networks ?? []) covered.add(network);
  for (const f of result.outcome.findings) covered.add(f.asset.host);
  for (const c of result.outcome.controls) covered.add(c.asset.host);
  return covered;
}
