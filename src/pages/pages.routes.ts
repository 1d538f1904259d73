// The public booking pages (HTML): `/{userSlug}`, `/{userSlug}/{meetingTypeSlug}` (GET to look,
// POST to book), `/team/{teamSlug}/{meetingTypeSlug}` (team types, booked through their queue), the confirmation's
// ICS download, the bundled script and embed.js. No API key is read here; every address gets its
// own request budget; an unknown slug, a disabled type and another company's appointment all
// answer the same 404 page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SlotCache } from '../availability/slot-cache.ts';
import { AppError } from '../lib/app-error.ts';
import { randomToken } from '../lib/secrets.ts';
import { SLUG_PATTERN } from '../lib/text.ts';
import type { PageAssets } from './pages.assets.ts';
import { type Answer, type PageRequest, type Query, createPageHandlers } from './pages.handlers.ts';
import { createEmailLinkHandlers } from './pages.email-links.ts';
import { languageOfHeader } from './pages.strings.ts';
import { layout } from './pages.layout.ts';
import type { PageTarget, PagesService } from './pages.service.ts';
import { createPageSubmit } from './pages.submit.ts';
import { type Page, notFoundPage, tooManyPage } from './pages.view.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route forgets only its own company's cached slots (app.ts skips the global forget). */
    ownSlotCache?: boolean;
  }
}

/** First path segments that belong to the API or other routes, never to a host. */
const RESERVED = new Set(['v4', 'v1', 'booking', 'docs', 'admin', 'health', 'assets', 'team', 'api', 'openapi.json', 'metrics', 'readyz', 'healthz', 'webhooks', 'booking-availability']);
const slugPattern = new RegExp(SLUG_PATTERN);

const SlugParams = Type.Object({ userSlug: Type.String({ maxLength: 200 }) });
const TypeParams = Type.Object({ userSlug: Type.String({ maxLength: 200 }), typeSlug: Type.String({ maxLength: 200 }) });
const TeamParams = Type.Object({ teamSlug: Type.String({ maxLength: 200 }), typeSlug: Type.String({ maxLength: 200 }) });
const SecretParams = Type.Object({ id: Type.String(), secret: Type.String() });
const AnyQuery = Type.Record(Type.String(), Type.String());

export interface PagesRoutesDeps {
  pages: PagesService;
  assets: PageAssets;
  publicUrl: string;
  /** CSP frame-ancestors of `?embed=1` pages (TERMIN_EMBED_FRAME_ANCESTORS). */
  frameAncestors: string;
  /** Per-address budget: 0 when allowed, else seconds to wait (the shared limit store). */
  limiter: { take(key: string): Promise<number> };
  slotCache: Pick<SlotCache, 'invalidate'>;
  icsBySecret: (id: string, secret: string, address: string) => Promise<string>;
}

