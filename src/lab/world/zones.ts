/**
 * Realizes one organization's weaknesses as DNS data, exactly as the table in docs/lab.md says
 * each one appears: its zone (signed or not), the delegation the parent `test` zone carries, its own
 * name servers, and the findings and controls the scanner must report.
 */
import type { Answer } from 'dns-packet';
import { dsForKey, zoneKeyFromSeed } from '../../dnssec/keys.js';
import { signZone, type SignatureWindow } from '../../dnssec/sign.js';
import type { LabNameServer, LabZone } from '../dns/lab-dns.types.js';
import { CNAME_TARGET_SUFFIX } from './hosts.js';
import {
  CDN_ZONE,
  CLOUDSITES_ZONE,
  LAB_TTL,
  MAILHOST_A_DKIM_TARGET,
  MAIL_PROVIDER_MX,
  MX_POOL_SIZE,
  PROVIDER_NAME_SERVERS,
  SPF_INCLUDES,
  SPF_REACH_TERMS,
  VIDEO_PROVIDER_ZONE,
  dkimTxt,
  orgAddress,
  orgSecondaryNsAddress,
  soaRecord,
  splitTxt,
} from './infrastructure.js';
import type { OrgIdentity } from './names.js';
import type { TruthControl, TruthWeakness } from './truth.js';
import { type OrgVariant, SERVER_VERSION_PATCH_FINDINGS } from './variant.js';
import type { DnssecBreakage, LabFindingId } from './weaknesses.js';

/** One name server in an organization's NS set. */
export interface OrgNameServer {
  host: string;
  address: string;
  /** 'own': run by the organization (a LabNameServer of its own); 'provider': a shared provider server. */
  operator: 'own' | 'provider';
}

/** Everything one organization contributes to the lab. */
export interface OrgRealization {
  /** The organization's zone (signed when DNSSEC is on). */
  zone: LabZone;
  /** Records for the parent `test` zone: NS, glue for in-zone name servers, DS when signed. */
  delegation: Answer[];
  /** The NS set. */
  nameServers: OrgNameServer[];
  /** Name servers the organization runs itself. */
  ownServers: LabNameServer[];
  /** Addresses of provider name servers that serve this zone. */
  providerAddresses: string[];
  weaknesses: TruthWeakness[];
  controls: TruthControl[];
}

/** Inputs that fix a realization. */
export interface RealizeInput {
  seed: number;
  identity: OrgIdentity;
  variant: OrgVariant;
  types: readonly LabFindingId[];
  dnssecBreakage: DnssecBreakage;
  selfHostedDns: boolean;
  /** Bumps the SOA serial on every change. */
  revision: number;
  window: SignatureWindow;
}

/** Host numbers within an organization's /24 for special hosts (ordinary hosts count up from 2). */
const HOST_NUMBER = {
  apex: 1,
  aliasTarget: 40,
  mail: 45,
  ns1: 53,
  ns2: 54,
  ctOnly: 100,
  permutationOnly: 120,
  axfrOnly: 150,
  wildcard: 199,
} as const;

