/** Opens the store for a command, from the home folder and `VITALS_DATABASE_URL`. */
import { moveCredentialKeyOutOfDatabase } from '../darkweb/credential-key.js';
import { openStore, type Store } from '../store/database.js';
import { databaseUrl } from './context.js';

export async function openCliStore(home: string): Promise<Store> {
  const url = databaseUrl();
  const store = await openStore(url ? { databaseUrl: url, home } : { home });
  try {
    // Older databases kept the credential HMAC key next to the hashes: it moves to the key file.
    await moveCredentialKeyOutOfDatabase(store, { home });
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
