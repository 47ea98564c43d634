/** Running many small tasks with a cap on how many are under way at once. */

/**
 * Calls `task` for every item, at most `limit` at a time, in order. Unlike one `Promise.all` over
 * thousands of names, only `limit` look-ups (and their closures) exist at any moment, so a scan of many
 * domains with a 5,000-label wordlist does not pile up hundreds of thousands of pending promises.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
