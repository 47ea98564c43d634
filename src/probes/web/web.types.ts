/**
 * Typed result of the web probe: per discovered host, what its HTTP and HTTPS endpoints answered, as
 * facts (headers, cookies, redirects, what the page holds). No judgement here: the checks in
 * src/checks/application_security/ decide what is a weakness.
 */
import type { ProbeErrorReason } from '../../core/types.js';

export type WebScheme = 'http' | 'https';

export type { HeaderPair } from '../../core/http-headers.js';
import type { HeaderPair } from '../../core/http-headers.js';

/** The certificate check done while fetching over HTTPS (the TLS probe judges certificates; this only records). */
export interface WebTlsFacts {
  /** Whether the chain verified against the trust store for the host name. */
  verified: boolean;
  /** OpenSSL's reason when it did not (`DEPTH_ZERO_SELF_SIGNED_CERT`, `CERT_HAS_EXPIRED`...). */
  error?: string;
  /** Negotiated protocol (`TLSv1.3`). */
  protocol?: string;
}

/** One form of a page. */
export interface FormFacts {
  /** The action as written ('' when absent: the form posts to the page itself). */
  action: string;
  method: string;
  /** Whether the form holds an `<input type=password>`. */
  hasPassword: boolean;
}

/** One `<script src>`. */
export interface ScriptFacts {
  src: string;
  integrity?: string;
  crossorigin?: string;
}

/** What a page holds, read in one linear pass (no script is executed). */
export interface PageFacts {
  title?: string;
  /** `<meta name=generator>`. */
  generator?: string;
  forms: FormFacts[];
  scripts: ScriptFacts[];
  /** Inline `<script>` elements (no src). */
  inlineScripts: number;
  /** URLs of sub-resources a browser loads (img, iframe, link stylesheet, media, embed, object, script), as written. */
  resources: Array<{ element: string; url: string }>;
  /** `<meta http-equiv>` name (lower case) and content, and `<meta name=referrer>` as `referrer`. */
  metaHeaders: HeaderPair[];
  /** Visible text, whitespace-collapsed, first few KB (for fingerprints: product names, banners). */
  text: string;
  /** Link targets (`<a href>`), first 200. */
  links: string[];
  /** Strings a page uses for WebRTC set-up (`RTCPeerConnection`, `turn:` / `stun:` URLs) in its inline scripts. */
  webrtc: string[];
}

/** One request and its answer. */
export interface WebExchange {
  method: 'GET' | 'OPTIONS';
  url: string;
  status: number;
  headers: HeaderPair[];
  /** Where a redirect pointed (resolved against `url`). */
  location?: string;
  /** Bytes of body received (capped). */
  bodyBytes: number;
}

/** Facts about one response's body. */
export interface BodyFacts {
  contentType?: string;
  /** Page facts when the body is HTML. */
  page?: PageFacts;
}

/** A sensitive path fetched, and whether its content confirmed the exposure. */
export interface SensitivePathResult {
  path: string;
  /** What was checked (`git HEAD reference`, `zip archive`...). */
  kind: string;
  status: number;
  /** True only when the content matched what the file really holds (never from the status alone). */
  confirmed: boolean;
  /** A short, safe excerpt of what confirmed it (never secrets: .env values are masked). */
  excerpt?: string;
}

/** A JavaScript library with a version, and where it was seen. */
export interface LibrarySighting {
  /** retire.js component name (`jquery`). */
  library: string;
  version: string;
  url: string;
  /** How the version was read: from the file name, or from the file's banner comment. */
  via: 'filename' | 'filecontent' | 'uri';
}

/** A product recognised from headers or a page, as a CPE 2.3 name when it has a vendor and product. */
export interface ProductSighting {
  product: string;
  version?: string;
  /** `cpe:2.3:a:vendor:product:version:*:*:*:*:*:*:*`. */
  cpe?: string;
  /** Where it was seen (`Server header`, `page title`...). */
  evidence: string;
  /** What the product is. */
  category: 'web-server' | 'framework' | 'application' | 'remote-access' | 'telehealth' | 'patient-portal';
}

/** The CORS answer to a cross-origin request from an origin Vitals made up. */
export interface CorsFacts {
  /** The origin sent. */
  origin: string;
  allowOrigin?: string;
  allowCredentials?: string;
}

/** One endpoint (scheme and port) of a host. */
export type WebEndpoint =
  | { scheme: WebScheme; port: number; state: 'closed' }
  | { scheme: WebScheme; port: number; state: 'failed'; reason: ProbeErrorReason; detail: string }
  | AnsweredEndpoint;

export interface AnsweredEndpoint {
  scheme: WebScheme;
  port: number;
  state: 'answered';
  tls?: WebTlsFacts;
  /** The certificate check of the origin the redirects ended at, when it is HTTPS. */
  finalTls?: WebTlsFacts;
  /** Every request of the root's session in order: the root, each redirect followed, the final answer. */
  chain: WebExchange[];
  /** The final URL reached (where the last exchange was). */
  finalUrl: string;
  /** A redirect that left the organization's scope (recorded, not followed). */
  leftScope?: string;
  /** The final answer's body facts. */
  body: BodyFacts;
  /** Set-Cookie headers of the whole session (root chain and /robots.txt), as sent. */
  cookies: string[];
  cors?: CorsFacts;
  sensitive: SensitivePathResult[];
  libraries: LibrarySighting[];
}

/** One host with an address, and its endpoints. */
export interface WebHost {
  host: string;
  /** The address connected to (from discovery: the scanner's resolver, never the OS). */
  address: string;
  endpoints: WebEndpoint[];
  products: ProductSighting[];
  /** Whether the host serves telehealth (a video-visit page, WebRTC/TURN set-up, a known platform). */
  telehealth: boolean;
}

export interface WebObservation {
  domain: string;
  hosts: WebHost[];
}
