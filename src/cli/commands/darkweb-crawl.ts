/** `vitals darkweb crawl` (issue #3): placeholder until its implementation lands. */
import { Command } from 'commander';

export function crawlCommand(): Command {
  return new Command('crawl').description('(not yet available)').action(() => {
    throw new Error('vitals darkweb crawl is not available yet');
  });
}
