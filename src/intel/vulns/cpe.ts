/**
 * CPE 2.3 formatted-string names (NISTIR 7695 section 6.2): `cpe:2.3:part:vendor:product:version:update:
 * edition:language:sw_edition:target_sw:target_hw:other`, `*` for ANY and `-` for NA; characters other
 * than letters, digits, `_`, `.` and `-` inside a value are escaped with a backslash (a value's lone `-` is NA),
 * so `cpe:2.3:a:isc:bind:9.11.4:p2:*:*:*:*:*:*` reads as NVD writes it.
 */

export const CPE_ATTRIBUTES = [
  'part',
  'vendor',
  'product',
  'version',
  'update',
  'edition',
  'language',
  'sw_edition',
  'target_sw',
  'target_hw',
  'other',
] as const;
export type CpeName = Record<(typeof CPE_ATTRIBUTES)[number], string>;

function escapeValue(value: string): string {
  if (value === '*' || value === '-' || value === '') return value === '' ? '*' : value;
  return value.toLowerCase().replace(/[^a-z0-9_.-]/g, (c) => `\\${c}`);
}

function unescapeValue(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/** Formats a name; missing attributes are ANY (`*`). */
export function formatCpe(name: Partial<CpeName> & Pick<CpeName, 'part' | 'vendor' | 'product'>): string {
  return `cpe:2.3:${CPE_ATTRIBUTES.map((a) => escapeValue(name[a] ?? '*')).join(':')}`;
}

/** Parses a formatted string; null when it is not one (wrong prefix, not 11 attributes, bad part). */
export function parseCpe(text: string): CpeName | null {
  if (!text.startsWith('cpe:2.3:')) return null;
  const values: string[] = [];
  let current = '';
  const body = text.slice(8);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      current += c + body[i + 1]!;
      i++;
    } else if (c === ':') {
      values.push(current);
      current = '';
    } else current += c;
  }
  values.push(current);
  if (values.length !== CPE_ATTRIBUTES.length || !/^[aoh*]$/.test(values[0]!)) return null;
  const name = {} as CpeName;
  CPE_ATTRIBUTES.forEach((a, i) => {
    name[a] = unescapeValue(values[i]!);
  });
  return name;
}
