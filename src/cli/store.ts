/** Opens the store for a command, from the home folder and `VITALS_DATABASE_URL`. */
import { openStore, type Store } from '../store/database.js';
import { databaseUrl } from './context.js';

export async function openCliStore(home: string): Promise<Store> {
  const url = databaseUrl();
  return openStore(url ? { databaseUrl: url, home } : { home });
}
