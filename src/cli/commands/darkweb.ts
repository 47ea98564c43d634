/** `vitals darkweb`: dark-web intelligence (ingest, crawl, mentions, search, watchlists and alerts). */
import { Command } from 'commander';
import { ingestCommand } from './darkweb-ingest.js';
import { crawlCommand } from './darkweb-crawl.js';
import { entitiesCommand } from './darkweb-entities.js';
import { mentionsCommand } from './darkweb-mentions.js';
import { searchCommand } from './darkweb-search.js';
import { watchCommand } from './darkweb-watch.js';

export function darkwebCommand(): Command {
  const darkweb = new Command('darkweb').description(
    'dark-web intelligence: ingest and crawl forum, market, paste, chat and leak-site text, match monitored ' +
      'organizations, search, alert',
  );
  darkweb.addCommand(ingestCommand());
  darkweb.addCommand(crawlCommand());
  darkweb.addCommand(mentionsCommand());
  darkweb.addCommand(entitiesCommand());
  darkweb.addCommand(searchCommand());
  darkweb.addCommand(watchCommand());
  return darkweb;
}