export function pagesRoutes(deps: PagesRoutesDeps): FastifyPluginAsyncTypebox {
  const { assets, limiter } = deps;
  const base = new URL(deps.publicUrl).pathname.replace(/\/+$/, '');
  const handlers = createPageHandlers({ pages: deps.pages, publicUrl: deps.publicUrl });
  const { submit } = createPageSubmit({ pages: deps.pages, handlers });
  const emailLinks = createEmailLinkHandlers({ pages: deps.pages });
  const scriptSrc = `${base}/assets/pages-${assets.pages.version}.js`;

  const pageRequest = (request: FastifyRequest): PageRequest => ({
    query: (request.query ?? {}) as Query,
    language: languageOfHeader(request.headers['accept-language']),
    address: request.ip,
    base,
  });

  function send(reply: FastifyReply, page: Page, options: { lang: string; embed: boolean }): FastifyReply {
    const nonce = randomToken(16);
    const { html, csp } = layout({
      lang: options.lang,
      title: page.title,
      body: page.body,
      style: page.style,
      data: page.data,
      formTargets: page.formTargets,
      script: { src: scriptSrc, integrity: assets.pages.integrity },
      nonce,
      frameAncestors: options.embed ? deps.frameAncestors : "'none'",
    });
    reply.status(page.status).headers({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      // Pages may carry one-time tokens, reschedule links and, after booking, the secret.
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
    if (!options.embed) reply.header('x-frame-options', 'DENY');
    return reply.send(html);
  }

  function answer(reply: FastifyReply, result: Answer): FastifyReply {
    if ('redirect' in result) return reply.status(303).header('location', result.redirect).header('cache-control', 'no-store').send();
    return send(reply, result.page, { lang: result.ctx.lang, embed: result.ctx.embed });
  }

  /** Unknown slugs and disabled types: one 404 page; anything else is not ours to hide. */
  function failure(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
    const lang = languageOfHeader(request.headers['accept-language']);
    const embed = (request.query as Query | undefined)?.embed === '1';
    if (error instanceof AppError && error.code === 'not_found') return send(reply, notFoundPage(lang), { lang, embed });
    if (error instanceof AppError && error.code === 'rate_limited') {
      reply.header('retry-after', String(error.details.retryAfter ?? 60));
      return send(reply, tooManyPage(lang), { lang, embed });
    }
    throw error;
  }

  const notOurs = (slug: string) => RESERVED.has(slug) || !slugPattern.test(slug);

  return async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32 * 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    // Per address, before any work: pages are public, so this is their only brake.
    app.addHook('onRequest', async (request, reply) => {
      if ((await limiter.take(`page:${request.ip}`)) === 0) return;
      const lang = languageOfHeader(request.headers['accept-language']);
      return send(reply, tooManyPage(lang), { lang, embed: false }).header('retry-after', '60');
    });

    const hidden = (operationId: string, params?: object) => ({ config: { auth: 'none' as const }, schema: { hide: true, operationId, ...params } });

    app.get('/assets/pages-:version.js', hidden('getPagesScript'), async (_request, reply) =>
      reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(assets.pages.body),
    );
    app.get('/embed.js', hidden('getEmbedScript'), async (_request, reply) =>
      reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(assets.embed.body),
    );

    app.get('/booking/confirm/ics/:id/:secret', hidden('getAppointmentIcsBySecret', { params: SecretParams }), async (request, reply) => {
      const { id, secret } = request.params as { id: string; secret: string };
      try {
        const ics = await deps.icsBySecret(id, secret, request.ip);
        return reply
          .headers({ 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'attachment; filename="appointment.ics"', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
          .send(ics);
      } catch (error) {
        return failure(request, reply, error);
      }
    });

    // The links in attendees' emails open the pages' flows (pages.email-links.ts); opening only reads.
    app.get('/booking/confirm/reschedule/:id/:secret', hidden('getRescheduleLinkPage', { params: SecretParams, querystring: AnyQuery }), async (request, reply) => {
      const { id, secret } = request.params as { id: string; secret: string };
      return emailLinks.reschedule(pageRequest(request), id, secret).then((r) => answer(reply, r), (e) => failure(request, reply, e));
    });
    app.get('/booking/confirm/cancel/:id/:secret', hidden('getCancelLinkPage', { params: SecretParams, querystring: AnyQuery }), async (request, reply) => {
      const { id, secret } = request.params as { id: string; secret: string };
      const path = `/booking/confirm/cancel/${encodeURIComponent(id)}/${encodeURIComponent(secret)}`;
      // The address carries the secret: never indexed.
      reply.header('x-robots-tag', 'noindex, nofollow');
      return emailLinks.cancelForm(pageRequest(request), id, secret, path).then((r) => answer(reply, r), (e) => failure(request, reply, e));
    });
    // The cancel form's target: beside the JSON API's POST …/{secret}, so logs redact it the same way.
    app.post(
      '/booking/confirm/cancel/:id/:secret/page',
      { ...hidden('submitCancelLinkPage', { params: SecretParams, querystring: AnyQuery }), config: { auth: 'none' as const, ownSlotCache: true } },
      async (request, reply) => {
        const { id, secret } = request.params as { id: string; secret: string };
        const reason = (request.body as Query | undefined)?.reason;
        try {
          const result = await emailLinks.cancel(pageRequest(request), id, secret, typeof reason === 'string' ? reason : undefined);
          if (result.companyId) deps.slotCache.invalidate(result.companyId);
          return answer(reply, result);
        } catch (error) {
          return failure(request, reply, error);
        }
      },
    );

    app.get('/team/:teamSlug/:typeSlug', hidden('getTeamBookingPage', { params: TeamParams, querystring: AnyQuery }), async (request, reply) => {
      const { teamSlug, typeSlug } = request.params as { teamSlug: string; typeSlug: string };
      const resolve = () => deps.pages.teamTarget(teamSlug, typeSlug);
      return handlers.meetingType(pageRequest(request), resolve).then((r) => answer(reply, r), (e) => failure(request, reply, e));
    });

    app.get('/:userSlug', hidden('getPersonalBookingPage', { params: SlugParams, querystring: AnyQuery }), async (request, reply) => {
      const { userSlug } = request.params as { userSlug: string };
      if (notOurs(userSlug)) return reply.callNotFound();
      return handlers.personal(pageRequest(request), userSlug).then((r) => answer(reply, r), (e) => failure(request, reply, e));
    });

    app.get('/:userSlug/:typeSlug', hidden('getMeetingTypeBookingPage', { params: TypeParams, querystring: AnyQuery }), async (request, reply) => {
      const { userSlug, typeSlug } = request.params as { userSlug: string; typeSlug: string };
      if (notOurs(userSlug)) return reply.callNotFound();
      return handlers.meetingType(pageRequest(request), () => deps.pages.target(userSlug, typeSlug)).then((r) => answer(reply, r), (e) => failure(request, reply, e));
    });

    async function submitted(request: FastifyRequest, reply: FastifyReply, resolve: () => Promise<PageTarget>) {
      const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Query;
      try {
        const result = await submit(pageRequest(request), body, resolve);
        // Only this company's cached slot answers are stale now.
        if (result.companyId) deps.slotCache.invalidate(result.companyId);
        return answer(reply, result);
      } catch (error) {
        return failure(request, reply, error);
      }
    }
    const submitConfig = { auth: 'none' as const, ownSlotCache: true };

    app.post(
      '/:userSlug/:typeSlug',
      { ...hidden('submitBookingPage', { params: TypeParams, querystring: AnyQuery }), config: submitConfig },
      async (request, reply) => {
        const { userSlug, typeSlug } = request.params as { userSlug: string; typeSlug: string };
        if (notOurs(userSlug)) return reply.callNotFound();
        return submitted(request, reply, () => deps.pages.target(userSlug, typeSlug));
      },
    );
    app.post(
      '/team/:teamSlug/:typeSlug',
      { ...hidden('submitTeamBookingPage', { params: TeamParams, querystring: AnyQuery }), config: submitConfig },
      async (request, reply) => {
        const { teamSlug, typeSlug } = request.params as { teamSlug: string; typeSlug: string };
        return submitted(request, reply, () => deps.pages.teamTarget(teamSlug, typeSlug));
      },
    );
  };
}