/** Builds the organization's zone, delegation, servers and truth entries. */
export function realizeOrganization(input: RealizeInput): OrgRealization {
  const { identity, variant, seed } = input;
  const has = (type: LabFindingId): boolean => input.types.includes(type);
  const apex = identity.domain;
  const org = identity.name;
  const ip = (h: number): string => orgAddress(identity.index, h);
  const records: Answer[] = [];
  const weaknesses: TruthWeakness[] = [];
  const controls: TruthControl[] = [];
  const weakness = (type: LabFindingId, evidence: Record<string, unknown>, host = apex, address?: string): void => {
    weaknesses.push(
      address === undefined
        ? { type, organization: org, host, evidence }
        : { type, organization: org, host, ip: address, evidence },
    );
  };
  const control = (id: string): void => {
    controls.push({ control: id, organization: org, host: apex });
  };
  const add = (name: string, type: Answer['type'], data: unknown, ttl = LAB_TTL): void => {
    records.push({ name, type, ttl, class: 'IN', data } as Answer);
  };

  // Name servers.
  const nameServers = chooseNameServers(input);
  const ownServers: LabNameServer[] = nameServers
    .filter((ns) => ns.operator === 'own')
    .map((ns) => {
      const isPrimary = ns.host === `ns1.${apex}`;
      const server: LabNameServer = {
        address: ns.address,
        zones: [apex],
        recursion: isPrimary && has('dns.resolver.open') ? 'open' : 'refused',
      };
      if (isPrimary && has('dns.version_disclosed')) server.version = variant.serverVersion;
      return server;
    });
  const providerAddresses = input.selfHostedDns
    ? nameServers.filter((ns) => ns.operator === 'provider').map((ns) => ns.address)
    : // The provider serves every zone it hosts on both servers even when the NS set names one.
      PROVIDER_NAME_SERVERS.map((ns) => ns.address);

  records.push(soaRecord(apex, nameServers[0]!.host, input.revision));
  for (const ns of nameServers) add(apex, 'NS', ns.host, 3600);
  for (const ns of nameServers) if (ns.host.endsWith(`.${apex}`)) add(ns.host, 'A', ns.address);

  // Hosts.
  const hosts = variant.hosts;
  add(apex, 'A', ip(HOST_NUMBER.apex));
  let next = 2;
  for (const label of hosts.labels) {
    const name = `${label}.${apex}`;
    if (label === hosts.mailLabel) add(name, 'A', ip(HOST_NUMBER.mail));
    else if (label === 'www' && hosts.www === 'cname-apex') add(name, 'CNAME', apex);
    else if (label === 'www' && hosts.www === 'cname-cdn') add(name, 'CNAME', `${identity.slug}.${CDN_ZONE}`);
    else if (label === 'www') add(name, 'A', ip(HOST_NUMBER.apex));
    else if (hosts.videoLabels.includes(label)) add(name, 'CNAME', `${identity.slug}.${VIDEO_PROVIDER_ZONE}`);
    else if (label === hosts.aliasLabel) {
      const target = `${label}${CNAME_TARGET_SUFFIX}.${apex}`;
      add(name, 'CNAME', target);
      add(target, 'A', ip(HOST_NUMBER.aliasTarget));
    } else add(name, 'A', ip(next++));
  }
  for (const [i, label] of hosts.ctOnly.entries()) add(`${label}.${apex}`, 'A', ip(HOST_NUMBER.ctOnly + i));
  for (const [i, label] of hosts.permutationOnly.entries())
    add(`${label}.${apex}`, 'A', ip(HOST_NUMBER.permutationOnly + i));
  // Internal hosts exist only while the zone leaks them through AXFR: discoverable by nothing else.
  if (has('dns.axfr.open'))
    for (const [i, label] of hosts.axfrOnly.entries()) add(`${label}.${apex}`, 'A', ip(HOST_NUMBER.axfrOnly + i));

  if (has('dns.wildcard')) {
    // The wildcard answers from an address no explicit host uses, so wildcard filtering can work.
    add(`*.${apex}`, 'A', ip(HOST_NUMBER.wildcard));
    weakness('dns.wildcard', { name: `*.${apex}`, address: ip(HOST_NUMBER.wildcard) });
  }
  if (has('dns.cname.dangling')) {
    const owner = `${hosts.danglingLabel}.${apex}`;
    // The target's zone exists but the name does not: NXDOMAIN, the classic takeover set-up.
    const target = `${identity.slug}-${hosts.danglingLabel}.${CLOUDSITES_ZONE}`;
    add(owner, 'CNAME', target);
    weakness('dns.cname.dangling', { target }, owner);
  }

  // Mail: MX, SPF, DMARC, DKIM.
  addMail(input, add, weakness, control);

  // CAA (RFC 8659).
  if (has('dns.caa.missing')) weakness('dns.caa.missing', {});
  else {
    add(apex, 'CAA', { flags: 0, tag: 'issue', value: variant.caaIssuer });
    if (variant.caaIodef) add(apex, 'CAA', { flags: 0, tag: 'iodef', value: `mailto:security@${apex}` });
    control('dns.caa.present');
  }

  // Name-server findings: on the name server's host.
  if (has('dns.ns.single'))
    weakness('dns.ns.single', { nameServers: nameServers.map((ns) => `${ns.host} ${ns.address}`) });
  if (has('dns.axfr.open')) {
    // The zone is open to transfer on every server that serves it.
    for (const ns of nameServers) weakness('dns.axfr.open', { nameServer: ns.host, zone: apex }, ns.host, ns.address);
  }
  const primary = nameServers.find((ns) => ns.host === `ns1.${apex}`);
  if (has('dns.resolver.open') && primary)
    weakness('dns.resolver.open', { nameServer: primary.host }, primary.host, primary.address);
  if (has('dns.version_disclosed') && primary) {
    weakness(
      'dns.version_disclosed',
      { nameServer: primary.host, version: variant.serverVersion },
      primary.host,
      primary.address,
    );
    // The disclosed version is also what the patching check judges.
    for (const type of SERVER_VERSION_PATCH_FINDINGS[
      variant.serverVersion as keyof typeof SERVER_VERSION_PATCH_FINDINGS
    ])
      weaknesses.push({
        type,
        organization: org,
        host: primary.host,
        ip: primary.address,
        evidence: { version: variant.serverVersion },
      });
  }

  // Delegation in `test` (RFC 1034 4.2.1: NS at the cut, glue for in-bailiwick servers).
  const delegation: Answer[] = nameServers.map(
    (ns) => ({ name: apex, type: 'NS', ttl: 3600, class: 'IN', data: ns.host }) as Answer,
  );
  for (const ns of nameServers) {
    if (ns.host.endsWith(`.${apex}`))
      delegation.push({ name: ns.host, type: 'A', ttl: 3600, class: 'IN', data: ns.address });
  }

  // DNSSEC (RFC 4033-4035): DS in the parent only for signed zones.
  let zoneRecords = records;
  if (has('dns.dnssec.unsigned')) weakness('dns.dnssec.unsigned', {});
  else {
    const ksk = zoneKeyFromSeed(apex, 'ksk', `vitals-lab/${seed}/${apex}/ksk`);
    const zsk = zoneKeyFromSeed(apex, 'zsk', `vitals-lab/${seed}/${apex}/zsk`);
    const broken = has('dns.dnssec.invalid') ? input.dnssecBreakage : undefined;
    zoneRecords = signZone(records, apex, { ksk, zsk }, input.window, broken ? { corrupt: broken } : {});
    delegation.push(dsForKey(apex, ksk.dnskey, 2));
    if (broken)
      weakness('dns.dnssec.invalid', {
        reason: broken === 'expired' ? 'expired signatures' : 'signatures do not verify',
      });
    else control('dns.dnssec.valid');
  }

  return {
    zone: { origin: apex, records: zoneRecords, axfr: has('dns.axfr.open') ? 'open' : 'closed' },
    delegation,
    nameServers,
    ownServers,
    providerAddresses,
    weaknesses,
    controls,
  };
}

