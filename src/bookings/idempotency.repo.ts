// The idempotency key's row: claimed first in the change's transaction. The primary key is what
// makes a concurrent twin wait and then lose; that loss is told to the caller as `KeyClaimed`, so
// the SQLSTATE stays here.
import type { Tx } from '../db/database.ts';
import { SQLSTATE, sqlState } from '../db/errors.ts';

/** The key was claimed by a twin that committed first (its answer can be replayed). */
export class KeyClaimed extends Error {
  constructor(options: { cause: unknown }) {
    super('Idempotency-Key already claimed', options);
    this.name = 'KeyClaimed';
  }
}

/** Drops the company's expired keys and claims this one; throws KeyClaimed when a twin holds it. */
export async function claimKey(
  tx: Tx,
  key: { companyId: string; keyHash: string; fingerprint: string; pending: string },
  now: Date,
  windowMs: number,
): Promise<void> {
  await tx
    .deleteFrom('idempotency_keys')
    .where('company_id', '=', key.companyId)
    .where('created_at', '<', new Date(now.getTime() - windowMs))
    .execute();
  try {
    await tx
      .insertInto('idempotency_keys')
      .values({ company_id: key.companyId, key_hash: key.keyHash, fingerprint: key.fingerprint, response: key.pending, created_at: now })
      .execute();
  } catch (error) {
    throw sqlState(error) === SQLSTATE.uniqueViolation ? new KeyClaimed({ cause: error }) : error;
  }
}
