// The appointment secret's stored forms. The hash finds and checks a presented secret; the sealed
// copy (AES-256-GCM, under the key that seals webhook signing secrets) lets Termin show the secret
// to the company again, since it stays the same for the appointment's whole life.
import type { SecretBox } from '../lib/secret-box.ts';
import { hashSecret, randomToken } from '../lib/secrets.ts';

export interface SecretSealer {
  seal(secret: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

export function secretSealer(box: () => Promise<SecretBox>): SecretSealer {
  return {
    seal: async (secret) => (await box()).seal(secret),
    open: async (sealed) => (await box()).open(sealed),
  };
}

export interface NewSecret {
  secret: string;
  hash: string;
  sealed: string;
}

/** A fresh random secret (256 bits) in all its forms. */
export async function newSecret(sealer: SecretSealer): Promise<NewSecret> {
  const secret = randomToken(32);
  return { secret, hash: hashSecret(secret), sealed: await sealer.seal(secret) };
}
