/**
 * Version order as vendors number their releases: `2.4.49`, `7.4p1` (OpenSSH portable), `9.11.4-P2`
 * (BIND patch releases), `9.11.0rc3`. A version splits into numeric and alphabetic pieces compared in turn;
 * when one version runs out, the longer one is later unless what follows is a pre-release (`rc1`, `beta`,
 * `b1`): `9.11.4` < `9.11.4-P2`, `9.11.0rc3` < `9.11.0`, `7.4` < `7.4p1`, `1.3.5` < `1.3.5b`.
 */

const PRE_RELEASE = new Set(['alpha', 'beta', 'rc', 'pre', 'dev']);

/**
 * Whether the piece at `i` starts a pre-release: a word such as `rc`, or `a`/`b` followed by a number
 * (`9.11.0b1`); a bare trailing letter is a later maintenance release (ProFTPD `1.3.5b`).
 */
function isPreRelease(list: ReadonlyArray<number | string>, i: number): boolean {
  const piece = list[i];
  if (typeof piece !== 'string') return false;
  return PRE_RELEASE.has(piece) || ((piece === 'a' || piece === 'b') && typeof list[i + 1] === 'number');
}

function pieces(version: string): Array<number | string> {
  return (version.toLowerCase().match(/\d+|[a-z]+/g) ?? []).map((p) => (/^\d/.test(p) ? Number(p) : p));
}

/**
 * What may stand at a position, in release order: a pre-release word (`9.11.0rc3` before `9.11.0`), the
 * end of the version, a letter suffix (`1.3.5` before `1.3.5b`, `7.4` before `7.4p1`), a number (`1.0.1`
 * after `1.0rc`, `1.0b`). Ranking every position this way keeps the comparison a total order.
 */
function rankAt(list: ReadonlyArray<number | string>, i: number): number {
  const piece = list[i];
  if (piece === undefined) return 1;
  if (typeof piece === 'number') return 3;
  return isPreRelease(list, i) ? 0 : 2;
}

export function compareVersions(a: string, b: string): number {
  const x = pieces(a);
  const y = pieces(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const rank = rankAt(x, i) - rankAt(y, i);
    if (rank !== 0) return rank < 0 ? -1 : 1;
    const p = x[i]!;
    const q = y[i]!;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

/** An affected range as NVD's cpeMatch gives it; a bound left out is open. */
export interface VersionRange {
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
  /** One exact version (a CPE with a version and no range). */
  version?: string;
}

/**
 * Whether `version` is in `range`. `cpeVersion` is the version attribute of the observation's CPE name when
 * the vendor's version carries an update there (`7.7p1` is `7.7` with update `p1`, `9.11.4-P2` is `9.11.4`
 * with `p2`): NVD ranges compare the version attribute alone, so a bound written without letters (`<= 7.7`,
 * "OpenSSH through 7.7") holds 7.7p1, while a bound with them (`< 9.8p1`) compares the whole version.
 */
export function inRange(version: string, range: VersionRange, cpeVersion: string = version): boolean {
  const against = (bound: string) => compareVersions(/[a-z]/i.test(bound) ? version : cpeVersion, bound);
  if (range.version !== undefined && range.version !== '*' && range.version !== '-')
    return against(range.version) === 0;
  if (range.versionStartIncluding !== undefined && against(range.versionStartIncluding) < 0) return false;
  if (range.versionStartExcluding !== undefined && against(range.versionStartExcluding) <= 0) return false;
  if (range.versionEndIncluding !== undefined && against(range.versionEndIncluding) > 0) return false;
  if (range.versionEndExcluding !== undefined && against(range.versionEndExcluding) >= 0) return false;
  return true;
}

/** `>= 2.4.49, <= 2.4.50` for evidence. */
export function describeRange(range: VersionRange): string {
  const parts: string[] = [];
  if (range.version !== undefined) parts.push(`= ${range.version}`);
  if (range.versionStartIncluding !== undefined) parts.push(`>= ${range.versionStartIncluding}`);
  if (range.versionStartExcluding !== undefined) parts.push(`> ${range.versionStartExcluding}`);
  if (range.versionEndIncluding !== undefined) parts.push(`<= ${range.versionEndIncluding}`);
  if (range.versionEndExcluding !== undefined) parts.push(`< ${range.versionEndExcluding}`);
  return parts.length === 0 ? 'every version' : parts.join(', ');
}