function chooseNameServers(input: RealizeInput): OrgNameServer[] {
  const apex = input.identity.domain;
  const single = input.types.includes('dns.ns.single');
  const [p1, p2] = PROVIDER_NAME_SERVERS;
  if (!input.selfHostedDns) {
    return single
      ? [{ ...p1, operator: 'provider' }]
      : [
          { ...p1, operator: 'provider' },
          { ...p2, operator: 'provider' },
        ];
  }
  const ns1: OrgNameServer = {
    host: `ns1.${apex}`,
    address: orgAddress(input.identity.index, HOST_NUMBER.ns1),
    operator: 'own',
  };
  if (single) {
    // dns.ns.single: one NS, or two in the same /24 (no network diversity, RFC 2182 section 3.1).
    return input.variant.singleNs === 'alone'
      ? [ns1]
      : [ns1, { host: `ns2.${apex}`, address: orgAddress(input.identity.index, HOST_NUMBER.ns2), operator: 'own' }];
  }
  return input.variant.ns2 === 'provider'
    ? [ns1, { ...p2, operator: 'provider' }]
    : [ns1, { host: `ns2.${apex}`, address: orgSecondaryNsAddress(input.identity.index), operator: 'own' }];
}

type Add = (name: string, type: Answer['type'], data: unknown, ttl?: number) => void;
type Weakness = (type: LabFindingId, evidence: Record<string, unknown>) => void;

function addMail(input: RealizeInput, add: Add, weakness: Weakness, control: (id: string) => void): void {
  const { identity, variant } = input;
  const has = (type: LabFindingId): boolean => input.types.includes(type);
  const apex = identity.domain;

  // MX (RFC 5321 5.1; a null MX "0 ." says the domain receives no mail, RFC 7505).
  if (has('dns.mx.missing')) weakness('dns.mx.missing', {});
  else if (variant.mail === 'own')
    add(apex, 'MX', { preference: 10, exchange: `${variant.hosts.mailLabel ?? 'mail'}.${apex}` });
  else if (variant.mail === 'null') add(apex, 'MX', { preference: 0, exchange: '.' });
  else for (const mx of MAIL_PROVIDER_MX[variant.mail]) add(apex, 'MX', { ...mx });

  for (const text of variant.verificationTxt) add(apex, 'TXT', [text]);
  addSpf(input, add, weakness, control);
  addDmarc(input, add, weakness, control);
  addDkim(input, add, weakness, control);
}

