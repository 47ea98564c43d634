/**
 * Typed result of the TLS probe: per endpoint (host, address, port), what the server answered to the
 * ClientHellos Vitals built (versions, suites, preference, groups) and the certificate chain it sent.
 * Observations only: the checks in src/checks/tls/ judge them.
 */
import type { ProbeErrorReason } from '../../core/types.js';
import type { TlsVersion } from '../../tls/cipher-suites.js';

export type { TlsVersion } from '../../tls/cipher-suites.js';

export interface TlsEndpointRef {
  /** The host name (SNI and the name the certificate must match). */
  host: string;
  /** The address connected to, from the scanner's resolver. */
  address: string;
  port: number;
}

/** How the server's key exchange of one accepted suite was seen (ServerKeyExchange, TLS 1.3 key_share). */
export type KeyExchangeSeen =
  | { kind: 'ecdhe'; group: string; rsaEquivalentBits: number | null }
  | { kind: 'dhe'; bits: number }
  | { kind: 'rsa' }
  | { kind: 'other' };

export interface AcceptedSuite {
  /** Two-byte code (three-byte kind for SSLv2). */
  code: number;
  /** IANA name, or the code in hex when unknown. */
  name: string;
  keyExchange: KeyExchangeSeen;
}

export interface VersionSupport {
  version: TlsVersion;
  supported: boolean;
  /** Accepted suites; in the server's order of preference when `serverPreference` is true. */
  suites: AcceptedSuite[];
  /** Whether the server picks by its own order (null: fewer than two suites to tell). */
  serverPreference: boolean | null;
}

export interface CertificateFacts {
  /** DER, base64. */
  der: string;
  subject: string;
  issuer: string;
  /** ISO-8601. */
  notBefore: string;
  notAfter: string;
  /** subjectAltName dNSName entries, lower case. */
  dnsNames: string[];
  ipAddresses: string[];
  /** Subject common names (only consulted when there is no dNSName, RFC 6125 6.4.4). */
  commonNames: string[];
  keyType: 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'other';
  keyBits: number;
  /** The signature's hash, lower case (`sha256`, `sha1`, `md5`...), or the algorithm's name. */
  signatureHash: string;
  signatureAlgorithm: string;
  /** Issuer and subject are the same and the certificate verifies with its own key. */
  selfSigned: boolean;
  isCa: boolean;
  fingerprintSha256: string;
}

/**
 * Whether the chain as sent leads to a trust anchor of the store: `trusted`; `incomplete` when it does
 * only with an intermediate the server did not send (known from the trust file, as browsers preload
 * intermediates); `untrusted` when it does not at all.
 */
export interface ChainTrust {
  status: 'trusted' | 'incomplete' | 'untrusted';
  /** Subjects from the leaf to the anchor (or as far as the path went). */
  path: string[];
  detail: string;
}

export interface CertificateObservation {
  /** In the order the server sent them: the leaf first. */
  chain: CertificateFacts[];
  trust: ChainTrust;
  /** How the chain was read: from the plaintext Certificate message (TLS 1.2 and older) or node:tls (TLS 1.3). */
  source: 'handshake' | 'tls13';
}

export interface TlsServiceObservation {
  status: 'completed';
  /** When the endpoint was assessed (ISO-8601): certificates are judged at this time. */
  observedAt: string;
  versions: VersionSupport[];
  /** Key-exchange groups the server accepted, by name. */
  groups: string[];
  certificate: CertificateObservation | null;
  /** Why there is no certificate (anonymous suites only, a failed TLS 1.3 read), when there is none. */
  certificateMissing?: string;
  /** TLS connections the assessment opened. */
  connections: number;
}

export type TlsEndpointObservation = TlsEndpointRef &
  (
    | TlsServiceObservation
    /** Nothing listens (refused), or nothing answered the TCP connection: no TLS service to judge. */
    | { status: 'no_service'; detail: string }
    /** A TLS service could not be assessed (garbage, a stall, oversized replies, the policy): never a pass. */
    | { status: 'not_assessed'; reason: ProbeErrorReason; detail: string }
  );

export interface TlsObservation {
  domain: string;
  /** Ports tried on every host. */
  ports: number[];
  endpoints: TlsEndpointObservation[];
}
