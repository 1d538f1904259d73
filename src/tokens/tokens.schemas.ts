// Request and response schemas of personal access token management; JSON types derive from them.
import { type Static, Type } from '@fastify/type-provider-typebox';
import { TOKEN_SCOPES } from './token-scopes.ts';

const tokenFields = {
  id: Type.String(),
  userId: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the token, for recognising it' }),
  scopes: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'Capability groups the token may use; null: all of them',
  }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
};

export const PersonalAccessToken = Type.Object(tokenFields, { title: 'PersonalAccessToken' });
export const IssuedPersonalAccessToken = Type.Object(
  { ...tokenFields, token: Type.String({ description: '`rgo-` + 32 characters; shown only in this answer' }) },
  { title: 'IssuedPersonalAccessToken' },
);

export const CreateTokenBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  userId: Type.Optional(
    Type.String({ description: 'The owner; defaults to the user named by x-meetergo-api-user-id' }),
  ),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  scopes: Type.Optional(
    Type.Array(Type.Union(TOKEN_SCOPES.map((scope) => Type.Literal(scope))), { minItems: 1, maxItems: 5 }),
  ),
});
export type CreateTokenBody = Static<typeof CreateTokenBody>;

export const ListTokensQuery = Type.Object({ userId: Type.Optional(Type.String()) });
