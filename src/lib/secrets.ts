// Random tokens and their stored form. Tokens carry ≥ 256 bits of randomness, so a fast hash
// (SHA-256) is enough: there is nothing to brute-force. Only the hash is ever stored.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** API keys look like meetergo's platform keys: `ak_live:<key id>:<secret>`. */
export function newApiKey(): { id: string; token: string } {
  const id = randomUUID();
  return { id, token: `ak_live:${id}:${randomToken(32)}` };
}
