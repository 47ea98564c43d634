/** `vitals darkweb mentions` (issue #3): placeholder until its implementation lands. */
import { Command } from 'commander';

export function mentionsCommand(): Command {
  return new Command('mentions').description('(not yet available)').action(() => {
    throw new Error('vitals darkweb mentions is not available yet');
  });
}
