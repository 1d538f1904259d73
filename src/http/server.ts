// The Fastify instance with everything that is not a feature: logging with request ids and
// redaction, body parsing, the error model and the OpenAPI document with its reference UI.
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling } from './errors.ts';
import { ErrorResponse } from './params.ts';
import { validatorCompiler } from './validation.ts';

export interface ServerOptions {
  logLevel: string;
  publicUrl: string;
  /** A writable stream for logs (tests capture them); stdout when absent. */
  logStream?: NodeJS.WritableStream;
  /** Proxy hops whose X-Forwarded-For is believed (0: none), so per-address limits see clients. */
  trustProxyHops?: number;
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
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler());

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Clients (seed 003) send `Content-Type: application/json` on bodiless DELETEs: treat as no body.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    return defaultJson(request, body as string, done);
  });

  registerErrorHandling(app as unknown as FastifyInstance);
  app.addSchema(ErrorResponse);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Termin',
        description:
          'Open-source scheduling API speaking the meetergo v4 booking API. Authenticate with `Authorization: Bearer <API key>`; most endpoints also take `x-meetergo-api-user-id`.',
        version: '0.1.0',
      },
      servers: [{ url: options.publicUrl }],
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}

export type App = Awaited<ReturnType<typeof createServer>>;
