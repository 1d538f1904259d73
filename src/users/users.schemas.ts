// Route schemas of the users API (spec §2.2): validation, serialization and OpenAPI in one place.
import { Type } from '@fastify/type-provider-typebox';
import { errorResponses, open } from '../http/params.ts';

export const User = open({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  givenName: Type.String(),
  familyName: Type.String(),
  fullName: Type.String(),
  slug: Type.String(),
  timezone: Type.String(),
  language: Type.String(),
  isAdmin: Type.Boolean(),
  userType: Type.String(),
  companyId: Type.String(),
  defaultAvailabilityId: Type.Union([Type.String(), Type.Null()]),
  bookingUrl: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { title: 'User' });

export const CreateUserBody = Type.Object({
  email: Type.String({ maxLength: 320 }),
  givenName: Type.String({ maxLength: 100 }),
  familyName: Type.String({ maxLength: 100 }),
  timezone: Type.String({ maxLength: 64 }),
  availability: Type.Optional(
    Type.Object({
      name: Type.Optional(Type.String({ maxLength: 200 })),
      timezone: Type.Optional(Type.String({ maxLength: 64 })),
      schedule: Type.Optional(Type.Unknown()),
    }),
  ),
  meetingType: Type.Optional(
    Type.Object({
      name: Type.Optional(Type.String({ maxLength: 200 })),
      duration: Type.Optional(Type.Integer({ minimum: 5, maximum: 480 })),
      slug: Type.Optional(Type.String({ maxLength: 100 })),
      channel: Type.Optional(Type.String({ maxLength: 50 })),
    }),
  ),
});

export const CreatedUser = Type.Object({
  userId: Type.String(),
  availabilityId: Type.String(),
  defaultAvailabilityId: Type.String(),
  meetingTypeId: Type.String(),
  bookingUrl: Type.String(),
  companyId: Type.String(),
}, { title: 'CreatedUser' });

export const ListUsersQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  userType: Type.Optional(
    Type.Union(['standard', 'resource', 'api-platform', 'partner'].map((type) => Type.Literal(type))),
  ),
});

export const UserList = Type.Object({
  users: Type.Array(User),
  total: Type.Integer(),
  count: Type.Integer(),
  offset: Type.Integer(),
}, { title: 'UserList' });

export const UpdateUserBody = Type.Object({
  givenName: Type.Optional(Type.String({ maxLength: 100 })),
  familyName: Type.Optional(Type.String({ maxLength: 100 })),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
  slug: Type.Optional(Type.String({ maxLength: 100 })),
  language: Type.Optional(Type.Union(['en', 'de', 'fr', 'es', 'no', 'nl', 'it', 'pl', 'sv', 'tr', 'da'].map((l) => Type.Literal(l)))),
});

export const authErrors = errorResponses(400, 401, 403, 429);
