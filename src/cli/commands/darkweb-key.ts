/** The credential HMAC key for the commands that analyze documents, with key problems as one clear line. */
import { CredentialKeyError, loadCredentialKey } from '../../darkweb/credential-key.js';
import { CliError } from '../errors.js';

/** `VITALS_CREDENTIAL_KEY` or `<home>/credential.key` (created on first need). */
export function credentialKeyForCli(home: string): string {
  try {
    return loadCredentialKey({ home });
  } catch (error) {
    if (error instanceof CredentialKeyError) throw new CliError(error.message);
    throw error;
  }
}
