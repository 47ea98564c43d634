/**
 * The ports a connect scan tries: the default list aimed at healthcare exposure (issue #8: remote access,
 * file sharing, mail, databases, DICOM, HL7, VoIP, web), and the `--ports` syntax that overrides it.
 */

/** Default TCP ports, ascending. */
export const DEFAULT_PORTS: readonly number[] = Object.freeze([
  21, 22, 23, 25, 53, 80, 104, 110, 135, 139, 143, 389, 443, 445, 465, 587, 993, 995, 1433, 1521, 2049, 2575, 3306,
  3389, 3478, 5060, 5432, 5900, 5985, 5986, 6379, 8080, 8443, 9200, 11112, 27017,
]);

/** Most ports one `--ports` list may name: a full 1-65535 range is allowed, nothing past it. */
const MAX_PORTS = 65_535;

/**
 * Parses `--ports`: comma-separated ports and ranges (`22,80,8000-8100`), like nmap's `-p`. Returns the
 * ports ascending without duplicates; throws a RangeError naming the bad item.
 */
export function parsePortList(text: string): number[] {
  const ports = new Set<number>();
  const items = text.split(',').map((s) => s.trim());
  if (items.length === 0 || items.every((s) => s === '')) throw new RangeError('the port list is empty');
  for (const item of items) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(item);
    if (!match) throw new RangeError(`"${item}" is not a port or a range such as 8000-8100`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    for (const port of [from, to])
      if (port < 1 || port > 65535) throw new RangeError(`port ${port} in "${item}" is outside 1-65535`);
    if (to < from) throw new RangeError(`range "${item}" ends before it starts`);
    for (let port = from; port <= to && ports.size <= MAX_PORTS; port++) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}
