/** `vitals darkweb watch` (issue #3): placeholder until its implementation lands. */
import { Command } from 'commander';

export function watchCommand(): Command {
  return new Command('watch').description('(not yet available)').action(() => {
    throw new Error('vitals darkweb watch is not available yet');
  });
}