function addSpf(input: RealizeInput, add: Add, weakness: Weakness, control: (id: string) => void): void {
  const { identity, variant } = input;
  const has = (type: LabFindingId): boolean => input.types.includes(type);
  const apex = identity.domain;
  if (has('dns.spf.missing')) {
    weakness('dns.spf.missing', {});
    return;
  }
  // Terms and their DNS-lookup cost (RFC 7208 4.6.4: include, a, mx, ptr, exists, redirect count).
  const terms: Array<{ term: string; lookups: number }> = [];
  const hasTerm = (term: string): boolean => terms.some((t) => t.term === term);
  const noMx = has('dns.mx.missing');
  if (variant.mail === 'own') {
    // `mx` with no MX record would be a void lookup, so a domain without MX authorizes its A instead.
    terms.push(noMx ? { term: 'a', lookups: 1 } : { term: 'mx', lookups: 1 });
    terms.push({ term: `ip4:${orgAddress(identity.index, 1).replace(/\.\d+$/, '.0')}/24`, lookups: 0 });
  } else if (variant.mail === 'mailhost-a') terms.push({ ...SPF_INCLUDES.mailhostA });
  else if (variant.mail === 'mailhost-b') terms.push({ ...SPF_INCLUDES.mailhostB });

  const tooMany = has('dns.spf.too_many_lookups');
  const voids = has('dns.spf.void_lookups');
  const includeBroken = has('dns.spf.include_broken');
  const tooManyMx = has('dns.spf.too_many_mx');
  if (tooMany) {
    // Every provider at once: at least 1 + 4 + 2 + 5 = 12 look-ups.
    for (const extra of [
      { term: 'a', lookups: 1 },
      SPF_INCLUDES.mailhostA,
      SPF_INCLUDES.mailhostB,
      SPF_INCLUDES.bulkmailer,
    ]) {
      if (!hasTerm(extra.term)) terms.push({ ...extra });
    }
  } else if (!voids && !includeBroken && !tooManyMx && variant.mail !== 'null') {
    // Good records may sit right at the limit (4 + 5 + 1 = 10 is still allowed).
    if (variant.spfBulk) terms.push({ ...SPF_INCLUDES.bulkmailer });
    if (variant.spfExtraA && !hasTerm('a')) terms.push({ term: 'a', lookups: 1 });
  }
  const voidNames = [
    `${identity.slug}-relay1.mailhost-a.test`,
    `${identity.slug}-relay2.mailhost-a.test`,
    `${identity.slug}-smtp-old.mailhost-b.test`,
  ];
  // Names in provider zones without wildcards: NXDOMAIN even when the organization has a wildcard.
  if (voids) for (const name of voidNames) terms.push({ term: `a:${name}`, lookups: 1 });
  if (includeBroken) terms.push({ ...SPF_REACH_TERMS.retiredInclude });
  if (tooManyMx) terms.push({ ...SPF_REACH_TERMS.mxPool });

  let all = '-all';
  if (has('dns.spf.softfail_all')) all = '~all';
  else if (has('dns.spf.permissive_all')) all = variant.spfPermissiveAll;
  const body = terms.map((t) => t.term);
  if (has('dns.spf.syntax_error')) body.splice(Math.min(1, body.length), 0, variant.spfBadTerm);
  const record = ['v=spf1', ...body, all].join(' ');
  const lookups = terms.reduce((sum, t) => sum + t.lookups, 0);

  if (has('dns.spf.multiple_records')) {
    // RFC 7208 4.5: more than one record is a permerror; a second team added its own.
    const second = 'v=spf1 include:spf.bulkmailer.test ~all';
    add(apex, 'TXT', splitTxt(record));
    add(apex, 'TXT', [second]);
    weakness('dns.spf.multiple_records', { records: [record, second] });
    return;
  }
  add(apex, 'TXT', splitTxt(record));
  if (has('dns.spf.syntax_error')) {
    weakness('dns.spf.syntax_error', { record, term: variant.spfBadTerm });
    return;
  }
  if (has('dns.spf.permissive_all')) weakness('dns.spf.permissive_all', { record, all });
  if (has('dns.spf.softfail_all')) weakness('dns.spf.softfail_all', { record });
  if (tooMany) weakness('dns.spf.too_many_lookups', { record, lookups });
  if (voids) weakness('dns.spf.void_lookups', { record, voidLookups: voidNames.length, names: voidNames });
  if (includeBroken) weakness('dns.spf.include_broken', { record, term: SPF_REACH_TERMS.retiredInclude.term });
  if (tooManyMx)
    weakness('dns.spf.too_many_mx', { record, term: SPF_REACH_TERMS.mxPool.term, mxRecords: MX_POOL_SIZE });
  // A permerror on the way means evaluations never reach -all.
  if (all === '-all' && !tooMany && !voids && !includeBroken && !tooManyMx) control('dns.spf.hardfail');
}

