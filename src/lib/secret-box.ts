// Authenticated encryption (AES-256-GCM) for secrets Termin must be able to read back, such as
// webhook signing secrets (a hash would not do: signing needs the secret itself). Sealed text
// names its key, so the key can change without losing what was sealed before.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export interface BoxKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** A 32-byte key from an operator's passphrase (TERMIN_SECRET_KEY). */
export function keyFromPassphrase(passphrase: string): Buffer {
  return createHash('sha256').update(`termin-secret-box:${passphrase}`, 'utf8').digest();
}

export function createSecretBox(active: BoxKey, others: readonly BoxKey[] = []): SecretBox {
  const keys = new Map([...others, active].map((entry) => [entry.id, entry.key]));
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', active.key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `v1:${active.id}:${iv.toString('base64url')}:${body.toString('base64url')}`;
    },
    open(sealed) {
      const [version, keyId, ivText, bodyText] = sealed.split(':');
      const key = keyId === undefined ? undefined : keys.get(keyId);
      if (version !== 'v1' || !key || !ivText || !bodyText) throw new Error('sealed secret cannot be opened with the configured keys');
      const body = Buffer.from(bodyText, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    },
  };
}
