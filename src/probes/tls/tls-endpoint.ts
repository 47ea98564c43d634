/**
 * The assessment of one TLS endpoint (host, address, port), every connection through the NetworkGuard:
 *
 * 1. Versions: a ClientHello per version (TLS 1.2 first: refused or unreachable there means no service);
 *    a version is supported when the server answers with a ServerHello for exactly that version.
 * 2. Suites per version the way sslscan finds them: offer every suite, note the one chosen, offer the rest,
 *    until the server refuses; SSLv2 lists its cipher kinds in SERVER-HELLO.
 * 3. Preference: offer the accepted suites in reverse; the server keeping its first means its own order.
 * 4. Groups: one group per hello (TLS 1.3 key_share or HelloRetryRequest, else TLS 1.2 ServerKeyExchange).
 * 5. The chain as sent (plaintext Certificate of TLS 1.2 and older, or node:tls for TLS 1.3-only servers)
 *    and its trust against the store.
 *
 * Anything unexpected (garbage, a stall, oversized messages, a suite not offered) makes the endpoint
 * `not_assessed` with the reason: never a partial pass.
 */
import { X509Certificate } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import type { ProbeErrorReason } from '../../core/types.js';
import { isRefusal, type NetworkGuard } from '../../net/guarded-socket.js';
import {
  cipherSuite,
  LEGACY_SUITE_CODES,
  SSLV2_CIPHER_CODES,
  suiteName,
  TLS13_SUITE_CODES,
  type TlsVersion,
} from '../../tls/cipher-suites.js';
import { certificateFacts, chainTrust, type TrustStore } from './certificate.js';
import { buildClientHello, buildSslv2ClientHello } from './client-hello.js';
import { type ExchangeLimits, type ExchangeOutcome, exchangeHello } from './hello-exchange.js';
import { NAMED_GROUPS, type NamedGroup, groupName, namedGroup } from './named-groups.js';
import type { ServerHelloInfo, ServerReply } from './server-reply.js';
import type {
  AcceptedSuite,
  CertificateObservation,
  KeyExchangeSeen,
  TlsEndpointObservation,
  TlsEndpointRef,
  VersionSupport,
} from './tls.types.js';

export interface EndpointSettings {
  guard: NetworkGuard;
  trust: TrustStore;
  limits: ExchangeLimits;
  /** The whole endpoint's assessment must end within this. */
  endpointTimeoutMs: number;
  /** Connections one endpoint may take (a server accepting hundreds of suites is cut off here). */
  maxConnections: number;
  /** Test key-exchange groups one by one. */
  groups: boolean;
  now: () => Date;
}

