/**
 * Largest-remainder apportionment: turns unrounded shares into whole units (hundredths of a point)
 * that add up exactly to a target, so "attributions add up to 100 - score" holds for the published,
 * rounded numbers and not only before rounding.
 */

/**
 * Scales `shares` (non-negative) to sum to `target` whole units and rounds each down, then hands the
 * units left over one each to the largest fractional parts (ties: larger share, then smaller key).
 * Deterministic and independent of input order. All shares 0 gives all 0 (then target must be 0).
 */
export function apportion(shares: readonly number[], target: number, keys: readonly string[]): number[] {
  if (!Number.isInteger(target) || target < 0) throw new RangeError(`target must be a whole number >= 0: ${target}`);
  const total = shares.reduce((sum, s) => sum + s, 0);
  if (total <= 0) {
    if (target !== 0) throw new RangeError(`cannot apportion ${target} units over shares that are all 0`);
    return shares.map(() => 0);
  }
  const quotas = shares.map((s) => (s * target) / total);
  const units = quotas.map((q) => Math.floor(q));
  const order = quotas
    .map((q, i) => ({ i, fraction: q - units[i]!, share: shares[i]!, key: keys[i]! }))
    .sort((a, b) => b.fraction - a.fraction || b.share - a.share || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let left = target - units.reduce((sum, u) => sum + u, 0);
  // Floating-point error can leave the floors one unit off either way; the loops absorb it.
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) units[order[j]!.i]! += 1;
  for (let j = order.length - 1; left < 0; j = (j - 1 + order.length) % order.length) {
    const i = order[j]!.i;
    if (units[i]! > 0) {
      units[i]! -= 1;
      left++;
    }
  }
  return units;
}
