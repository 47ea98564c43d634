import { IANA_ROOT_TRUST_ANCHORS, parseTrustAnchors } from '../../dnssec/trust-anchor.js';
import { probeDnssec } from '../../probes/dns/dnssec.probe.js';
import { checkDnssec } from './dnssec.check.js';
import { failureModeTable } from './failure-modes.test-support.js';

const ROOT = parseTrustAnchors(IANA_ROOT_TRUST_ANCHORS);

failureModeTable({
  label: 'DNSSEC',
  run: async (ctx) => checkDnssec('clinic.example', await probeDnssec('clinic.example', ctx, ROOT)),
  // A resolver that has no root keys to give cannot show the chain: never "unsigned" or "invalid".
  absence: { nodata: [], nxdomain: [] },
  notAssessed: ['dns.dnssec'],
});
