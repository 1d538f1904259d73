// Idempotency-Key for booking, cancel and reschedule: the same key with the same request within
// 24 h replays the first answer (the work and its events happen once); the same key with another
// request is a 422. Keys are per company.
//
// The key's row is inserted FIRST in the change's transaction, so a concurrent twin waits on the
// primary key and then replays, instead of racing for the slot and losing with a 400.
// Answers can hold an appointment secret: they are stored encrypted with a key derived from the
// Idempotency-Key itself (which only the client holds); the key is stored hashed.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Db, Tx } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { AppError } from '../lib/app-error.ts';
import { KeyClaimed, claimKey } from './idempotency.repo.ts';

export interface IdempotencyRequest {
  companyId: string;
  key: string;
  /** What the request asked for: method, path and body. */
  fingerprint: string;
}

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
const PENDING = '';

/** Validates the header value; undefined when the header is absent. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
  return value;
}

export function fingerprintOf(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}

/**
 * Runs `prepare` (checks that read outside any transaction) and then `work` in one transaction,
 * at most once per key: a repeat gets the stored answer before anything is checked again.
 */
export async function runIdempotent<P, T>(
  db: Db,
  now: Date,
  request: IdempotencyRequest | undefined,
  prepare: () => Promise<P>,
  work: (tx: Tx, prepared: P) => Promise<T>,
  /** How a stored answer is told apart from a fresh one (the booking outcome says "replayed"). */
  replayed: (stored: T) => T = (stored) => stored,
): Promise<T> {
  if (!request) {
    const prepared = await prepare();
    return inTransaction(db, (tx) => work(tx, prepared));
  }
  const keyHash = hashKey(request);
  const prior = await replay<T>(db, request, keyHash, now);
  if (prior.found) return replayed(prior.value);
  let prepared: P;
  try {
    prepared = await prepare();
  } catch (error) {
    // A twin may have committed since the first look (and taken the slot this check now misses).
    const twin = await replay<T>(db, request, keyHash, now);
    if (twin.found) return replayed(twin.value);
    throw error;
  }
  try {
    return await inTransaction(db, async (tx) => {
      await claimKey(tx, { companyId: request.companyId, keyHash, fingerprint: request.fingerprint, pending: PENDING }, now, IDEMPOTENCY_WINDOW_MS);
      const result = await work(tx, prepared);
      await tx
        .updateTable('idempotency_keys')
        .set({ response: encrypt(request, JSON.stringify(result)) })
        .where('company_id', '=', request.companyId)
        .where('key_hash', '=', keyHash)
        .execute();
      return result;
    });
  } catch (error) {
    if (!(error instanceof KeyClaimed)) throw error;
    // A twin committed first: answer as it did.
    const twin = await replay<T>(db, request, keyHash, now);
    if (twin.found) return replayed(twin.value);
    throw error;
  }
}

async function replay<T>(
  db: Db,
  request: IdempotencyRequest,
  keyHash: string,
  now: Date,
): Promise<{ found: true; value: T } | { found: false }> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'response', 'created_at'])
    .where('company_id', '=', request.companyId)
    .where('key_hash', '=', keyHash)
    .executeTakeFirst();
  if (!row || row.response === PENDING || now.getTime() - row.created_at.getTime() >= IDEMPOTENCY_WINDOW_MS) {
    return { found: false };
  }
  if (row.fingerprint !== request.fingerprint) {
    throw new AppError('idempotency_mismatch', 'This Idempotency-Key was already used with a different request');
  }
  return { found: true, value: JSON.parse(decrypt(request, row.response)) as T };
}

function hashKey(request: IdempotencyRequest): string {
  return createHash('sha256').update(`termin-idempotency-key\n${request.companyId}\n${request.key}`).digest('hex');
}

function cipherKey(request: IdempotencyRequest): Buffer {
  return createHash('sha256').update(`termin-idempotency-answer\n${request.companyId}\n${request.key}`).digest();
}

function encrypt(request: IdempotencyRequest, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cipherKey(request), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
}

function decrypt(request: IdempotencyRequest, stored: string): string {
  const [iv, tag, body] = stored.split('.').map((part) => Buffer.from(part, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', cipherKey(request), iv!);
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The idempotency request of an HTTP request, when it sent an Idempotency-Key header. */
export function idempotencyOf(
  companyId: string,
  request: { method: string; url: string; body?: unknown; headers: Record<string, string | string[] | undefined> },
): IdempotencyRequest | undefined {
  const key = idempotencyKeyOf(request.headers['idempotency-key']);
  if (key === undefined) return undefined;
  return { companyId, key, fingerprint: fingerprintOf(request.method, request.url.split('?')[0]!, request.body) };
}
