/**
 * The blind DNS world: parses world.zone (syntax in its header) into zones and name-server behaviours.
 * Written for the blind test set only; it shares no code with the scanner or the project's lab.
 */
import { readFileSync } from 'node:fs';

export type RecordData = string | string[] | Record<string, unknown>;

/** One resource record in dns-packet's answer shape (names lower-case, no trailing dot). */
export interface Rr {
  name: string;
  type: string;
  ttl: number;
  class?: string;
  data: RecordData | Buffer[] | Record<string, unknown>;
}

export type SignMode = 'ok' | 'split' | 'expired' | 'badsig' | 'ds-mismatch';

export interface Organization {
  name: string;
  sector: string;
  telehealth: boolean;
}

export interface Zone {
  origin: string;
  org?: Organization;
  sign?: SignMode;
  /** The zone's servers are broken: the resolver answers SERVFAIL at and below the origin. */
  servfail: boolean;
  /** Names published in Certificate Transparency logs. */
  ct: string[];
  records: Rr[];
}

export type RecursionMode = 'refused' | 'refused-ra' | 'referral' | 'open';

export interface ServerSpec {
  ip: string;
  recursion: RecursionMode;
  version?: string;
  id?: string;
  /** Answer to CHAOS queries it has no string for. */
  chaos: 'refused' | 'notimp';
  /** Zones this server transfers to anyone. */
  axfr: Set<string>;
  /** Answer to a refused transfer. */
  axfrDeny: 'refused' | 'notauth';
  /** Zones the server is listed for but does not serve. */
  lame: Set<string>;
}

export interface World {
  zones: Zone[];
  servers: ServerSpec[];
}

const DEFAULT_TTL = 3600;

/** Lower-case, no trailing dot; the root is ''. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Splits a line into words; a "quoted string" (which may follow `key=`) stays inside one word. */
function words(line: string): string[] {
  return line.match(/(?:[^\s"]+|"(?:[^"\\]|\\.)*")+/g) ?? [];
}

function unquote(word: string): string {
  return word.startsWith('"') ? word.slice(1, -1).replace(/\\(.)/g, '$1') : word;
}

/** Splits text into DNS character-strings of at most 255 bytes (how operators' tools publish long keys). */
function characterStrings(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 255) parts.push(bytes.subarray(i, i + 255).toString('utf8'));
  return parts.length === 0 ? [''] : parts;
}

export function loadDkimKeys(path: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [name, key] = line.trim().split(/\s+/);
    if (name && key && !name.startsWith('#')) keys.set(name, key);
  }
  return keys;
}

function parseServer(args: string[]): ServerSpec {
  const spec: ServerSpec = {
    ip: args[0]!,
    recursion: 'refused',
    chaos: 'refused',
    axfr: new Set(),
    axfrDeny: 'refused',
    lame: new Set(),
  };
  for (const arg of args.slice(1)) {
    const eq = arg.indexOf('=');
    const key = arg.slice(0, eq);
    const value = unquote(arg.slice(eq + 1));
    if (key === 'recursion') spec.recursion = value as RecursionMode;
    else if (key === 'version') spec.version = value;
    else if (key === 'id') spec.id = value;
    else if (key === 'chaos') spec.chaos = value as ServerSpec['chaos'];
    else if (key === 'axfr') spec.axfr = new Set(value.split(',').map(canonicalName));
    else if (key === 'axfr-deny') spec.axfrDeny = value as ServerSpec['axfrDeny'];
    else if (key === 'lame') spec.lame = new Set(value.split(',').map(canonicalName));
    else throw new Error(`world.zone: unknown $SERVER option ${arg}`);
  }
  return spec;
}

function absolute(name: string, origin: string): string {
  if (name === '@') return origin;
  if (name.endsWith('.')) return canonicalName(name);
  return canonicalName(`${name}.${origin}`);
}

function recordData(type: string, rdata: string[], origin: string, keys: Map<string, string>): Rr['data'] {
  switch (type) {
    case 'A':
    case 'AAAA':
      return rdata[0]!;
    case 'NS':
    case 'CNAME':
      return absolute(rdata[0]!, origin);
    case 'MX':
      return { preference: Number(rdata[0]), exchange: rdata[1] === '.' ? '.' : absolute(rdata[1]!, origin) };
    case 'CAA':
      return { flags: Number(rdata[0]), tag: rdata[1]!, value: unquote(rdata[2]!) };
    case 'TXT': {
      const expand = (s: string) =>
        s.replace(/\{dkim:([\w-]+)\}/g, (_, key: string) => {
          const value = keys.get(key);
          if (!value) throw new Error(`world.zone: unknown DKIM key ${key}`);
          return value;
        });
      // Each quoted word is one character-string as written; an over-long one is split as tools do.
      return rdata.flatMap((w) => characterStrings(expand(unquote(w))));
    }
    default:
      throw new Error(`world.zone: unsupported type ${type}`);
  }
}

/** Drops a `;` comment: a semicolon outside quotes at the start of the line or after white space. */
function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

export function parseWorld(text: string, keys: Map<string, string>): World {
  const zones: Zone[] = [];
  const servers: ServerSpec[] = [];
  let zone: Zone | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = stripComment(raw).trim();
    if (line === '') return;
    const w = words(line);
    const where = `world.zone:${index + 1}`;
    if (w[0] === '$SERVER') {
      servers.push(parseServer(w.slice(1)));
      return;
    }
    if (w[0] === '$ZONE') {
      zone = { origin: canonicalName(w[1]!), servfail: false, ct: [], records: [] };
      zones.push(zone);
      return;
    }
    if (!zone) throw new Error(`${where}: record outside a zone`);
    if (w[0] === '$ORG') {
      const [name, sector, telehealth] = line
        .slice('$ORG'.length)
        .split('|')
        .map((s) => s.trim());
      zone.org = { name: name!, sector: sector!, telehealth: telehealth === 'yes' };
    } else if (w[0] === '$SIGN') zone.sign = w[1] as SignMode;
    else if (w[0] === '$SERVFAIL') zone.servfail = true;
    else if (w[0] === '$CT') zone.ct.push(...w.slice(1).map(canonicalName));
    else {
      const owner = absolute(w[0]!, zone.origin);
      const hasTtl = /^\d+$/.test(w[1]!);
      const ttl = hasTtl ? Number(w[1]) : DEFAULT_TTL;
      const type = w[hasTtl ? 2 : 1]!.toUpperCase();
      const rdata = w.slice(hasTtl ? 3 : 2);
      zone.records.push({ name: owner, type, ttl, data: recordData(type, rdata, zone.origin, keys) });
    }
  });
  return { zones, servers };
}
