/**
 * Password hints that revealed characters (`T*****z (14)`: first and last character and the length)
 * become the length class analyze.ts `passwordLengthClass` writes now (`12-15 characters`). Old hints
 * all end in `(N)`; the new ones never end in `)`, so the rewrite is idempotent. Plain UPDATEs with
 * LIKE: the same SQL on SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';

/** Length classes, shortest first; the last one takes every remaining old hint. */
const CLASSES: readonly { hint: string; lengths: readonly number[] }[] = [
  { hint: 'under 8 characters', lengths: [0, 1, 2, 3, 4, 5, 6, 7] },
  { hint: '8-11 characters', lengths: [8, 9, 10, 11] },
  { hint: '12-15 characters', lengths: [12, 13, 14, 15] },
];

interface CredentialHints {
  darkweb_credentials: { password_hint: string };
}

/** Rewrite every revealing hint as a length class. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const typed = db as Kysely<CredentialHints>;
  for (const { hint, lengths } of CLASSES) {
    await typed
      .updateTable('darkweb_credentials')
      .set({ password_hint: hint })
      .where((eb) => eb.or(lengths.map((n) => eb('password_hint', 'like', `%(${n})`))))
      .execute();
  }
  await typed
    .updateTable('darkweb_credentials')
    .set({ password_hint: '16+ characters' })
    .where('password_hint', 'like', '%)')
    .execute();
}

/** The characters are gone for good: nothing to restore. */
export async function down(): Promise<void> {}
