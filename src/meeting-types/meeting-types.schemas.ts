// Route schemas of the meeting-types API (spec §2.3, §4.4). Types and ranges are checked here;
// rules across fields (custom link, slug clashes, whose availability) in the service.
import { Type } from '@fastify/type-provider-typebox';
import { open } from '../http/params.ts';

const Translatable = (max: number) =>
  Type.Union([Type.String({ maxLength: max }), Type.Record(Type.String({ maxLength: 10 }), Type.String({ maxLength: max }))]);
const TriState = Type.Union([Type.Boolean(), Type.String({ maxLength: 40 })]);

export const MeetingInfoInput = Type.Object({
  name: Type.Optional(Translatable(200)),
  description: Type.Optional(Translatable(5000)),
  duration: Type.Optional(Type.Integer({ minimum: 5, maximum: 480 })),
  channel: Type.Optional(Type.String({ maxLength: 50 })),
  bufferBefore: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
  bufferAfter: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
  customChannelName: Type.Optional(Type.String({ maxLength: 200 })),
  customChannelLink: Type.Optional(Type.String({ maxLength: 2000 })),
  color: Type.Optional(Type.String({ maxLength: 50 })),
  enableRedirect: Type.Optional(Type.Boolean()),
  redirect: Type.Optional(Type.String({ maxLength: 2000 })),
  passEventDetailsToRedirect: Type.Optional(Type.Boolean()),
  showAvailableSlots: Type.Optional(Type.Boolean()),
  bufferMustStayWithinWorkingHours: Type.Optional(Type.Boolean()),
});

export const MeetingOptionsInput = Type.Object({
  allowedDurations: Type.Optional(Type.Array(Type.Integer({ minimum: 5, maximum: 480 }), { maxItems: 20 })),
  allowedChannels: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 25 })),
  allowAddingGuests: Type.Optional(Type.Boolean()),
  doubleOptIn: Type.Optional(TriState),
  requireHostConfirmation: Type.Optional(TriState),
  allowPhoneOnlyBooking: Type.Optional(Type.Boolean()),
  recurring: Type.Optional(
    Type.Object(
      {
        enabled: Type.Optional(Type.Boolean()),
        frequencies: Type.Optional(Type.Array(Type.Union([Type.Literal('weekly'), Type.Literal('biweekly'), Type.Literal('monthly')]), { minItems: 1, maxItems: 3 })),
        maxSessions: Type.Optional(Type.Integer({ minimum: 2, maximum: 52 })),
      },
      { description: "Termin's name for meetergo's series setting: attendees may book 2–maxSessions sessions at once (POST /v4/booking with recurrence). Not with spots > 1 or a queue." },
    ),
  ),
});

const DaysIntoFuture = Type.Union([
  Type.Object({ mode: Type.Literal('limit'), bookingLimit: Type.Integer({ minimum: 1, maximum: 5 * 365 * 24 * 60 }) }),
  Type.Object({ mode: Type.Literal('range'), rangeMin: Type.String({ maxLength: 40 }), rangeMax: Type.String({ maxLength: 40 }) }),
]);

const InlineAvailability = Type.Object({
  name: Type.String({ maxLength: 200 }),
  timezone: Type.String({ maxLength: 64 }),
  schedule: Type.Optional(Type.Unknown()),
  exceptions: Type.Optional(
    Type.Array(
      Type.Object({
        start: Type.String({ maxLength: 40 }),
        end: Type.String({ maxLength: 40 }),
        available: Type.Boolean(),
        title: Type.Optional(Type.String({ maxLength: 200 })),
        note: Type.Optional(Type.String({ maxLength: 2000 })),
      }),
      { maxItems: 100 },
    ),
  ),
});

const shared = {
  meetingOptions: Type.Optional(MeetingOptionsInput),
  slug: Type.Optional(Type.String({ maxLength: 100 })),
  enabled: Type.Optional(Type.Boolean()),
  availabilityId: Type.Optional(Type.String({ maxLength: 100 })),
  availability: Type.Optional(InlineAvailability),
  timeslotInterval: Type.Optional(Type.Integer({ minimum: 5, maximum: 60, description: 'Minutes between slot starts; default: the duration' })),
  bookingMinimum: Type.Optional(Type.Integer({ minimum: 0, maximum: 525_600, description: 'Minimum notice in minutes' })),
  daysIntoFuture: Type.Optional(DaysIntoFuture),
  spots: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  locations: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })),
  metadata: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 500 }), { maxProperties: 20 })),
  reminderMinutes: Type.Optional(
    Type.Array(Type.Integer({ minimum: 0, maximum: 10_080 }), {
      maxItems: 5,
      description: 'Reminder emails to attendees, in minutes before the start (0–10080, at most 5; default [1440]; [] for none)',
    }),
  ),
  allowPhoneOnlyBooking: Type.Optional(Type.Boolean()),
};

export const CreateMeetingTypeBody = Type.Object({
  meetingInfo: Type.Intersect([
    MeetingInfoInput,
    Type.Object({ name: Translatable(200), duration: Type.Integer({ minimum: 5, maximum: 480 }) }),
  ]),
  ...shared,
  // A team meeting type: its queue is created with it, the creator as the first member.
  queueType: Type.Optional(
    Type.Union([Type.Literal('simpleRoundRobin'), Type.Literal('advancedRoundRobin'), Type.Literal('equalDistribution')], {
      description: 'Makes this a round-robin team type with a queue of this type',
    }),
  ),
  templateType: Type.Optional(Type.String({ maxLength: 40, description: '`roundRobin` or `collective` make a team type' })),
});

export const UpdateMeetingTypeBody = Type.Object({ meetingInfo: Type.Optional(MeetingInfoInput), ...shared });

export const MeetingTypeJson = open({
  id: Type.String(),
  slug: Type.String(),
  enabled: Type.Boolean(),
  userId: Type.String(),
  companyId: Type.String(),
  availabilityId: Type.String(),
  meetingInfo: open({
    name: Type.Unknown(),
    description: Type.Unknown(),
    duration: Type.Integer(),
    channel: Type.String(),
    bufferBefore: Type.Integer(),
    bufferAfter: Type.Integer(),
  }),
  meetingOptions: open({
    allowedDurations: Type.Array(Type.Integer()),
    allowedChannels: Type.Array(Type.String()),
    allowAddingGuests: Type.Boolean(),
    doubleOptIn: Type.String(),
    requireHostConfirmation: Type.String(),
  }),
  timeslotInterval: Type.Integer(),
  bookingMinimum: Type.Integer(),
  daysIntoFuture: Type.Unknown(),
  spots: Type.Integer(),
  locations: Type.Array(Type.String()),
  metadata: Type.Record(Type.String(), Type.String()),
  reminderMinutes: Type.Array(Type.Integer()),
  bookingUrl: Type.String(),
  queueId: Type.Union([Type.String(), Type.Null()], { description: 'The queue of a team type; null for a single host' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { title: 'MeetingType' });

export const DeleteMeetingTypeQuery = Type.Object({ deleteAvailability: Type.Optional(Type.Boolean()) });
