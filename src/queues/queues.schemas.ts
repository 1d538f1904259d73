// TypeBox schemas of the queue routes (spec §2.10): validation, serialization, OpenAPI and the
// JSON types of queues.json.ts.
import { Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(schema: T) => Type.Union([schema, Type.Null()]);
const Id = Type.String({ maxLength: 100 });

export const QueueTypeSchema = Type.Union([Type.Literal('simpleRoundRobin'), Type.Literal('advancedRoundRobin'), Type.Literal('equalDistribution')]);
const PeriodSchema = Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]);

export const UserRef = Type.Object({ id: Type.String(), email: Type.String(), givenName: Type.String(), familyName: Type.String(), fullName: Type.String() });

export const QueueUserGroup = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    capacity: Type.Integer(),
    users: Type.Array(UserRef),
    userIds: Type.Array(Type.String()),
    queueId: Type.String(),
    mainGroupHost: Type.Union([UserRef, Type.Null()]),
    mainGroupHostId: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    deletedAt: Nullable(Type.String()),
  },
  { title: 'QueueUserGroup' },
);

export const QueueMember = Type.Object({
  userId: Type.String(),
  priority: Nullable(Type.Integer()),
  capacity: Type.Integer(),
  customLink: Nullable(Type.String()),
  user: Type.Union([UserRef, Type.Null()]),
});

export const Queue = Type.Object(
  {
    id: Type.String(),
    companyId: Type.String(),
    workspaceId: Type.String({ description: 'The company-wide default workspace (the company id)' }),
    meetingTypeId: Type.String(),
    type: QueueTypeSchema,
    collective: Type.Boolean({ description: 'Every member must be free and all become hosts' }),
    maxLeadThreshold: Nullable(Type.Integer()),
    distributionPeriod: PeriodSchema,
    prioritizeNearTermAvailability: Type.Boolean(),
    users: Type.Array(QueueMember),
    userIds: Type.Array(Type.String()),
    userGroups: Type.Array(QueueUserGroup),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'Queue' },
);

export const QueueList = Type.Array(Queue, { title: 'QueueList' });

export const NextHost = Type.Object({
  userId: Type.String({ description: 'The main host of this turn' }),
  userIds: Type.Array(Type.String(), { description: 'Every host this turn brings (a group brings all its members)' }),
  groupId: Nullable(Type.String()),
  bookings: Type.Integer({ description: 'Active bookings in the current distribution period' }),
  selectionReason: Type.String(),
});

export const NextHosts = Type.Object({ nextHosts: Type.Array(NextHost) }, { title: 'QueueNextHosts' });

export const UpdateQueueBody = Type.Object({
  userId: Type.Optional(Id),
  userCapacities: Type.Optional(Type.Array(Type.Object({ userId: Id, capacity: Type.Integer({ minimum: 1, maximum: 1000 }) }), { maxItems: 500 })),
  userPriorities: Type.Optional(
    Type.Array(Type.Object({ userId: Id, priority: Type.Union([Type.Integer({ minimum: -1000, maximum: 1000 }), Type.Null()]) }), { maxItems: 500 }),
  ),
  userCustomLinks: Type.Optional(Type.Array(Type.Object({ userId: Id, link: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]) }), { maxItems: 500 })),
  type: Type.Optional(QueueTypeSchema),
  maxLeadThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  distributionPeriod: Type.Optional(PeriodSchema),
  prioritizeNearTermAvailability: Type.Optional(Type.Boolean()),
  collective: Type.Optional(Type.Boolean()),
});

export const CreateGroupBody = Type.Object({ queueId: Id, name: Type.String({ minLength: 1, maxLength: 200 }) });

export const UpdateGroupBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  userId: Type.Optional(Id),
  mainGroupHostId: Type.Optional(Type.Union([Id, Type.Null()])),
});
