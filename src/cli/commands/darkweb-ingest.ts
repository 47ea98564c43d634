/** `vitals darkweb ingest` (issue #3): placeholder until its implementation lands. */
import { Command } from 'commander';

export function ingestCommand(): Command {
  return new Command('ingest').description('(not yet available)').action(() => {
    throw new Error('vitals darkweb ingest is not available yet');
  });
}
