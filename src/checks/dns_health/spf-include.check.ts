/**
 * The SPF record as check_host() reaches it through include: and redirect= (RFC 7208 5.2 and 6.1): an
 * include or redirect target without an SPF record, with several, or with a broken one turns every
 * evaluation that reaches it into a permerror, however good the apex record looks. Also the MX limit of
 * RFC 7208 4.6.4: an `mx` term whose name has more than 10 MX records is a permerror.
 */
import type { AssetRef, CheckOutcome, FindingDraft } from '../../core/types.js';
import { emptyOutcome } from '../../core/types.js';
import type { EmailAuthObservation, SpfNode } from '../../probes/dns/email-auth.types.js';
import { parseSpf } from '../../email-auth/spf.js';

export type SpfReachFinding = 'dns.spf.include_broken' | 'dns.spf.too_many_mx';
type SpfReachOutcome = CheckOutcome<SpfReachFinding, never>;

/** RFC 7208 4.6.4: evaluating one `mx` must not query more than 10 address records. */
export const SPF_MX_LIMIT = 10;

export interface BrokenTarget {
  /** How the broken record is reached. */
  via: 'include' | 'redirect';
  target: string;
  /** Domains from the apex to the record that names the target. */
  path: string[];
  problem: string;
}

export function judgeSpfIncludes(obs: EmailAuthObservation): SpfReachOutcome {
  const out: SpfReachOutcome = emptyOutcome();
  if (!obs.spfTree) return out;
  const asset: AssetRef = { host: obs.domain };
  const broken: BrokenTarget[] = [];
  const unfetched: string[] = [];
  const manyMx: Array<{ term: string; domain: string; name: string; records: number }> = [];
  const uncountedMx: string[] = [];
  // Explicit stack: the probe bounds the tree's depth and terms.
  const stack: Array<{ node: SpfNode; path: string[] }> = [{ node: obs.spfTree, path: [obs.spfTree.domain] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    for (const term of node.terms) {
      const outcome = term.outcome;
      if (outcome.kind === 'queried' && term.mechanism === 'mx') {
        for (const q of outcome.queries) {
          if (q.type !== 'MX') continue;
          if (q.attempt.status !== 'completed') {
            uncountedMx.push(`${term.text} (${q.attempt.reason}: ${q.attempt.detail})`);
            continue;
          }
          if (q.attempt.result.answerCount > SPF_MX_LIMIT) {
            manyMx.push({ term: term.text, domain: node.domain, name: q.name, records: q.attempt.result.answerCount });
          }
        }
      }
      if (outcome.kind !== 'followed') continue;
      const child = outcome.node;
      const via = term.mechanism === 'redirect' ? 'redirect' : 'include';
      if (child.txt.status !== 'completed') {
        unfetched.push(`${via} ${child.domain}: ${child.txt.reason} (${child.txt.detail})`);
        continue;
      }
      const problem = recordProblem(child);
      if (problem) broken.push({ via, target: child.domain, path, problem });
      else stack.push({ node: child, path: [...path, child.domain] });
    }
  }
  if (broken.length > 0) out.findings.push(finding('dns.spf.include_broken', asset, { targets: broken }));
  else if (unfetched.length > 0) {
    out.notAssessed.push({
      check: 'dns.spf.include_broken',
      asset,
      reason: `the SPF records of ${unfetched.join('; ')} could not be fetched`,
    });
  }
  if (manyMx.length > 0) {
    out.findings.push(finding('dns.spf.too_many_mx', asset, { limit: SPF_MX_LIMIT, terms: manyMx }));
  } else if (uncountedMx.length > 0) {
    // An MX set we could not fetch may be the one over the limit.
    out.notAssessed.push({
      check: 'dns.spf.too_many_mx',
      asset,
      reason: `the MX records of ${uncountedMx.join('; ')} could not be counted`,
    });
  }
  return out;
}

/** Why a fetched include/redirect target cannot be evaluated, or null when its record is usable. */
function recordProblem(node: SpfNode): string | null {
  if (node.txt.status !== 'completed') return null;
  if (node.spfRecords.length === 0) {
    return node.txt.result.rcode === 'NXDOMAIN' ? 'the domain does not exist' : 'no SPF record';
  }
  if (node.spfRecords.length > 1) return `${node.spfRecords.length} SPF records`;
  const parsed = parseSpf(node.spfRecords[0]!);
  if (parsed.valid) return null;
  const first = parsed.errors[0]!;
  return `syntax error: ${first.message} ("${first.term}")`;
}

function finding(
  type: SpfReachFinding,
  asset: AssetRef,
  evidence: Record<string, unknown>,
): FindingDraft<SpfReachFinding> {
  return { type, asset: { ...asset }, evidence };
}