/** Raised inside an assessment: the endpoint is not assessed, with this reason. */
class Unassessable extends Error {
  constructor(
    readonly reason: ProbeErrorReason,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** A suite accepted for some version: what the server chose, and the reply it came in. */
interface Accepted {
  hello: ServerHelloInfo;
  reply: ServerReply;
}

const ORDER: readonly TlsVersion[] = ['TLSv1.2', 'TLSv1.3', 'TLSv1.1', 'TLSv1.0', 'SSLv3', 'SSLv2'];
/** Accepted suites enumerated per version at most. */
const MAX_SUITES_PER_VERSION = 64;

export async function assessEndpoint(ref: TlsEndpointRef, settings: EndpointSettings): Promise<TlsEndpointObservation> {
  const session = new EndpointSession(ref, settings);
  try {
    return { ...ref, ...(await session.run()) };
  } catch (error) {
    if (error instanceof NoService) return { ...ref, status: 'no_service', detail: error.message };
    if (error instanceof Unassessable)
      return { ...ref, status: 'not_assessed', reason: error.reason, detail: error.detail };
    throw error;
  }
}

class NoService extends Error {}

class EndpointSession {
  private connections = 0;
  private readonly deadline: number;
  private certificate: Buffer[] | null = null;

  constructor(
    private readonly ref: TlsEndpointRef,
    private readonly settings: EndpointSettings,
  ) {
    this.deadline = Date.now() + settings.endpointTimeoutMs;
  }

  async run() {
    const observedAt = this.settings.now().toISOString();
    const versions = new Map<TlsVersion, VersionSupport>();
    for (const version of ORDER) versions.set(version, await this.version(version));
    const ordered = (['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map(
      (v) => versions.get(v)!,
    );
    const groups = this.settings.groups ? await this.groups(versions) : [];
    const certificate = await this.certificateObservation(versions);
    return {
      status: 'completed' as const,
      observedAt,
      versions: ordered,
      groups,
      certificate: certificate.observation,
      ...(certificate.missing ? { certificateMissing: certificate.missing } : {}),
      connections: this.connections,
    };
  }

  private async exchange(hello: Buffer, sslv2: boolean, wholeFlight: boolean): Promise<ExchangeOutcome> {
    if (this.connections >= this.settings.maxConnections)
      throw new Unassessable('other', `the assessment needed more than ${this.settings.maxConnections} connections`);
    const left = this.deadline - Date.now();
    if (left <= 0)
      throw new Unassessable('timeout', `the assessment took longer than ${this.settings.endpointTimeoutMs} ms`);
    this.connections++;
    const limits = {
      ...this.settings.limits,
      replyTimeoutMs: Math.min(this.settings.limits.replyTimeoutMs, left),
    };
    const reader = { sslv2, wholeFlight, maxBytes: limits.maxBytes };
    return exchangeHello(this.settings.guard, this.ref.address, this.ref.port, hello, reader, limits);
  }

  /** The reply to one hello: accepted (a ServerHello for `version`), or null when the server declined. */
  private async offer(
    version: TlsVersion,
    suites: readonly number[],
    groups?: readonly NamedGroup[],
  ): Promise<Accepted | null> {
    const sslv2 = version === 'SSLv2';
    const hello = sslv2
      ? buildSslv2ClientHello(suites)
      : buildClientHello({ version, suites, serverName: this.serverName(), ...(groups ? { groups } : {}) });
    const outcome = await this.exchange(hello, sslv2, !sslv2);
    const first = this.connections === 1;
    switch (outcome.kind) {
      case 'refused':
      case 'unreachable':
        if (first) throw new NoService(outcome.detail);
        throw new Unassessable('network_error', `${outcome.detail} in the middle of the assessment`);
      case 'policy_refused':
        throw new Unassessable('policy_refused', outcome.detail);
      case 'timeout':
        throw new Unassessable('timeout', `${version} ClientHello: ${outcome.detail}`);
      case 'closed':
        return null;
      case 'reply':
        return this.interpret(version, suites, outcome.reply);
    }
  }

  private interpret(version: TlsVersion, offered: readonly number[], reply: ServerReply): Accepted | null {
    switch (reply.kind) {
      case 'malformed':
        throw new Unassessable('malformed_reply', `${version} ClientHello: ${reply.detail}`);
      case 'alert':
      case 'sslv2_error':
        return null;
      case 'sslv2_server_hello': {
        if (version !== 'SSLv2') throw new Unassessable('malformed_reply', `an SSLv2 reply to a ${version} hello`);
        const hello: ServerHelloInfo = {
          version: 'SSLv2',
          versionCode: 2,
          cipherSuite: reply.cipherKinds[0] ?? -1,
          helloRetry: false,
          keyShareGroup: null,
        };
        return { hello, reply };
      }
      case 'server_hello': {
        if (reply.hello.version !== version) return null;
        if (!offered.includes(reply.hello.cipherSuite))
          throw new Unassessable(
            'malformed_reply',
            `${version}: the server chose ${suiteName(reply.hello.cipherSuite)}, which was not offered`,
          );
        if (!reply.complete && version !== 'TLSv1.3')
          throw new Unassessable('malformed_reply', `${version}: the server stopped before ServerHelloDone`);
        return { hello: reply.hello, reply };
      }
    }
  }

  private serverName(): string | null {
    // RFC 6066 3: no IP literals in SNI.
    return /^[\d.]+$|:/.test(this.ref.host) ? null : this.ref.host;
  }

  private async version(version: TlsVersion): Promise<VersionSupport> {
    if (version === 'SSLv2') {
      const accepted = await this.offer('SSLv2', SSLV2_CIPHER_CODES);
      const kinds = accepted?.reply.kind === 'sslv2_server_hello' ? accepted.reply.cipherKinds : [];
      return {
        version,
        supported: accepted !== null,
        suites: kinds.map((code) => ({ code, name: suiteName(code, true), keyExchange: { kind: 'rsa' } })),
        serverPreference: null,
      };
    }
    let remaining = [...(version === 'TLSv1.3' ? TLS13_SUITE_CODES : LEGACY_SUITE_CODES)];
    const suites: AcceptedSuite[] = [];
    while (remaining.length > 0 && suites.length < MAX_SUITES_PER_VERSION) {
      const accepted = await this.offer(version, remaining);
      if (accepted === null) break;
      const code = accepted.hello.cipherSuite;
      suites.push({ code, name: suiteName(code), keyExchange: this.keyExchange(accepted) });
      this.keepCertificate(accepted);
      remaining = remaining.filter((c) => c !== code);
    }
    const serverPreference = suites.length >= 2 ? await this.preference(version, suites) : null;
    return { version, supported: suites.length > 0, suites, serverPreference };
  }

  private keyExchange(accepted: Accepted): KeyExchangeSeen {
    const { hello, reply } = accepted;
    if (hello.version === 'TLSv1.3') {
      const group = hello.keyShareGroup;
      return group === null
        ? { kind: 'other' }
        : { kind: 'ecdhe', group: groupName(group), rsaEquivalentBits: namedGroup(group)?.rsaEquivalentBits ?? null };
    }
    const ske = reply.kind === 'server_hello' ? reply.keyExchange : null;
    if (ske?.kind === 'ecdhe' && ske.group !== undefined)
      return {
        kind: 'ecdhe',
        group: groupName(ske.group),
        rsaEquivalentBits: namedGroup(ske.group)?.rsaEquivalentBits ?? null,
      };
    if (ske?.kind === 'dhe' && ske.dhBits !== undefined) return { kind: 'dhe', bits: ske.dhBits };
    const suite = cipherSuite(hello.cipherSuite);
    if (suite && /^RSA/.test(suite.keyExchange) && !suite.export) return { kind: 'rsa' };
    return { kind: 'other' };
  }

  private keepCertificate(accepted: Accepted): void {
    if (this.certificate !== null || accepted.reply.kind !== 'server_hello') return;
    const certificates = accepted.reply.certificates;
    if (certificates && certificates.length > 0) this.certificate = certificates;
  }

  private async preference(version: TlsVersion, suites: readonly AcceptedSuite[]): Promise<boolean | null> {
    const reversed = suites.map((s) => s.code).reverse();
    const accepted = await this.offer(version, reversed);
    if (accepted === null) return null;
    if (accepted.hello.cipherSuite === suites[0]!.code) return true;
    if (accepted.hello.cipherSuite === reversed[0]) return false;
    return null;
  }

  private async groups(versions: ReadonlyMap<TlsVersion, VersionSupport>): Promise<string[]> {
    const found: string[] = [];
    const tls13 = versions.get('TLSv1.3')!;
    if (tls13.supported) {
      for (const group of NAMED_GROUPS) {
        const accepted = await this.offer('TLSv1.3', TLS13_SUITE_CODES, [group]);
        if (accepted?.hello.keyShareGroup === group.code) found.push(group.name);
      }
      return found;
    }
    const legacy = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0'] as const).map((v) => versions.get(v)!).find((v) => v.supported);
    const ecdhe = legacy?.suites.filter((s) => s.keyExchange.kind === 'ecdhe').map((s) => s.code) ?? [];
    if (!legacy || ecdhe.length === 0) return found;
    for (const group of NAMED_GROUPS.filter((g) => g.code < 0x0100)) {
      const accepted = await this.offer(legacy.version, ecdhe, [group]);
      if (accepted && accepted.reply.kind === 'server_hello' && accepted.reply.keyExchange?.group === group.code)
        found.push(group.name);
    }
    return found;
  }

  private async certificateObservation(
    versions: ReadonlyMap<TlsVersion, VersionSupport>,
  ): Promise<{ observation: CertificateObservation | null; missing?: string }> {
    let source: CertificateObservation['source'] = 'handshake';
    let ders = this.certificate;
    if (ders === null && versions.get('TLSv1.3')!.supported) {
      ders = await this.tls13Chain();
      source = 'tls13';
    }
    if (ders === null || ders.length === 0) {
      const anyVersion = [...versions.values()].some((v) => v.supported);
      return { observation: null, missing: anyVersion ? 'the server sent no certificate' : 'no version accepted' };
    }
    let certificates: X509Certificate[];
    try {
      certificates = ders.map((der) => new X509Certificate(der));
    } catch (error) {
      throw new Unassessable('malformed_reply', `a certificate that does not parse: ${(error as Error).message}`);
    }
    return {
      observation: {
        chain: certificates.map(certificateFacts),
        trust: chainTrust(certificates, this.settings.trust),
        source,
      },
    };
  }

  /** The chain of a TLS 1.3-only server (encrypted in the handshake): node:tls over a guarded socket. */
  private tls13Chain(): Promise<Buffer[]> {
    if (this.connections >= this.settings.maxConnections)
      throw new Unassessable('other', `the assessment needed more than ${this.settings.maxConnections} connections`);
    this.connections++;
    const socket = this.settings.guard.connect(this.ref.address, this.ref.port);
    if (isRefusal(socket)) throw new Unassessable('policy_refused', socket.reason);
    const timeoutMs = Math.max(1, Math.min(this.settings.limits.replyTimeoutMs, this.deadline - Date.now()));
    return new Promise<Buffer[]>((resolve, reject) => {
      const name = this.serverName();
      const tls = tlsConnect({
        socket,
        ...(name ? { servername: name } : {}),
        rejectUnauthorized: false,
        minVersion: 'TLSv1.3',
      });
      const timer = setTimeout(() => {
        tls.destroy();
        reject(new Unassessable('timeout', `TLS 1.3 handshake for the certificate: nothing within ${timeoutMs} ms`));
      }, timeoutMs);
      tls.once('secureConnect', () => {
        clearTimeout(timer);
        const chain: Buffer[] = [];
        let cert = tls.getPeerCertificate(true);
        const seen = new Set<string>();
        while (cert?.raw && !seen.has(cert.fingerprint256) && chain.length < 16) {
          seen.add(cert.fingerprint256);
          chain.push(Buffer.from(cert.raw));
          cert = cert.issuerCertificate;
        }
        tls.destroy();
        resolve(chain);
      });
      tls.once('error', (error) => {
        clearTimeout(timer);
        tls.destroy();
        reject(new Unassessable('network_error', `TLS 1.3 handshake for the certificate: ${error.message}`));
      });
    });
  }
}
