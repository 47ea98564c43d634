/**
 * The SPF audit held to the RFC 7208 test suite: every domain the suite tests is audited (the e-mail
 * authentication probe over the wire against the suite's zone data on loopback, then the SPF checks), and
 * the audit must agree with the domain's record-level verdict:
 * - every test of the domain ends in pass, fail, softfail or neutral: its record parses, so the audit
 *   reports no syntax error and no multiple records;
 * - every test ends in permerror: the record is broken as check_host() reaches it, so the audit reports a
 *   record-level fault (syntax error, multiple records, a broken include or redirect target, or a
 *   lookup, void-lookup or MX limit).
 * Domains with mixed results, or none/temperror, or names a scanner refuses as targets, are not judged.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { normalizeDomain } from '../../core/names.js';
import { createDnsClient } from '../../net/dns/dns-client.js';
import { probeEmailAuth } from '../../probes/dns/email-auth.probe.js';
import { emptyOutcome } from '../../core/types.js';
import {
  loadSuite,
  parseZoneData,
  startZoneDataServer,
} from '../../email-auth/spf-evaluator/zone-data-server.test-support.js';
import type { CatalogueOutcome } from '../define-check.js';
import { checkSpf } from './email-auth.check.js';
import { judgeSpfIncludes } from './spf-include.check.js';

const PARSE_FAULTS = new Set(['dns.spf.syntax_error', 'dns.spf.multiple_records']);
const RECORD_FAULTS = new Set([
  ...PARSE_FAULTS,
  'dns.spf.include_broken',
  'dns.spf.too_many_lookups',
  'dns.spf.void_lookups',
  'dns.spf.too_many_mx',
]);
const EVALUATED = new Set(['pass', 'fail', 'softfail', 'neutral']);

const client = createDnsClient();
after(() => client.close());

test('the SPF audit agrees with the RFC 7208 suite on every judged domain', async () => {
  const disagreements: string[] = [];
  let judged = 0;
  for (const [index, scenario] of loadSuite().entries()) {
    // Each test evaluates the MAIL FROM domain, or the HELO name for an empty MAIL FROM.
    const results = new Map<string, Set<string>>();
    for (const t of Object.values(scenario.tests)) {
      const raw = t.mailfrom === '' ? t.helo : t.mailfrom.slice(t.mailfrom.lastIndexOf('@') + 1);
      let domain: string;
      try {
        domain = normalizeDomain(raw);
      } catch {
        continue;
      }
      const set = results.get(domain) ?? new Set<string>();
      // Where the suite allows alternatives, the domain is judged only if every alternative agrees.
      for (const r of [t.result].flat()) set.add(r);
      results.set(domain, set);
    }
    const server = await startZoneDataServer(`127.72.10.${index + 1}`, parseZoneData(scenario.zonedata));
    try {
      for (const [domain, set] of results) {
        const verdict = [...set].every((r) => EVALUATED.has(r))
          ? 'parses'
          : [...set].every((r) => r === 'permerror')
            ? 'broken'
            : null;
        if (!verdict) continue;
        judged++;
        const ctx = {
          client,
          resolver: { address: server.address, port: server.port },
          nameServerPort: server.port,
          queryOptions: { timeoutMs: 250, retries: 0 },
          now: () => 1_700_000_000,
        };
        const obs = await probeEmailAuth(domain, ctx);
        const out: CatalogueOutcome = emptyOutcome();
        checkSpf(obs, { host: domain }, out);
        const findings = [...out.findings.map((f) => f.type), ...judgeSpfIncludes(obs).findings.map((f) => f.type)];
        const faults = findings.filter((f) => RECORD_FAULTS.has(f));
        if (verdict === 'parses' && faults.some((f) => PARSE_FAULTS.has(f))) {
          disagreements.push(`${scenario.description}: ${domain} evaluates, but the audit says ${faults.join(', ')}`);
        }
        if (verdict === 'broken' && faults.length === 0) {
          const seen = findings.length > 0 ? findings.join(', ') : 'nothing';
          disagreements.push(`${scenario.description}: ${domain} is a permerror, but the audit reports ${seen}`);
        }
      }
    } finally {
      await server.close();
    }
  }
  assert.ok(judged >= 150, `only ${judged} domains judged`);
  assert.deepEqual(disagreements, [], `${disagreements.length} of ${judged} judged domains disagree`);
});
