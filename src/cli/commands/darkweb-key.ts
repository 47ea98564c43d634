/** The credential HMAC key for the commands that analyze documents. */
import { loadCredentialKey } from '../../darkweb/credential-key.js';

/** `VITALS_CREDENTIAL_KEY` or `<home>/credential.key` (created on first need); a bad key is a CredentialKeyError. */
export function credentialKeyForCli(home: string): string {
  return loadCredentialKey({ home });
}
