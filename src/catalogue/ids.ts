// Generated from src/catalogue/catalogue.json by `npm run docs`: do not edit by hand.

/** Every finding id of the catalogue, in catalogue order. */
export const FINDING_IDS = [
  'dns.spf.missing',
  'dns.spf.multiple_records',
  'dns.spf.syntax_error',
  'dns.spf.permissive_all',
  'dns.spf.softfail_all',
  'dns.spf.too_many_lookups',
  'dns.spf.void_lookups',
  'dns.spf.include_broken',
  'dns.spf.too_many_mx',
  'dns.dmarc.missing',
  'dns.dmarc.policy_none',
  'dns.dmarc.syntax_error',
  'dns.dmarc.partial_pct',
  'dns.dmarc.no_reporting',
  'dns.dkim.not_found',
  'dns.dkim.weak_key',
  'dns.mx.missing',
  'dns.dnssec.unsigned',
  'dns.dnssec.invalid',
  'dns.caa.missing',
  'dns.axfr.open',
  'dns.cname.dangling',
  'dns.wildcard',
  'dns.ns.single',
  'dns.resolver.open',
  'dns.version_disclosed',
  'darkweb.ransomware_listing',
  'darkweb.phi_exposure',
  'darkweb.access_for_sale',
  'darkweb.data_for_sale',
  'darkweb.credentials_leaked',
  'darkweb.mention',
] as const;
/** A finding id the catalogue defines. */
export type FindingId = (typeof FINDING_IDS)[number];

/** Every control id of the catalogue, in catalogue order. */
export const CONTROL_IDS = [
  'dns.spf.hardfail',
  'dns.dmarc.reject',
  'dns.dkim.strong_key',
  'dns.dnssec.valid',
  'dns.caa.present',
] as const;
/** A control id the catalogue defines. */
export type ControlId = (typeof CONTROL_IDS)[number];