function addDmarc(input: RealizeInput, add: Add, weakness: Weakness, control: (id: string) => void): void {
  const { identity, variant } = input;
  const has = (type: LabFindingId): boolean => input.types.includes(type);
  const apex = identity.domain;
  const owner = `_dmarc.${apex}`;
  const rua = `mailto:dmarc-reports@${apex}`;
  if (has('dns.dmarc.missing')) {
    weakness('dns.dmarc.missing', {});
    return;
  }
  if (has('dns.dmarc.syntax_error')) {
    const record = variant.dmarcBadRecord.replace('{rua}', rua);
    add(owner, 'TXT', [record]);
    weakness('dns.dmarc.syntax_error', { record });
    return;
  }
  // RFC 7489 6.3: v first, then p; other tags in any order.
  const tags = ['v=DMARC1'];
  let policy: string;
  let pct = 100;
  if (has('dns.dmarc.policy_none')) policy = 'none';
  else if (has('dns.dmarc.partial_pct')) {
    policy = variant.dmarcPartial.policy;
    pct = variant.dmarcPartial.pct;
  } else policy = variant.dmarcGoodPolicy;
  const reporting = !has('dns.dmarc.no_reporting');
  // Without a valid p, only a valid rua makes the record p=none (RFC 7489 6.6.3); with no rua it is malformed.
  const noneForm = policy === 'none' && reporting ? variant.dmarcNoneForm : 'explicit';
  if (noneForm === 'explicit') tags.push(`p=${policy}`);
  else if (noneForm === 'p-invalid') tags.push('p=monitor');
  if (pct !== 100) tags.push(`pct=${pct}`);
  else if (variant.dmarcExplicitPct100 && policy !== 'none') tags.push('pct=100');
  if (reporting) tags.push(`rua=${rua}`);
  if (variant.dmarcStrictAlignment) tags.push('adkim=s', 'aspf=s');
  const record = tags.join('; ');
  add(owner, 'TXT', [record]);
  if (policy === 'none') {
    const p = noneForm === 'explicit' ? 'none' : noneForm === 'p-invalid' ? 'monitor' : 'missing';
    weakness('dns.dmarc.policy_none', noneForm === 'explicit' ? { record } : { record, p, appliedAs: 'p=none' });
  }
  if (pct !== 100) weakness('dns.dmarc.partial_pct', { record, pct });
  if (!reporting) weakness('dns.dmarc.no_reporting', { record });
  if (policy === 'reject' && pct === 100) control('dns.dmarc.reject');
}

function addDkim(input: RealizeInput, add: Add, weakness: Weakness, control: (id: string) => void): void {
  const { identity, variant } = input;
  const has = (type: LabFindingId): boolean => input.types.includes(type);
  const apex = identity.domain;
  const key = (selector: string): string => `${selector}._domainkey.${apex}`;
  // A key at a selector nobody guesses is realistic and still "not found" for a scanner.
  if (variant.dkimUncommonSelector) add(key(variant.dkimUncommonSelector), 'TXT', dkimTxt('rsa2048'));
  if (has('dns.dkim.not_found')) {
    weakness('dns.dkim.not_found', {});
    return;
  }
  if (has('dns.dkim.weak_key')) {
    add(key(variant.dkimSelector), 'TXT', dkimTxt('rsa1024'));
    weakness('dns.dkim.weak_key', { selector: variant.dkimSelector, bits: 1024 });
    return;
  }
  if (variant.mail === 'mailhost-a') {
    // Hosted mail: the selector is a CNAME to the provider's key, as large providers publish it.
    add(key('selector1'), 'CNAME', MAILHOST_A_DKIM_TARGET);
  } else add(key(variant.dkimSelector), 'TXT', dkimTxt('rsa2048'));
  if (variant.dkimEd25519) add(key('k2'), 'TXT', dkimTxt('ed25519'));
  control('dns.dkim.strong_key');
}
