// The OpenAPI document tells the whole contract, for every route — including routes added later,
// which declare nothing extra: each operation gets a stable operationId (unless it sets its own),
// its security (bearer API key or personal access token; none for public routes), the
// x-meetergo-api-user-id and Idempotency-Key headers where they apply, and a success response.
// Response and body schemas that carry a `title` become named component schemas.
import { USER_HEADER } from './auth.ts';

type JsonObject = Record<string, unknown>;

interface RouteLike {
  method: string | string[];
  config?: { auth?: string; idempotent?: boolean };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route honours `Idempotency-Key` (documented in OpenAPI). */
    idempotent?: boolean;
  }
}

/** `GET /v4/appointment/:id/ics` → `getV4AppointmentByIdIcs`: stable as long as the route is. */
export function operationIdFor(method: string, url: string): string {
  const words = url
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => (segment.startsWith(':') ? `By-${segment.slice(1)}` : segment))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter((word) => word.length > 0)
    .map((word) => word[0]!.toUpperCase() + word.slice(1));
  return method.toLowerCase() + words.join('');
}

const USER_HEADER_DOC =
  'With a company API key: the user to act as (required where the route acts for a user). ' +
  'With a personal access token: not needed; it may only name the token owner.';

const IDEMPOTENCY_DOC = 'Makes retries safe: the same key and body within 24 h replays the first answer.';

/** @fastify/swagger `transform`: completes one route's documentation. Never changes validation. */
export function documentRoute(input: { schema: JsonObject | undefined; url: string; route: RouteLike }) {
  const schema: JsonObject = { ...(input.schema ?? {}) };
  if (schema.hide) return { schema, url: input.url };
  const method = Array.isArray(input.route.method) ? input.route.method[0]! : input.route.method;
  schema.operationId ??= operationIdFor(method, input.url);
  const auth = input.route.config?.auth ?? 'none';
  schema.security = auth === 'none' ? [] : auth === 'admin' ? [{ adminKey: [] }] : [{ bearerAuth: [] }];
  const headers: JsonObject = {};
  if (auth === 'company' || auth === 'user') headers[USER_HEADER] = { type: 'string', format: 'uuid', description: USER_HEADER_DOC };
  // 422 is the answer to an Idempotency-Key reused with another request, so a route documenting
  // it honours the header; `config.idempotent` says so explicitly.
  const documented = (input.schema?.response as JsonObject | undefined) ?? {};
  if (input.route.config?.idempotent || '422' in documented) headers['idempotency-key'] = { type: 'string', maxLength: 255, description: IDEMPOTENCY_DOC };
  if (Object.keys(headers).length > 0) schema.headers = withHeaders(schema.headers as JsonObject | undefined, headers);
  const response = { ...((schema.response as JsonObject | undefined) ?? {}) };
  if (!Object.keys(response).some((status) => /^2/.test(status))) {
    response['200'] = { description: 'Success', type: 'object', additionalProperties: true };
  }
  schema.response = response;
  return { schema, url: input.url };
}

function withHeaders(existing: JsonObject | undefined, extra: JsonObject): JsonObject {
  const properties = { ...((existing?.properties as JsonObject | undefined) ?? {}), ...extra };
  return { ...(existing ?? {}), type: 'object', properties };
}

/** @fastify/swagger `transformObject`: lifts titled schemas into components.schemas. */
export function nameSchemas(input: { openapiObject: JsonObject }): JsonObject {
  const document = structuredClone(input.openapiObject) as JsonObject;
  const components = ((document.components as JsonObject | undefined) ?? {}) as JsonObject;
  const schemas = ((components.schemas as JsonObject | undefined) ?? {}) as JsonObject;
  const seen = new Map<string, string>();
  const lift = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(lift);
    if (!node || typeof node !== 'object') return node;
    const object = node as JsonObject;
    const lifted: JsonObject = {};
    for (const [key, value] of Object.entries(object)) lifted[key] = lift(value);
    const title = typeof object.title === 'string' && object.type === 'object' ? object.title : undefined;
    if (!title) return lifted;
    const text = JSON.stringify(lifted);
    const known = seen.get(title);
    // The same title on a different shape stays inline rather than hiding one of them.
    if (known !== undefined && known !== text) return lifted;
    seen.set(title, text);
    schemas[title] = lifted;
    return { $ref: `#/components/schemas/${title}` };
  };
  document.paths = lift(document.paths);
  document.components = { ...components, schemas };
  return document;
}

/** The OpenAPI header of the document: servers relative to wherever it is served. */
export function openapiBase(publicUrl: string) {
  const basePath = new URL(publicUrl).pathname.replace(/\/+$/, '');
  return {
    openapi: '3.0.3' as const,
    info: {
      title: 'Termin',
      description:
        'Open-source scheduling API speaking the meetergo v4 booking API. Authenticate with `Authorization: Bearer <credential>`: a company API key (`ak_live:…`, act as a user with `x-meetergo-api-user-id`) or a personal access token (`rgo-…`, acts as its owner).',
      version: '0.1.0',
    },
    // Host-relative, so "try it" works from whatever host the docs page was opened at.
    servers: [{ url: basePath || '/', description: 'This server' }],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http' as const,
          scheme: 'bearer',
          description: 'A company API key (`ak_live:…`) or a personal access token (`rgo-…`)',
        },
        adminKey: { type: 'http' as const, scheme: 'bearer', description: "The operator's TERMIN_ADMIN_KEY" },
      },
    },
    security: [{ bearerAuth: [] }],
  };
}
