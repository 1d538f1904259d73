// The pages behind the links of a provisional booking's emails (no API key: the token is the
// proof). GET only reads; the change is the page's form POST to the same address. A wrong, used
// or unknown token answers the same 404 page; an expired hold 410; a declined or settled one 409.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/app-error.ts';
import { type HoldPage, type HoldView, HOLD_PAGE_CSP, type Outcome, approvePage, confirmPage, outcomePage } from './provisional.pages.ts';
import type { LinkView, ProvisionalService } from './provisional.service.ts';

const LinkParams = Type.Object({ id: Type.String(), token: Type.String() });
const DecisionBody = Type.Union([
  Type.Object({ decision: Type.Optional(Type.String({ maxLength: 20 })), reason: Type.Optional(Type.String({ maxLength: 1000 })) }),
  Type.Null(),
]);

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': HOLD_PAGE_CSP,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
};

export const ATTENDEE_LINK = '/booking/confirm/double-opt-in';
export const HOST_LINK = '/booking/host-approval';

export function provisionalLinkRoutes(deps: { provisional: ProvisionalService }): FastifyPluginAsyncTypebox {
  const { provisional } = deps;
  return async (app) => {
    // The pages' forms post urlencoded fields (decision, reason); nothing else is read from them.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8 * 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const options = { config: { auth: 'none' as const }, schema: { hide: true, params: LinkParams } };
    const postOptions = { config: { auth: 'none' as const }, schema: { hide: true, params: LinkParams, body: DecisionBody } };

    app.get(`${ATTENDEE_LINK}/:id/:token`, options, async (request, reply) => {
      const { id, token } = request.params;
      const page = await provisional.view({ token, role: 'attendee' }, id).then(
        (view) => stateOf(view, 'attendee') ?? confirmPage(attendeeView(view)),
        failure(request),
      );
      return send(reply, page);
    });

    app.post(`${ATTENDEE_LINK}/:id/:token`, postOptions, async (request, reply) => {
      const { id, token } = request.params;
      const page = await provisional.confirmAsAttendee(token, id).then(() => outcomePage('confirmed', languageOf(request)), failure(request));
      return send(reply, page);
    });

    app.get(`${HOST_LINK}/:id/:token`, options, async (request, reply) => {
      const { id, token } = request.params;
      const page = await provisional.view({ token, role: 'host' }, id).then((view) => stateOf(view, 'host') ?? approvePage(hostView(view)), failure(request));
      return send(reply, page);
    });

    app.post(`${HOST_LINK}/:id/:token`, postOptions, async (request, reply) => {
      const { id, token } = request.params;
      const caller = { token, role: 'host' as const };
      const decline = request.body?.decision === 'decline';
      const result: Promise<Outcome> = decline
        ? provisional.decline(caller, id, request.body?.reason ?? null).then(() => 'declinedByYou')
        : provisional.approve(caller, id).then((hold) => (hold.status === 'confirmed' ? 'approved' : 'approvedAwaitingAttendee'));
      const page = await result.then((outcome) => outcomePage(outcome, languageOf(request)), failure(request));
      return send(reply, page);
    });
  };
}

/** A hold that can no longer be acted on shows why instead of its buttons. */
function stateOf(view: LinkView, role: 'host' | 'attendee'): HoldPage | undefined {
  const language = role === 'host' ? view.host.language : attendeeOf(view).language;
  if (view.overdue || view.hold.status === 'expired') return outcomePage('expired', language);
  if (view.hold.status !== 'pending') return outcomePage('closed', language);
  return undefined;
}

function attendeeOf(view: LinkView): { name: string; zone: string; language: string } {
  const a = (view.hold.dto.attendee ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  const name = text(a.fullname) ?? [text(a.firstname), text(a.lastname)].filter(Boolean).join(' ');
  return { name: name || String(a.email ?? ''), zone: text(a.timezone) ?? 'UTC', language: text(a.language) ?? 'en' };
}

function common(view: LinkView): Omit<HoldView, 'zone' | 'language'> {
  return {
    title: view.title,
    start: Date.parse(view.hold.start),
    end: Date.parse(view.hold.end),
    expiresAt: Date.parse(view.hold.expiresAt),
    hostNames: view.hold.hosts.map((h) => `${h.givenName} ${h.familyName}`.trim()),
    attendeeName: attendeeOf(view).name,
  };
}

const attendeeView = (view: LinkView): HoldView => ({ ...common(view), zone: attendeeOf(view).zone, language: attendeeOf(view).language });
const hostView = (view: LinkView): HoldView => ({ ...common(view), zone: view.host.zone, language: view.host.language });

function languageOf(request: FastifyRequest): string {
  return String(request.headers['accept-language'] ?? 'en').slice(0, 2);
}

/** Known refusals become their page; anything else is a real error. */
function failure(request: FastifyRequest) {
  return (error: unknown): HoldPage => {
    const language = languageOf(request);
    if (error instanceof AppError && error.code === 'not_found') return outcomePage('notFound', language);
    if (error instanceof AppError && error.code === 'gone') return outcomePage('expired', language);
    if (error instanceof AppError && error.code === 'conflict') return outcomePage('closed', language);
    throw error;
  };
}

function send(reply: FastifyReply, page: HoldPage): FastifyReply {
  return reply.status(page.status).headers(PAGE_HEADERS).send(page.html);
}
