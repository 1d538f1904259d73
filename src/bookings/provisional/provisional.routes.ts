// The provisional-booking API (spec §2.9): the paginated listing (PB1), decline (PB2), the host's
// confirm (spec §7 gap 1), and the company defaults that `useCompanySettings` resolves to.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { principalOf, viewerOf } from '../../http/auth.ts';
import { errorResponses } from '../../http/params.ts';
import { authErrors } from '../bookings.schemas.ts';
import type { ProvisionalService } from './provisional.service.ts';
import {
  CompanySettings,
  CompanySettingsPatch,
  ConfirmAnswer,
  DeclineAnswer,
  DeclineBody,
  ProvisionalListQuery,
  ProvisionalPage,
} from './provisional.schemas.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const tags = ['Provisional booking'];

export function provisionalRoutes(deps: { provisional: ProvisionalService }): FastifyPluginAsyncTypebox {
  const { provisional } = deps;
  return async (app) => {
    app.get(
      '/v4/provisional-booking/paginated',
      {
        config: { auth: 'company' },
        schema: {
          tags,
          summary: 'List double opt-in and host-approval holds (pageSize: pages from 0; limit: from 1)',
          description:
            "Without `all` or `userId`, an acting user sees the holds they host; `all=true` lists the whole company. `all` and another user's `userId` need a company API key or an owner's or admin's token (else 403); a member's token lists only their own holds.",
          querystring: ProvisionalListQuery,
          response: { 200: ProvisionalPage, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return provisional.list(principal.companyId, viewerOf(principal), request.query);
      },
    );

    app.post(
      '/v4/provisional-booking/:id/confirm',
      {
        config: { auth: 'company' },
        schema: {
          tags,
          summary: "Approve a hold as its host; with double opt-in too, the attendee's confirmation email goes out next",
          params: IdParams,
          response: { 200: ConfirmAnswer, ...authErrors, ...errorResponses(404, 409, 410) },
        },
      },
      async (request) => {
        const { companyId } = principalOf(request);
        const hold = await provisional.approve({ companyId }, request.params.id);
        const message = hold.status === 'confirmed' ? 'Successfully confirmed provisional booking' : 'Approved; awaiting the attendee';
        return { message, provisionalBooking: hold };
      },
    );

    app.post(
      '/v4/provisional-booking/:id/decline',
      {
        config: { auth: 'company' },
        schema: {
          tags,
          summary: 'Decline a pending hold; the slot is freed and the attendee is told (with the reason)',
          params: IdParams,
          body: DeclineBody,
          response: { 200: DeclineAnswer, ...authErrors, ...errorResponses(404, 409, 410) },
        },
      },
      async (request) => {
        const { companyId } = principalOf(request);
        const hold = await provisional.decline({ companyId }, request.params.id, request.body?.reason ?? null);
        return { message: 'Successfully declined provisional booking', provisionalBooking: hold };
      },
    );

    app.get(
      '/v4/provisional-booking/settings',
      {
        config: { auth: 'company' },
        schema: {
          tags,
          summary: "The company's defaults for meeting types set to useCompanySettings, and the expiry of each step",
          response: { 200: CompanySettings, ...authErrors },
        },
      },
      async (request) => provisional.settings(principalOf(request).companyId),
    );

    app.patch(
      '/v4/provisional-booking/settings',
      {
        config: { auth: 'company' },
        schema: { tags, summary: "Change the company's defaults", body: CompanySettingsPatch, response: { 200: CompanySettings, ...authErrors } },
      },
      async (request) => provisional.updateSettings(principalOf(request).companyId, request.body),
    );
  };
}
