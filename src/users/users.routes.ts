// HTTP surface of the users API (spec §2.2). Thin: parse, call the service, answer.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { principalOf, viewerOf } from '../http/auth.ts';
import { AppError } from '../lib/app-error.ts';
import { ADMIN_ONLY } from '../lib/viewer.ts';
import { IdParams, errorResponses, requireUuid } from '../http/params.ts';
import { findOwner } from './users.repo.ts';
import {
  CreateUserBody,
  CreatedUser,
  ListUsersQuery,
  UpdateUserBody,
  User,
  UserList,
  authErrors,
} from './users.schemas.ts';
import type { UsersService } from './users.service.ts';
import type { Db } from '../db/database.ts';

export function usersRoutes(deps: { users: UsersService; db: Db }): FastifyPluginAsyncTypebox {
  const { users, db } = deps;
  return async (app) => {
    app.post(
      '/v4/user',
      {
        config: { auth: 'company' },
        schema: {
          tags: ['Users'],
          summary: 'Create a user with a default availability and meeting type',
          body: CreateUserBody,
          response: { 201: CreatedUser, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request, reply) => {
        const created = await users.create(principalOf(request).companyId, request.body);
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/v4/user',
      {
        config: { auth: 'company' },
        schema: { tags: ['Users'], summary: 'List the company users', querystring: ListUsersQuery, response: { 200: UserList, ...authErrors } },
      },
      async (request) => {
        const principal = principalOf(request);
        // The live API lists users for admins only; a company key is the company's own credential.
        if (!viewerOf(principal).wholeCompany) throw new AppError('forbidden', ADMIN_ONLY);
        return users.list(principal.companyId, request.query);
      },
    );

    app.get(
      '/v4/user/me',
      {
        config: { auth: 'company' },
        schema: {
          tags: ['Users'],
          summary: 'The acting user, or the company owner without the user header',
          response: { 200: User, ...authErrors },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        if (principal.user) return users.toJson(principal.user);
        const owner = await findOwner(db, principal.companyId);
        return users.get(principal.companyId, owner?.id ?? '00000000-0000-0000-0000-000000000000');
      },
    );

    app.get(
      '/v4/user/:id',
      {
        config: { auth: 'company' },
        schema: { tags: ['Users'], summary: 'One user', params: IdParams, response: { 200: User, ...authErrors, ...errorResponses(404) } },
      },
      async (request) => users.get(principalOf(request).companyId, requireUuid(request.params.id, 'User')),
    );

    app.patch(
      '/v4/user/:id',
      {
        config: { auth: 'company' },
        schema: {
          tags: ['Users'],
          summary: 'Update name, time zone, language or slug',
          params: IdParams,
          body: UpdateUserBody,
          response: { 200: User, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) =>
        users.update(principalOf(request).companyId, requireUuid(request.params.id, 'User'), request.body),
    );

    app.delete(
      '/v4/user/:id',
      {
        config: { auth: 'company' },
        schema: {
          tags: ['Users'],
          summary: 'Delete a user (not the owner, not yourself)',
          params: IdParams,
          response: { 200: Type.Object({ message: Type.String() }), ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        await users.remove(principal.companyId, requireUuid(request.params.id, 'User'), principal.user?.id);
        return { message: 'User deleted successfully' };
      },
    );
  };
}
