// TypeBox schemas of the provisional-booking routes (spec §2.9 PB1/PB2, §4.8) and the booking
// answer of a held slot (seed 001). JSON types derive from them.
import { type Static, Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

/** `POST /v4/booking` when the slot is held: exactly seed 001's two fields. */
export const ProvisionalCreated = Type.Object(
  {
    bookingType: Type.Union([Type.Literal('DoubleOptIn'), Type.Literal('requireHostConfirmation')], {
      description: 'Seed 001 prints `DoubleOptIn`; live-API clients compare with `doubleOptIn` (see docs/provisional-bookings.md)',
    }),
    provisionalBookingId: Type.String(),
  },
  { title: 'ProvisionalBookingCreated' },
);
export type ProvisionalCreatedJson = Static<typeof ProvisionalCreated>;

const Host = Type.Object({
  id: Type.String(),
  givenName: Type.String(),
  familyName: Type.String(),
  slug: Type.String(),
  userType: Type.String(),
  picture: Nullable(Type.String()),
});

export const ProvisionalBooking = Type.Object(
  {
    id: Type.String(),
    dto: Type.Record(Type.String(), Type.Unknown(), { description: 'The booking request as it was sent (BookingDto)' }),
    type: Type.Union([Type.Literal('doubleOptIn'), Type.Literal('requireHostConfirmation')]),
    status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('expired'), Type.Literal('declined_by_host')]),
    awaiting: Type.Union([Type.Literal('host'), Type.Literal('attendee'), Type.Null()], { description: 'Termin: the step a pending hold waits for' }),
    createdAt: Type.String(),
    deletedAt: Nullable(Type.String()),
    expiresAt: Type.String(),
    start: Type.String(),
    end: Type.String(),
    appointmentId: Nullable(Type.String({ description: 'The appointment, once confirmed' })),
    declineReason: Nullable(Type.String()),
    hosts: Type.Array(Host),
    meetingTypeId: Type.String(),
    queueBookingInfo: Type.Union([
      Type.Object({ userIds: Type.Array(Type.String()), selectionReason: Type.String(), groupId: Nullable(Type.String()) }),
      Type.Null(),
    ]),
  },
  { title: 'ProvisionalBooking' },
);
export type ProvisionalBookingJson = Static<typeof ProvisionalBooking>;

export const ProvisionalPage = Type.Object({ provisionalBookings: Type.Array(ProvisionalBooking), total: Type.Integer() });

export const ProvisionalListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('expired'), Type.Literal('declined_by_host')])),
  meetingTypeId: Type.Optional(Type.String({ maxLength: 100 })),
  userId: Type.Optional(Type.String({ maxLength: 100 })),
  all: Type.Optional(Type.Boolean()),
});

export const DeclineBody = Type.Union([Type.Object({ reason: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])) }), Type.Null()]);

export const ConfirmAnswer = Type.Object({
  message: Type.String(),
  provisionalBooking: ProvisionalBooking,
});

export const DeclineAnswer = ConfirmAnswer;

export const CompanySettings = Type.Object(
  {
    doubleOptIn: Type.Boolean({ description: 'Default for meeting types whose meetingOptions.doubleOptIn is useCompanySettings' }),
    requireHostConfirmation: Type.Boolean({ description: 'Default for meetingOptions.requireHostConfirmation = useCompanySettings' }),
    doubleOptInExpiryMinutes: Type.Integer({ minimum: 5, maximum: 43200 }),
    hostConfirmationExpiryMinutes: Type.Integer({ minimum: 5, maximum: 43200 }),
  },
  { title: 'ProvisionalBookingSettings' },
);

export const CompanySettingsPatch = Type.Partial(CompanySettings);
