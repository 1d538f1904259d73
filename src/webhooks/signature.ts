// Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is
// `${webhook-id}.${webhook-timestamp}.${body}`, HMAC-SHA256 keyed with the base64 part of the
// `whsec_…` secret, sent as `v1,<base64>`. Several secrets (during a rotation) give several
// space-separated signatures; a receiver accepts the message when any one verifies.
import { createHmac } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

/** One `v1,<base64>` signature of a message. */
export function signMessage(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${messageId}.${timestampSeconds}.${body}`, 'utf8');
  return `v1,${mac.digest('base64')}`;
}

/** The three headers of one attempt, signed with every given secret. */
export function signatureHeaders(
  secrets: readonly string[],
  messageId: string,
  timestampSeconds: number,
  body: string,
): SignatureHeaders {
  if (secrets.length === 0) throw new Error('at least one signing secret is required');
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((secret) => signMessage(secret, messageId, timestampSeconds, body)).join(' '),
  };
}

/** `whsec_` + base64 of the key bytes, the form the `standardwebhooks` package expects. */
export function formatSecret(keyBytes: Uint8Array): string {
  return `${SECRET_PREFIX}${Buffer.from(keyBytes).toString('base64')}`;
}
