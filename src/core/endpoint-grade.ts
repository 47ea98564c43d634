/** The grades a scan gives each web and TLS endpoint (src/scanner/endpoint-grades.ts computes them). */

/**
 * One endpoint's grade: `tls` is the SSL Labs-style grade of a TLS endpoint (host, address, port);
 * `headers` is the Observatory-style header grade of a host's web site (its HTTP and HTTPS answers
 * together, so no port).
 */
export interface EndpointGrade {
  kind: 'tls' | 'headers';
  host: string;
  address: string;
  port: number | null;
  /** `A+` to `F`; for TLS also `T` (not trusted) and `M` (name mismatch). */
  grade: string;
  /** 0 to 100 for TLS; the Observatory's score (0 and up, 100 and more with extra credit) for headers. */
  score: number;
}

/** What the web probe recognised on one host. */
export interface AssetFingerprint {
  host: string;
  /** CPE 2.3 names of the products it runs, where they are exposed. */
  cpes: string[];
  /** Whether it serves telehealth (video visits, WebRTC/TURN configuration, a telehealth vendor's pages). */
  telehealth: boolean;
}
