// The pages behind the links in attendees' emails (GET, HTML). They only read; the change itself
// is the page's fetch to the existing POST routes of bookings.routes.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/app-error.ts';
import { PAGE_CSP } from './self-service.layout.ts';
import { type RenderedPage, cancelPage, notFoundPage, reschedulePage, tooManyPage } from './self-service.pages.ts';
import { RESCHEDULE_WINDOW_DAYS, type SelfServiceService } from './self-service.service.ts';
import { languageOfHeader } from './self-service.strings.ts';

// No length limits here: an over-long secret is a wrong secret and gets the same 404 page.
const SecretParams = Type.Object({ id: Type.String(), secret: Type.String() });

// The address carries the secret: no caching, no referrer, no framing, no indexing.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
};

export function selfServiceRoutes(deps: { selfService: SelfServiceService }): FastifyPluginAsyncTypebox {
  const { selfService } = deps;
  return async (app) => {
    const options = { config: { auth: 'none' as const }, schema: { hide: true, params: SecretParams } };

    app.get('/booking/confirm/cancel/:id/:secret', options, async (request, reply) => {
      const { id, secret } = request.params;
      const page = await selfService.forCancel(id, secret, request.ip).then(cancelPage, failurePage(request));
      return sendPage(reply, page);
    });

    app.get('/booking/confirm/reschedule/:id/:secret', options, async (request, reply) => {
      const { id, secret } = request.params;
      const page = await selfService
        .forReschedule(id, secret, request.ip)
        .then(({ view, days }) => reschedulePage(view, days, RESCHEDULE_WINDOW_DAYS), failurePage(request));
      return sendPage(reply, page);
    });
  };
}

/** Unknown appointment or wrong secret → the 404 page; a locked-out address → the 429 page. */
function failurePage(request: FastifyRequest) {
  return (error: unknown): RenderedPage => {
    const language = languageOfHeader(request.headers['accept-language']);
    if (error instanceof AppError && error.code === 'not_found') return notFoundPage(language);
    if (error instanceof AppError && error.code === 'rate_limited') return tooManyPage(language, error.details.retryAfter ?? 60);
    throw error;
  };
}

function sendPage(reply: FastifyReply, page: RenderedPage): FastifyReply {
  reply.status(page.status).headers(PAGE_HEADERS);
  if (page.retryAfter !== undefined) reply.header('retry-after', String(page.retryAfter));
  return reply.send(page.html);
}
