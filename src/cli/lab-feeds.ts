/** Imports the lab's threat-feed files (lab/world/reputation.ts) into the store, as `vitals feeds import` would. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFeedFile } from '../intel/reputation/feed-import-file.js';
import { LAB_FEEDS } from '../lab/world/reputation.js';
import type { Store } from '../store/database.js';

/** Imports every lab feed found in `dir`; returns the number of networks imported (0 when there are none). */
export async function importLabFeeds(store: Store, dir: string | undefined, now = new Date()): Promise<number> {
  if (dir === undefined) return 0;
  let networks = 0;
  for (const { file, category } of LAB_FEEDS) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    const feed = readFeedFile(path, { category, now });
    await store.reputation.replaceFeed(feed, now);
    networks += feed.entries.length;
  }
  return networks;
}
