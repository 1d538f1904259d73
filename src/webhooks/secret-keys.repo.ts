// The key that seals webhook signing secrets. With TERMIN_SECRET_KEY the key lives outside the
// database, so a copy of the database alone does not reveal the secrets. Without it, a random key
// is created once in the database: secrets are still never stored or logged in plaintext and never
// returned after creation, but whoever holds the database holds the key (README says so).
import { randomBytes } from 'node:crypto';
import type { Executor } from '../db/database.ts';
import { type BoxKey, createSecretBox, keyFromPassphrase, type SecretBox } from '../lib/secret-box.ts';
import { hashSecret } from '../lib/secrets.ts';

const DB_KEY_ID = 'db1';

async function databaseKey(db: Executor): Promise<BoxKey> {
  await db
    .insertInto('encryption_keys')
    .values({ id: DB_KEY_ID, key: randomBytes(32).toString('base64') })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('encryption_keys').select('key').where('id', '=', DB_KEY_ID).executeTakeFirstOrThrow();
  return { id: DB_KEY_ID, key: Buffer.from(row.key, 'base64') };
}

export async function loadSecretBox(db: Executor, passphrase: string | undefined): Promise<SecretBox> {
  const stored = await databaseKey(db);
  if (!passphrase) return createSecretBox(stored);
  const configured = { id: `env${hashSecret(passphrase).slice(0, 8)}`, key: keyFromPassphrase(passphrase) };
  return createSecretBox(configured, [stored]);
}
