/**
 * The `vitals` command line. Commands are thin: they validate input, call the library, and print.
 */
import { Command, CommanderError } from 'commander';
import { CliError } from './errors.js';
import { sanitizeTerminalText } from './sanitize.js';
import { VITALS_VERSION } from './version.js';
import { labCommand } from './commands/lab.js';
import { orgsCommand } from './commands/orgs.js';
import { scanCommand } from './commands/scan.js';
import { findingsCommand } from './commands/findings.js';
import { catalogueCommand } from './commands/catalogue.js';
import { demoCommand } from './commands/demo.js';
import { darkwebCommand } from './commands/darkweb.js';
import { spfCommand } from './commands/spf.js';
import { InvalidInputError } from '../core/names.js';
import { StoreError } from '../store/errors.js';
import { ImportError } from '../store/import-organizations.js';
import { FileTooLargeError } from '../core/capped-file.js';
import { LabPortError } from '../lab/port-in-use.js';
import { SharedFolderError } from '../core/private-files.js';

// `vitals ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('vitals')
  .description(
    'Vitals: open-source, self-hosted security ratings and dark-web intelligence for healthcare and telehealth organizations',
  )
  .version(VITALS_VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program.addCommand(demoCommand());
program.addCommand(labCommand());
program.addCommand(orgsCommand());
program.addCommand(scanCommand());
program.addCommand(findingsCommand());
program.addCommand(catalogueCommand());
program.addCommand(darkwebCommand());
program.addCommand(spfCommand());

// Usage errors anywhere (an unknown option, a bad choice) end through reportError with exit code 2,
// not through commander's own process.exit(1).
(function overrideExits(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) overrideExits(sub);
})(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}

/** Prints one clear line for expected failures (bad input, unreachable services) and returns the exit code. */
function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (and help where asked for).
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof CliError) {
    process.stderr.write(`vitals: ${sanitizeTerminalText(error.message)}\n`);
    return error.exitCode;
  }
  if (
    error instanceof InvalidInputError ||
    error instanceof StoreError ||
    error instanceof ImportError ||
    error instanceof FileTooLargeError ||
    error instanceof LabPortError ||
    error instanceof SharedFolderError
  ) {
    process.stderr.write(`vitals: ${sanitizeTerminalText(error.message)}\n`);
    return 2;
  }
  if (error instanceof Error && error.name === 'ResolverUnreachableError') {
    process.stderr.write(`vitals: ${sanitizeTerminalText(error.message)}\n`);
    return 3;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`vitals: unexpected error: ${sanitizeTerminalText(detail)}\n`);
  return 1;
}
