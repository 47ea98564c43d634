/**
 * Judges a DNSSEC validation (RFC 4035 §4.3 security states): secure is the control dns.dnssec.valid,
 * insecure (no DS at the parent, so no chain of trust) is dns.dnssec.unsigned, bogus (DS present but
 * signatures expired, not verifying or no key matching the DS) is dns.dnssec.invalid, and an
 * indeterminate verdict or a failed probe is not assessed. Pure.
 */
import type { CheckOutcome, ProbeAttempt } from '../../core/types.js';
import { emptyOutcome } from '../../core/types.js';
import type { ZoneValidation } from '../../dnssec/validate.js';
import { canonicalName } from '../../core/names.js';

/** The ids this check can emit. */
export type DnssecOutcome = CheckOutcome<'dns.dnssec.unsigned' | 'dns.dnssec.invalid', 'dns.dnssec.valid'>;

/** Findings, control or not-assessed record for the DNSSEC status of `domain`. */
export function checkDnssec(domain: string, attempt: ProbeAttempt<ZoneValidation>): DnssecOutcome {
  const out: DnssecOutcome = emptyOutcome();
  const asset = { host: canonicalName(domain) };
  if (attempt.status !== 'completed') {
    out.notAssessed.push({ check: 'dns.dnssec', asset, reason: `${attempt.reason}: ${attempt.detail}` });
    return out;
  }
  const v = attempt.result;
  switch (v.status) {
    case 'secure':
      out.controls.push({ control: 'dns.dnssec.valid', asset, evidence: { chain: v.chain } });
      break;
    case 'insecure':
      out.findings.push({
        type: 'dns.dnssec.unsigned',
        asset,
        evidence: { reason: v.reason, ...(v.provenBy ? { provenBy: v.provenBy } : {}) },
      });
      break;
    case 'bogus':
      out.findings.push({ type: 'dns.dnssec.invalid', asset, evidence: { reason: v.reason, detail: v.detail } });
      break;
    case 'indeterminate':
      out.notAssessed.push({ check: 'dns.dnssec', asset, reason: `indeterminate: ${v.reason}` });
      break;
  }
  return out;
}
