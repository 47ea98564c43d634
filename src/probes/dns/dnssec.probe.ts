/**
 * DNSSEC probe: validates the chain of trust for an apex with the src/dnssec validator, fetching
 * DNSKEY, DS and SOA through the configured resolver with the DO bit set (RFC 4035 §3.2.1) so RRSIG
 * and NSEC records come back. The resolver is trusted for transport only: every signature is checked
 * here, against the configured trust anchors.
 */
import type { ProbeAttempt } from '../../core/types.js';
import type { TrustAnchor } from '../../dnssec/trust-anchor.js';
import { validateZone } from '../../dnssec/validate.js';
import type { FetchResult, ZoneValidation } from '../../dnssec/validate.js';
import type { DnsProbeContext } from './dns-probe-context.js';
import { canonicalName } from '../../core/names.js';

/**
 * Validates `domain` from `anchors`. Completed with the validator's verdict (secure, insecure, bogus
 * or indeterminate); not_assessed only when the validator itself failed.
 */
export async function probeDnssec(
  domain: string,
  ctx: DnsProbeContext,
  anchors: TrustAnchor[],
): Promise<ProbeAttempt<ZoneValidation>> {
  const fetch = async (name: string, type: 'DNSKEY' | 'DS' | 'SOA'): Promise<FetchResult> => {
    const reply = await ctx.client.query(ctx.resolver, name, type, {
      ...ctx.queryOptions,
      qclass: 'IN',
      recursionDesired: true,
      dnssecOk: true,
      // A validating resolver would hide a bogus zone behind SERVFAIL; CD asks it for the data anyway.
      checkingDisabled: true,
    });
    if (!reply.ok) return { ok: false, reason: `${type} ${name}: ${reply.reason}: ${reply.detail}` };
    const { rcode, answers, authorities } = reply.response;
    // SERVFAIL or REFUSED carry no data to validate (a validating resolver answers SERVFAIL for a bogus
    // zone): the validator then reports indeterminate, which the check turns into not assessed.
    if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN')
      return { ok: false, reason: `${type} ${name}: resolver answered ${rcode}` };
    return { ok: true, rcode, answers, authorities };
  };
  try {
    const validation = await validateZone(canonicalName(domain), fetch, anchors, ctx.now());
    return { status: 'completed', result: validation };
  } catch (error) {
    return {
      status: 'not_assessed',
      reason: 'other',
      detail: `DNSSEC validation of ${domain} failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
