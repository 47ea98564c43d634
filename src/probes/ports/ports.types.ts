/** Typed results of the port scan and of service identification (src/probes/ports/). */

/** nmap's connect-scan states: open (connection accepted), closed (refused: RST), filtered (no answer, or ICMP). */
export type PortState = 'open' | 'closed' | 'filtered';

/** Why a port got its state, in nmap's words (`--reason`): syn-ack, conn-refused, no-response, host-unreach... */
export type PortReason =
  | 'syn-ack'
  | 'conn-refused'
  | 'no-response'
  | 'host-unreach'
  | 'net-unreach'
  | 'admin-prohibited';

export interface PortVerdict {
  port: number;
  state: PortState;
  reason: PortReason;
}

/** The connect scan of one address. Closed ports are only counted: they are the usual case and say nothing. */
export interface AddressPorts {
  address: string;
  /** The discovered hosts (names) that resolve to this address. */
  hosts: string[];
  /** Why nothing was sent to this address (the network policy's refusal), or null. */
  refused: string | null;
  open: number[];
  filtered: PortVerdict[];
  closed: number;
  /** Ports whose state could not be learnt (local errors such as running out of sockets), with the reason. */
  failed: Array<{ port: number; reason: string }>;
}

export interface PortScanObservation {
  /** The ports tried on every address. */
  ports: number[];
  addresses: AddressPorts[];
}

/** Something learnt, or why it could not be. */
export type Assessed<T> = { assessed: true; value: T } | { assessed: false; reason: string };

/** Services identified by talking their protocol (never by port number). */
export type IdentifiedService =
  | { name: 'ssh'; banner: string; software: string; passwordAuth: Assessed<boolean>; authMethods?: string[] }
  | { name: 'ftp'; banner: string; anonymousLogin: Assessed<boolean> }
  | { name: 'smtp'; banner: string; extensions: string[]; starttls: boolean }
  | { name: 'telnet'; banner: string }
  | { name: 'rdp'; selectedProtocol: string | null; nlaRequired: Assessed<boolean>; detail: string }
  | { name: 'smb'; dialect: string; smb1: Assessed<boolean> }
  | { name: 'vnc'; version: string; securityTypes: number[]; noneOffered: Assessed<boolean> }
  | { name: 'mysql'; version: string; noAuth: Assessed<boolean> }
  | { name: 'postgresql'; ssl: boolean; noAuth: Assessed<boolean> }
  | { name: 'redis'; version: string | null; noAuth: Assessed<boolean> }
  | { name: 'mongodb'; version: string | null; noAuth: Assessed<boolean> }
  | { name: 'elasticsearch'; version: string | null; noAuth: Assessed<boolean> }
  /** PRELOGIN's VERSION (major.minor.build) and ENCRYPTION (off, on, not_supported, required, unknown). */
  | { name: 'mssql'; version: string | null; encryption: string }
  /** The listener's reply to a TNS CONNECT (accept, refuse, redirect, resend) and VSNNUM's version. */
  | { name: 'oracle'; version: string | null; reply: string }
  | { name: 'dicom'; associationAccepted: boolean; echo: Assessed<boolean>; detail: string }
  | { name: 'hl7'; acknowledgment: string }
  | { name: 'sip'; status: string; server: string | null }
  | { name: 'stun'; software: string | null }
  | { name: 'http'; status: number; server: string | null }
  | { name: 'tls'; record: string }
  | { name: 'dns' }
  | { name: 'pop3' | 'imap'; banner: string };

export type ServiceName = IdentifiedService['name'];

/** One open port: the service found there, or why none could be named. */
export type PortService =
  | { port: number; transport: 'tcp' | 'udp'; identified: true; service: IdentifiedService }
  | { port: number; transport: 'tcp' | 'udp'; identified: false; reason: string };

export interface AddressServices {
  address: string;
  hosts: string[];
  /** Copied from the port scan: a refused address has no services and nothing known about it. */
  refused: string | null;
  /** Ports the connect scan could not decide (local errors): what runs there is unknown. */
  undecided: number[];
  services: PortService[];
}

export interface ServiceObservation {
  addresses: AddressServices[];
}
