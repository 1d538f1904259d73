// The Fastify instance with everything that is not a feature: logging with request ids and
// redaction, body parsing, the error model and the OpenAPI document with its reference UI.
import { randomUUID } from 'node:crypto';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { documentRoute, nameSchemas, openapiBase } from './openapi.ts';
import { clientErrorHandler, registerErrorHandling } from './errors.ts';
import { assertCleanInput, jsonTooDeep, tooDeepError } from './input-guard.ts';
import { ErrorResponse } from './params.ts';
import { validatorCompiler } from './validation.ts';

export interface ServerOptions {
  logLevel: string;
  publicUrl: string;
  /** A writable stream for logs (tests capture them); stdout when absent. */
  logStream?: NodeJS.WritableStream;
  /** Proxy hops whose X-Forwarded-For is believed (0: none), so per-address limits see clients. */
  trustProxyHops?: number;
  /** Time-outs and a connection cap against slow, idle and too many clients (see connectionLimits). */
  connections?: ConnectionLimits;
}

export interface ConnectionLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

/**
 * Fastify/Node options for `limits`. A socket that sends nothing (or headers too slowly) is closed
 * after headersTimeout; one idle after a response after keepAliveTimeout; a socket silent for a
 * whole request time-out is cut whatever it is doing. Node checks the first two on an interval, so
 * the interval is a fraction of the shortest time-out instead of its 30 s default.
 */
function connectionOptions(limits: ConnectionLimits | undefined) {
  if (!limits) return {};
  const requestTimeout = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs);
  const checkEvery = Math.max(250, Math.min(5000, Math.floor(Math.min(limits.headersTimeoutMs, limits.keepAliveTimeoutMs) / 2)));
  return {
    requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: requestTimeout,
    http: { headersTimeout: limits.headersTimeoutMs, requestTimeout, connectionsCheckingInterval: checkEvery },
  };
}

const BODY_LIMIT = 1024 * 1024;

/**
 * Secrets that travel in URLs are cut from logged URLs: self-service links and their pages, and
 * the booking pages' one-time tokens, reschedule emails and secrets.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/(\/booking\/confirm\/(?:cancel|reschedule|ics)\/[^/?]+\/)[^/?]+/, '$1[redacted]')
    .replace(/([?&](?:once|email|secret)=)[^&#]*/g, '$1[redacted]');
}

/**
 * Fastify's own response serializers, each built on its route's first answer instead of at
 * start-up (building them all was about a third of the start time; see BENCHMARKS.md).
 */
function lazySerializers(externalSchemas?: unknown, options?: SerializerSelector.Options): SerializerSelector.SerializerCompiler {
  const compile = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let serialize: SerializerSelector.Serializer | undefined;
    return (doc) => {
      serialize ??= compile(route);
      return serialize(doc);
    };
  };
}

export async function createServer(options: ServerOptions) {
  const app = Fastify({
    ...(options.trustProxyHops ? { trustProxy: (_address: string, hop: number) => hop < options.trustProxyHops! } : {}),
    logger: {
      level: options.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: redactUrl(req.url) }),
      },
    },
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    schemaController: { compilersFactory: { buildSerializer: lazySerializers } },
    // Node-level failures (oversized headers, unparsable requests) answer in the one error shape too.
    clientErrorHandler,
    ...connectionOptions(options.connections),
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Beyond the cap, new connections are refused at accept so one client cannot exhaust descriptors.
  if (options.connections) app.server.maxConnections = options.connections.maxConnections;

  app.setValidatorCompiler(validatorCompiler());

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Clients (seed 003) send `Content-Type: application/json` on bodiless DELETEs: treat as no body.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    if (jsonTooDeep(body as string)) return done(tooDeepError(), undefined);
    return defaultJson(request, body as string, done);
  });
  // NUL and lone surrogates anywhere in the parsed request: one 400 before validation (input-guard.ts).
  app.addHook('preValidation', async (request) => {
    assertCleanInput(request);
  });

  registerErrorHandling(app as unknown as FastifyInstance);
  app.addSchema(ErrorResponse);

  await app.register(swagger, {
    openapi: openapiBase(options.publicUrl),
    transform: documentRoute as never,
    transformObject: nameSchemas as never,
    // Shared schemas (ErrorResponse) keep their $id as the component name.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}

export type App = Awaited<ReturnType<typeof createServer>>;
