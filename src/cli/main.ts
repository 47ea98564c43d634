/**
 * The `vitals` command line. Commands are thin: they validate input, call the library, and print.
 *
 * Only the command named on the line is loaded (each pulls in its own libraries: the store, the probes,
 * the lab, the server); help, an unknown name or no name loads them all. A `vitals findings` then starts in
 * about half the time, which every script and test that calls the CLI many times feels.
 */
import { Command } from 'commander';
import { reportError, wantsVerbose } from './report-error.js';
import { VITALS_VERSION } from './version.js';
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

/** Every command, in the order help lists them, each loaded only when asked for. */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Command>]> = [
  ['demo', async () => (await import('./commands/demo.js')).demoCommand()],
  ['lab', async () => (await import('./commands/lab.js')).labCommand()],
  ['orgs', async () => (await import('./commands/orgs.js')).orgsCommand()],
  ['scan', async () => (await import('./commands/scan.js')).scanCommand()],
  ['scorecard', async () => (await import('./commands/scorecard.js')).scorecardCommand()],
  ['findings', async () => (await import('./commands/findings.js')).findingsCommand()],
  ['catalogue', async () => (await import('./commands/catalogue.js')).catalogueCommand()],
  ['darkweb', async () => (await import('./commands/darkweb.js')).darkwebCommand()],
  ['spf', async () => (await import('./commands/spf.js')).spfCommand()],
  ['tls', async () => (await import('./commands/tls.js')).tlsCommand()],
  ['dispute', async () => (await import('./commands/dispute.js')).disputeCommand()],
  ['assets', async () => (await import('./commands/assets.js')).assetsCommand()],
  ['audit', async () => (await import('./commands/audit.js')).auditCommand()],
  ['study', async () => (await import('./commands/study.js')).studyCommand()],
  ['portfolio', async () => (await import('./commands/portfolio.js')).portfolioCommand()],
  ['serve', async () => (await import('./commands/serve.js')).serveCommand()],
  ['users', async () => (await import('./commands/users.js')).usersCommand()],
  ['tokens', async () => (await import('./commands/users.js')).tokensCommand()],
  ['feeds', async () => (await import('./commands/feeds.js')).feedsCommand()],
  ['vulns', async () => (await import('./commands/vulns.js')).vulnsCommand()],
  ['web', async () => (await import('./commands/web.js')).webCommand()],
];
const ALIASES: Readonly<Record<string, string>> = { catalog: 'catalogue' };

// The first word that is not an option names the command (program options come before it).
const named = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const wanted = named === undefined ? undefined : (ALIASES[named] ?? named);
const chosen = COMMANDS.filter(([name]) => name === wanted);
const versionOnly = wanted === undefined && process.argv.slice(2).some((arg) => arg === '-V' || arg === '--version');
for (const [, load] of chosen.length === 1 ? chosen : versionOnly ? [] : COMMANDS) program.addCommand(await load());

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
