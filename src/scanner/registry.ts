/**
 * The one list of everything a scan can run: probe families, probes and checks, in report order.
 * Adding a check is one line here (docs/DESIGN.md, "Adding a check"). Validated when loaded, so a check
 * that declares an id the catalogue lacks, or a catalogue finding no check emits, fails at start-up.
 */
import type { Registry } from '../core/contract.js';
import { dnsFamily } from '../probes/dns/dns-family.js';
import { discoveryProbe, dnsInfraProbe, dnssecProbe, emailAuthProbe } from '../probes/dns/dns-probes.js';
import {
  caaCheck,
  danglingCnameCheck,
  dkimCheck,
  dmarcCheck,
  dnssecCheck,
  mxCheck,
  nameServerDiversityCheck,
  nameServerExposureCheck,
  spfCheck,
  wildcardCheck,
} from '../checks/dns_health/dns-health.checks.js';
import { tlsFamily } from '../probes/tls/tls-family.js';
import { tlsEndpointsProbe } from '../probes/tls/tls-probes.js';
import { tlsCertificateCheck, tlsCipherCheck, tlsProtocolCheck } from '../checks/tls/tls.checks.js';
import { reputationFamily } from '../probes/reputation/reputation-family.js';
import { patchingFamily } from '../probes/patching/patching-family.js';
import { softwareProbe } from '../probes/patching/software.probe.js';
import { patchingCheck } from '../checks/patching_cadence/patching.check.js';
import { ipReputationProbe } from '../probes/reputation/ip-reputation.probe.js';
import { ipReputationCheck } from '../checks/ip_reputation/ip-reputation.check.js';
import { portsFamily } from '../probes/ports/ports-family.js';
import { portsProbe, servicesProbe } from '../probes/ports/ports-probes.js';
import { NETWORK_SECURITY_CHECKS } from '../checks/network_security/network-security.checks.js';
import { webFamily } from '../probes/web/web-family.js';
import { webProbe } from '../probes/web/web-probes.js';
import {
  contentCheck,
  cookiesCheck,
  exposureCheck,
  headersCheck,
  transportCheck,
} from '../checks/application_security/application-security.checks.js';
import { assertValidRegistry } from './registry-validation.js';

export const REGISTRY: Registry = assertValidRegistry(
  {
    families: [dnsFamily, tlsFamily, portsFamily, reputationFamily, patchingFamily, webFamily],
    probes: [
      discoveryProbe,
      emailAuthProbe,
      dnsInfraProbe,
      dnssecProbe,
      tlsEndpointsProbe,
      portsProbe,
      servicesProbe,
      ipReputationProbe,
      webProbe,
      softwareProbe,
    ],
    checks: [
      spfCheck,
      dmarcCheck,
      dkimCheck,
      mxCheck,
      caaCheck,
      wildcardCheck,
      nameServerDiversityCheck,
      nameServerExposureCheck,
      danglingCnameCheck,
      dnssecCheck,
      tlsProtocolCheck,
      tlsCipherCheck,
      tlsCertificateCheck,
      ...NETWORK_SECURITY_CHECKS,
      ipReputationCheck,
      patchingCheck,
      transportCheck,
      headersCheck,
      cookiesCheck,
      contentCheck,
      exposureCheck,
    ],
  },
  { complete: true },
);
