// Route schemas of calendar connections (spec §2.11 M1, plus connect/change/remove).
import { type Static, Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const ConnectedCalendar = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    url: Type.String(),
    color: Nullable(Type.String()),
    countsForBusyTime: Type.Boolean({ description: 'Its events block slots' }),
    receivesAppointments: Type.Boolean({ description: 'New appointments are written into it' }),
    lastSyncedAt: Nullable(Type.String({ description: 'Last successful read of its busy time' })),
    lastError: Nullable(Type.String()),
    lastErrorAt: Nullable(Type.String()),
    stale: Type.Boolean({ description: 'Busy time older than the stale limit, or the last read failed' }),
  },
  { title: 'ConnectedCalendar', additionalProperties: true },
);

export const CalendarConnection = Type.Object(
  {
    id: Type.String(),
    type: Type.Union([Type.Literal('caldav'), Type.Literal('ics')]),
    provider: Type.String({ description: 'caldav or ics' }),
    userId: Type.String(),
    url: Type.String(),
    username: Nullable(Type.String()),
    email: Nullable(Type.String()),
    calendars: Type.Array(ConnectedCalendar),
    lastSyncedAt: Nullable(Type.String({ description: 'The oldest last successful read among its busy-time calendars' })),
    lastError: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'CalendarConnection', additionalProperties: true },
);

export const CalendarConnectionList = Type.Array(CalendarConnection, { title: 'CalendarConnectionList' });

export const CreateCalendarConnectionBody = Type.Object({
  type: Type.Union([Type.Literal('caldav'), Type.Literal('ics')]),
  url: Type.String({ minLength: 8, maxLength: 2048 }),
  username: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
});

export const UpdateCalendarConnectionBody = Type.Object({
  url: Type.Optional(Type.String({ minLength: 8, maxLength: 2048 })),
  username: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  calendars: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.String({ maxLength: 100 }),
        countsForBusyTime: Type.Optional(Type.Boolean()),
        receivesAppointments: Type.Optional(Type.Boolean()),
      }),
      { maxItems: 100 },
    ),
  ),
});

export const DeletedConnection = Type.Object({ message: Type.String() }, { title: 'DeletedCalendarConnection' });

export const ConnectionListQuery = Type.Object({
  userId: Type.Optional(Type.String({ maxLength: 100, description: 'Only this user’s connections (default: the acting user’s, else all)' })),
});

export type CalendarConnectionJson = Static<typeof CalendarConnection>;
export type ConnectedCalendarJson = Static<typeof ConnectedCalendar>;
export type CreateCalendarConnectionInput = Static<typeof CreateCalendarConnectionBody>;
export type UpdateCalendarConnectionInput = Static<typeof UpdateCalendarConnectionBody>;
