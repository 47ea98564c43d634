/** `vitals darkweb search` (issue #3): placeholder until its implementation lands. */
import { Command } from 'commander';

export function searchCommand(): Command {
  return new Command('search').description('(not yet available)').action(() => {
    throw new Error('vitals darkweb search is not available yet');
  });
}
