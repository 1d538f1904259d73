// Contract quirks solved once: list parameters sent repeated or comma-separated, id path params,
// and the shared error response schema used by every route's OpenAPI entry.
import { Type, type TSchema } from '@fastify/type-provider-typebox';
import { AppError } from '../lib/app-error.ts';
import { isUuid } from '../lib/ids.ts';

/** `?hostIds=a&hostIds=b`, `?hostIds=a,b` and `?hostIds[]=a` all mean [a, b]. */
export function stringList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(','));
  return parts.map((item) => item.trim()).filter((item) => item.length > 0);
}

/** A path id that is not a UUID names nothing: 404, as an unknown id would. */
export function requireUuid(value: string, what: string): string {
  if (!isUuid(value)) throw new AppError('not_found', `${what} not found`);
  return value;
}

/** A body or query field that must name a UUID: 400 naming the field. */
export function uuidField(value: string, field: string): string {
  if (!isUuid(value)) {
    const message = `${field} must be a UUID`;
    throw new AppError('validation_failed', message, { errors: [{ field, message }] });
  }
  return value;
}

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'ErrorResponse', additionalProperties: true },
);

export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

/** The error answers a route documents, all in the one error shape. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('ErrorResponse')]));
}

/** A response object documented loosely: listed fields, extra fields kept. */
export function open<T extends Parameters<typeof Type.Object>[0]>(properties: T, options: { title?: string } = {}) {
  return Type.Object(properties, { additionalProperties: true, ...options });
}
