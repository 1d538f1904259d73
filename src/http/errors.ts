// Renders every failure in one shape: { statusCode, error, message, code, errors? } — the NestJS
// body meetergo clients parse, plus a stable machine `code`. Nothing internal reaches the body.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, type FieldError } from '../lib/app-error.ts';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export function errorBody(error: AppError): ErrorBody {
  const statusCode = error.status;
  return {
    ...(error.details.extra ?? {}),
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message: error.message,
    code: error.code,
    ...(error.details.errors ? { errors: error.details.errors } : {}),
  };
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.details.retryAfter !== undefined) reply.header('retry-after', String(error.details.retryAfter));
  return reply.status(error.status).send(errorBody(error));
}

// Fastify's own errors (body parsing, limits) mapped to ours by their stable codes.
const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'bad_request', message: 'Request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'bad_request',
    message: "Body cannot be empty when content-type is set to 'application/json'",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Unsupported content type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'bad_request', message: 'Content-Length does not match the body' },
};

/** Converts any thrown value into an AppError; unknown errors become an opaque 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError & { validation?: ValidationItem[]; validationContext?: string };
  if (fastifyError?.validation) return validationError(fastifyError.validation, fastifyError.validationContext);
  const known = fastifyError?.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return new AppError(known.code, known.message);
  if (error instanceof SyntaxError) return new AppError('bad_request', 'Request body is not valid JSON');
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(status === 404 ? 'not_found' : 'bad_request', STATUS_CODES[status] ?? 'Bad Request');
  }
  return new AppError('internal', 'Internal server error');
}

interface ValidationItem {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

function validationError(items: ValidationItem[], context = 'body'): AppError {
  const errors = items.map((item) => {
    const path = item.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const missing = item.keyword === 'required' ? String(item.params.missingProperty ?? '') : '';
    const field = [path, missing].filter(Boolean).join('.') || context;
    return { field, message: describe(item, field) };
  });
  const first = errors[0];
  const message = first ? first.message : 'Validation failed';
  return new AppError('validation_failed', message, { errors });
}

function describe(item: ValidationItem, field: string): string {
  switch (item.keyword) {
    case 'required':
      return `${field} is required`;
    case 'enum':
      return `${field} must be one of: ${(item.params.allowedValues as unknown[]).join(', ')}`;
    case 'additionalProperties':
      return `${field} has an unknown property ${String(item.params.additionalProperty)}`;
    default:
      return `${field} ${item.message ?? 'is invalid'}`;
  }
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      // Log the failure's kind and location only: messages of driver errors can carry data.
      const err = error as { name?: string; code?: string; stack?: string };
      const frames = err?.stack?.split('\n').slice(1).join('\n');
      request.log.error({ errName: err?.name, errCode: err?.code, frames }, 'request failed');
    }
    return sendError(reply, appError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new AppError('not_found', `Cannot ${request.method} ${request.url.split('?')[0]}`)),
  );
}

// What Node's HTTP parser reports before Fastify sees a request, as answers in the error shape.
const CLIENT_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: { code: 'headers_too_large', message: 'Request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'request_timeout', message: 'Request timed out' },
};

/** Fastify's `clientErrorHandler`: answers once and closes; a gone socket is simply destroyed. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
  const appError = new AppError(known?.code ?? 'bad_request', known?.message ?? 'The request could not be parsed');
  const body = JSON.stringify(errorBody(appError));
  const status = appError.status;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  // A client that never reads or closes must not keep the socket: it gets a moment to read the answer.
  setTimeout(() => socket.destroy(), 1000).unref();
}
