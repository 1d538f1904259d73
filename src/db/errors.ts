// SQLSTATEs the application branches on. Always branch on the code, never on the error class:
// PGlite and node-postgres raise different classes for the same condition.

export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  exclusionViolation: '23P01',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  invalidTextRepresentation: '22P02',
} as const;

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The violated constraint's name, when the driver reports one. */
export function constraintName(error: unknown): string | undefined {
  const name = (error as { constraint?: unknown })?.constraint;
  return typeof name === 'string' ? name : undefined;
}

export function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  return code === SQLSTATE.serializationFailure || code === SQLSTATE.deadlockDetected;
}
