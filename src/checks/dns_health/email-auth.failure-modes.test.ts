import { probeEmailAuth } from '../../probes/dns/email-auth.probe.js';
import { checkEmailAuth } from './email-auth.check.js';
import { failureModeTable } from './failure-modes.test-support.js';

const MISSING = ['dns.spf.missing', 'dns.dmarc.missing', 'dns.dkim.not_found', 'dns.mx.missing'];

failureModeTable({
  label: 'SPF, DMARC, DKIM and MX',
  run: async (ctx) => checkEmailAuth(await probeEmailAuth('clinic.example', ctx)),
  absence: { nodata: MISSING, nxdomain: MISSING },
  notAssessed: ['dns.spf', 'dns.dmarc', 'dns.dkim', 'dns.mx'],
});
