// Route schemas of the availabilities API (spec §2.4, §4.3).
import { Type } from '@fastify/type-provider-typebox';
import { open } from '../http/params.ts';

export const ExceptionJson = open({
  id: Type.Integer(),
  availabilityId: Type.String(),
  available: Type.Boolean(),
  start: Type.String(),
  end: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
}, { title: 'AvailabilityException' });

export const AvailabilityJson = open({
  id: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  isDefault: Type.Boolean(),
  userId: Type.String(),
  companyId: Type.String(),
  schedule: Type.Unknown(),
  availabilityExceptions: Type.Array(ExceptionJson),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { title: 'Availability' });

/** Weekday-object form or the array form `[{ dayOfWeek, intervals: [{ from, to }] }]`; checked in the service. */
const Schedule = Type.Unknown();

export const CreateAvailabilityBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
  schedule: Type.Optional(Schedule),
  isDefault: Type.Optional(Type.Boolean()),
});

export const UpdateAvailabilityBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
  schedule: Type.Optional(Schedule),
  isDefault: Type.Optional(Type.Boolean()),
});

export const CreateExceptionBody = Type.Object({
  start: Type.String({ maxLength: 40 }),
  end: Type.String({ maxLength: 40 }),
  available: Type.Boolean(),
  title: Type.Optional(Type.String({ maxLength: 200 })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const ExceptionParams = Type.Object({
  id: Type.String({ maxLength: 100 }),
  exceptionId: Type.String({ maxLength: 40 }),
});
