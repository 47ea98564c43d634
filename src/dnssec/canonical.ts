/**
 * Canonical DNS name ordering (RFC 4034 section 6.1): compare label by label from the rightmost,
 * case-insensitively, as unsigned octet strings; a name that runs out of labels first sorts first.
 */
export function canonicalNameCompare(a: string, b: string): number {
  const la = splitLabels(a);
  const lb = splitLabels(b);
  let i = la.length - 1;
  let j = lb.length - 1;
  while (i >= 0 && j >= 0) {
    const c = compareOctets(la[i]!, lb[j]!);
    if (c !== 0) return c;
    i--;
    j--;
  }
  return la.length - lb.length;
}

function splitLabels(name: string): string[] {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed === '') return [];
  return trimmed.toLowerCase().split('.');
}

function compareOctets(a: string, b: string): number {
  const ba = Buffer.from(a, 'latin1');
  const bb = Buffer.from(b, 'latin1');
  return Buffer.compare(ba, bb);
}
