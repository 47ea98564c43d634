/**
 * The `vitals` command line. Commands are thin: they validate input, call the library, and print.
 */
import { Command } from 'commander';
import { reportError, wantsVerbose } from './report-error.js';
import { VITALS_VERSION } from './version.js';
import { labCommand } from './commands/lab.js';
import { orgsCommand } from './commands/orgs.js';
import { scanCommand } from './commands/scan.js';
import { scorecardCommand } from './commands/scorecard.js';
import { findingsCommand } from './commands/findings.js';
import { catalogueCommand } from './commands/catalogue.js';
import { demoCommand } from './commands/demo.js';
import { darkwebCommand } from './commands/darkweb.js';
import { spfCommand } from './commands/spf.js';
import { tlsCommand } from './commands/tls.js';
import { disputeCommand } from './commands/dispute.js';
import { assetsCommand } from './commands/assets.js';
import { auditCommand } from './commands/audit.js';
import { studyCommand } from './commands/study.js';
import { portfolioCommand } from './commands/portfolio.js';
import { serveCommand } from './commands/serve.js';
import { tokensCommand, usersCommand } from './commands/users.js';
import { feedsCommand } from './commands/feeds.js';
import { vulnsCommand } from './commands/vulns.js';
import { webCommand } from './commands/web.js';

// `vitals ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('vitals')
  .description(
    'Vitals: open-source, self-hosted security ratings and dark-web intelligence for healthcare and ' +
      'telehealth organizations',
  )
  .version(VITALS_VERSION)
  // Program options only before the command name: `scan -v` stays the scan's own JSON log.
  .enablePositionalOptions()
  .option('-v, --verbose', 'on an unexpected error, print its stack trace (`vitals -v COMMAND ...`)')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program.addCommand(demoCommand());
program.addCommand(labCommand());
program.addCommand(orgsCommand());
program.addCommand(scanCommand());
program.addCommand(scorecardCommand());
program.addCommand(findingsCommand());
program.addCommand(catalogueCommand());
program.addCommand(darkwebCommand());
program.addCommand(spfCommand());
program.addCommand(tlsCommand());
program.addCommand(disputeCommand());
program.addCommand(assetsCommand());
program.addCommand(auditCommand());
program.addCommand(studyCommand());
program.addCommand(portfolioCommand());
program.addCommand(serveCommand());
program.addCommand(usersCommand());
program.addCommand(tokensCommand());
program.addCommand(feedsCommand());
program.addCommand(vulnsCommand());
program.addCommand(webCommand());

// Usage errors anywhere (an unknown option, a bad choice) end through reportError with exit status 2,
// not through commander's own process.exit(1).
(function overrideExits(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) overrideExits(sub);
})(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error, process.stderr, wantsVerbose(process.argv.slice(2)));
}
