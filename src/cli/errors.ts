import { AppError, ExitStatus } from '../core/errors.js';

/** A command-line problem only the CLI can see (a missing organization, a file it cannot write), as one line. */
export class CliError extends AppError {
  override readonly name = 'CliError';
  readonly code = 'command-line';
  constructor(message: string, exitStatus: ExitStatus = ExitStatus.badInput) {
    super(message, { exitStatus });
  }
}
