// HTTP surface of queues and queue user groups (spec §2.10). Thin: parse, call the service, answer.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { principalOf } from '../http/auth.ts';
import { IdParams, errorResponses } from '../http/params.ts';
import { CreateGroupBody, NextHosts, Queue, QueueList, QueueUserGroup, UpdateGroupBody, UpdateQueueBody } from './queues.schemas.ts';
import type { QueuesService } from './queues.service.ts';

const errors = errorResponses(400, 401, 403, 404, 429);
const tags = ['Queues'];
const WorkspaceParams = Type.Object({ workspaceId: Type.String({ maxLength: 100 }) });
const MeetingTypeParams = Type.Object({ meetingTypeId: Type.String({ maxLength: 100 }) });

export function queuesRoutes(deps: { queues: QueuesService }): FastifyPluginAsyncTypebox {
  const { queues } = deps;
  return async (app) => {
    const company = (request: Parameters<typeof principalOf>[0]) => principalOf(request).companyId;

    app.get(
      '/v4/queue/workspace/:workspaceId',
      {
        config: { auth: 'user' },
        schema: {
          tags,
          operationId: 'listQueuesOfWorkspace',
          summary: "The queues of a workspace (one company-wide workspace: its id is the company's, or `default`)",
          params: WorkspaceParams,
          response: { 200: QueueList, ...errors },
        },
      },
      async (request) => queues.list(company(request), request.params.workspaceId),
    );

    app.get(
      '/v4/queue/:id',
      { config: { auth: 'user' }, schema: { tags, operationId: 'getQueue', summary: 'A queue with its members, capacities and user groups', params: IdParams, response: { 200: Queue, ...errors } } },
      async (request) => queues.get(company(request), request.params.id),
    );

    app.get(
      '/v4/queue/:id/next',
      {
        config: { auth: 'user' },
        schema: {
          tags,
          operationId: 'getQueueNextHosts',
          summary: 'Who the queue would book next, in order (availability aside)',
          params: IdParams,
          response: { 200: NextHosts, ...errors },
        },
      },
      async (request) => queues.next(company(request), request.params.id),
    );

    app.patch(
      '/v4/queue/meeting-type/:meetingTypeId',
      {
        config: { auth: 'user' },
        schema: {
          tags,
          operationId: 'updateQueueOfMeetingType',
          summary: "Configure a meeting type's queue (creates it for a type without one); `userId` toggles a member",
          params: MeetingTypeParams,
          body: UpdateQueueBody,
          response: { 200: Queue, ...errors },
        },
      },
      async (request) => queues.configure(company(request), request.params.meetingTypeId, request.body),
    );

    app.post(
      '/v4/queue-user-group',
      {
        config: { auth: 'user' },
        schema: { tags, operationId: 'createQueueUserGroup', summary: 'Create a user group in a queue', body: CreateGroupBody, response: { 201: QueueUserGroup, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await queues.createGroup(company(request), request.body)),
    );

    app.patch(
      '/v4/queue-user-group/:id',
      {
        config: { auth: 'user' },
        schema: {
          tags,
          operationId: 'updateQueueUserGroup',
          summary: 'Update a user group; `userId` toggles a member, `mainGroupHostId` names the main host',
          params: IdParams,
          body: UpdateGroupBody,
          response: { 200: QueueUserGroup, ...errors },
        },
      },
      async (request) => queues.updateGroup(company(request), request.params.id, request.body),
    );
  };
}
