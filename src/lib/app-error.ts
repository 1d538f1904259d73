// The one error type of the application. Services and repos throw it; http/errors.ts renders it.
// The code is stable and machine-readable; the message is for people and may be a contract string.

export const ERROR_STATUS = {
  validation_failed: 400,
  bad_request: 400,
  slot_unavailable: 400,
  search_too_large: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  limit_reached: 406,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  idempotency_mismatch: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorDetails {
  errors?: FieldError[];
  /** Extra documented fields merged into the body, e.g. `sharedWith` on a 409. */
  extra?: Record<string, unknown>;
  /** Seconds, sent as Retry-After (429, 503). */
  retryAfter?: number;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

export const badRequest = (message: string, errors?: FieldError[]) =>
  new AppError('validation_failed', message, errors ? { errors } : {});

/** A single-field validation error: message plus the `errors` entry naming the field. */
export const invalidField = (field: string, message: string) =>
  new AppError('validation_failed', message, { errors: [{ field, message }] });
