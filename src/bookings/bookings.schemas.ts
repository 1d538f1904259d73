// TypeBox schemas of the booking and appointment routes: validation, serialization and OpenAPI.
import { Type } from '@fastify/type-provider-typebox';
import { errorResponses, open } from '../http/params.ts';

const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
/** Optional text that clients may also send as null, e.g. fields copied from a GET answer (seed 000). */
const NullableText = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const FreeObject = Type.Record(Type.String(), Type.Unknown());

/** A body clients may leave out entirely (validated as null then). */
export const optionalBody = <T extends ReturnType<typeof Type.Object>>(schema: T) => Type.Union([schema, Type.Null()]);

export const authErrors = errorResponses(400, 401, 403, 429);

export const AttendeeBody = Type.Object({
  email: Type.String({ maxLength: 320 }),
  firstname: NullableText(200),
  lastname: NullableText(200),
  fullname: NullableText(400),
  phone: NullableText(50),
  company: NullableText(200),
  timezone: NullableText(64),
  language: NullableText(16),
  customFields: Type.Optional(Type.Union([FreeObject, Type.Null()])),
  notes: Type.Optional(Type.Union([FreeObject, Type.Null()])),
  bringalongEmails: Type.Optional(Type.Array(Type.String({ maxLength: 320 }), { maxItems: 10 })),
  receiveReminders: Type.Optional(Type.Boolean()),
});

export const BookingBody = Type.Object({
  meetingTypeId: Type.String({ maxLength: 100 }),
  start: Type.String({ maxLength: 64 }),
  hostIds: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }), Type.String({ maxLength: 2000 })])),
  queueId: NullableText(100),
  attendee: AttendeeBody,
  duration: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
  channel: NullableText(64),
  location: NullableText(500),
  skipNotifications: Type.Optional(Type.Boolean()),
  rescheduledFromId: NullableText(100),
  recurrence: Type.Optional(
    Type.Union([
      Type.Object(
        {
          frequency: Type.Union([Type.Literal('weekly'), Type.Literal('biweekly'), Type.Literal('monthly')]),
          count: Type.Integer({ minimum: 1, maximum: 52 }),
        },
        { description: "A recurring series: count sessions at the first start's wall-clock time in the host's zone, all booked or none (needs meetingOptions.recurring)" },
      ),
      Type.Null(),
    ]),
  ),
});

export const BookingCreated = Type.Object({
  appointmentId: Type.String(),
  secret: Type.String({ description: 'Authorises self-service cancel and reschedule. Shown once; store it.' }),
  id: Type.String(),
  start: Type.String(),
  end: Type.String(),
  meetingLink: Nullable(Type.String()),
  seriesId: Type.Optional(Type.String({ description: 'A recurring series: its id (the appointment fields describe the first session)' })),
  appointmentIds: Type.Optional(Type.Array(Type.String(), { description: 'A recurring series: every session, in order' })),
  attendeeId: Type.Optional(Type.String({ description: 'Group sessions: the seat taken (cancel it with `attendeeId`)' })),
}, { title: 'BookingCreated' });

export const AppointmentHost = Type.Object({
  id: Type.String(),
  email: Type.String(),
  givenName: Type.String(),
  familyName: Type.String(),
  fullName: Type.String(),
  slug: Type.String(),
});

const Secret = Nullable(
  Type.String({ description: 'Authorises self-service cancel and reschedule; the same for the appointment’s whole life' }),
);

export const AppointmentAttendee = Type.Object({
  id: Type.String(),
  secret: Secret,
  email: Type.String(),
  firstname: Nullable(Type.String()),
  lastname: Nullable(Type.String()),
  fullname: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  company: Nullable(Type.String()),
  language: Nullable(Type.String()),
  timezone: Nullable(Type.String()),
  notes: FreeObject,
  customFields: FreeObject,
  bringalongEmails: Type.Array(Type.String()),
  receiveReminders: Type.Boolean(),
  noShow: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  ics: Type.Optional(Type.String({ description: 'Group sessions: this attendee’s own invitation (organizer and this attendee only)' })),
});

/** How a queue chose the host (spec §4.6); the reason names the rule that decided. */
export const RoundRobinEntry = Type.Object({
  id: Type.Integer(),
  createdAt: Type.String(),
  userId: Nullable(Type.String()),
  groupId: Nullable(Type.String()),
  appointmentId: Type.String(),
  queueId: Type.String(),
  selectionReason: Type.String(),
});

export const AppointmentMeetingType = Type.Object({
  id: Type.String(),
  name: Type.String(),
  duration: Type.Integer(),
  slug: Type.String(),
  meetingInfo: Type.Object({ name: Type.String(), duration: Type.Integer() }),
});

const Cancel = Type.Object({
  actionSource: Type.String(),
  actionAt: Type.String(),
  actionBy: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  cancelledAt: Type.String({ description: 'The same instant as actionAt (seed 000 reads this name)' }),
});

export const Appointment = Type.Object(
  {
    id: Type.String(),
    secret: Secret,
    start: Type.String({ description: 'UTC, ISO 8601' }),
    end: Type.String(),
    isCancelled: Type.Boolean(),
    status: Type.Union([
      Type.Literal('confirmed'),
      Type.Literal('provisional'),
      Type.Literal('cancelled'),
      Type.Literal('expired'),
      Type.Literal('declined'),
    ]),
    meetingTypeId: Type.String(),
    meetingType: AppointmentMeetingType,
    meetingTypeSlug: Type.String(),
    companyId: Type.String(),
    companySlug: Type.String({ description: 'First segment of the booking page address: the main host’s slug' }),
    hostIds: Type.Array(Type.String()),
    hosts: Type.Array(AppointmentHost),
    attendeeIds: Type.Array(Type.String()),
    attendees: Type.Array(AppointmentAttendee),
    meetingInfo: FreeObject,
    hostingInfo: open({
      mainHost: Nullable(Type.String()),
      meetingLink: Nullable(Type.String()),
      calendarSyncProviders: Type.Optional(
        Type.Union([
          Type.Null(),
          open({
            id: Type.String(),
            type: Type.String(),
            hostId: Type.String(),
            eventId: Type.String({ description: 'The iCalendar UID written into the host’s calendar' }),
            calendarId: Nullable(Type.String()),
            status: Type.String({ description: 'pending, done or failed' }),
            lastError: Nullable(Type.String()),
          }),
        ]),
      ),
    }),
    channel: Nullable(Type.String()),
    location: Nullable(Type.String()),
    note: Nullable(Type.String()),
    transcription: Nullable(Type.String({ description: 'Markdown transcript supplied with PATCH …/transcription' })),
    summary: Nullable(Type.String({ description: 'Markdown summary supplied with PATCH …/transcription' })),
    cancel: Type.Union([Cancel, Type.Null()]),
    rescheduledAt: Nullable(Type.String()),
    rescheduledFromId: Nullable(Type.String()),
    rescheduledToId: Nullable(Type.String()),
    seriesId: Nullable(Type.String({ description: 'The recurring series this appointment belongs to (issue 13), or null' })),
    seriesPosition: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'Its session number in the series, from 1' }),
    overbooked: Type.Boolean(),
    totalSpots: Type.Optional(Type.Integer({ description: 'Group sessions: the seats of the session' })),
    takenSpots: Type.Optional(Type.Integer({ description: 'Group sessions: the seats taken' })),
    ics: Type.String({ description: 'iCalendar (RFC 5545), METHOD:REQUEST or CANCEL' }),
    scheduledReminderIds: Type.Array(Type.String()),
    crmOptions: FreeObject,
    roundRobinEntries: Type.Array(RoundRobinEntry),
    resolvableErrors: Type.Array(FreeObject),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { additionalProperties: true, title: 'Appointment' },
);

const AppointmentRef = Appointment;

export const AppointmentPage = Type.Object({
  appointments: Type.Array(AppointmentRef),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
}, { title: 'AppointmentPage' });

export const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  userId: Text(100),
  startDate: Text(64),
  endDate: Text(64),
  start: Text(64),
  end: Text(64),
  meetingTypeId: Text(100),
  seriesId: Type.Optional(Type.String({ maxLength: 100, description: 'Only the sessions of this recurring series' })),
  status: Type.Optional(
    Type.Union([Type.Literal('upcoming'), Type.Literal('past'), Type.Literal('cancelled'), Type.Literal('confirmed')], {
      description: '`confirmed` = not cancelled, any time',
    }),
  ),
  timezone: Text(64),
  search: Type.Optional(Type.String({ maxLength: 200, description: 'Free text over attendee names and emails and the meeting name' })),
  sortBy: Type.Optional(Type.Union([Type.Literal('appointment.start'), Type.Literal('appointment.createdAt')])),
  sortDirection: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc'), Type.Literal('ASC'), Type.Literal('DESC')])),
});

export const TodayQuery = Type.Object({ timezone: Text(64) });

export const CancelBody = Type.Object({
  reason: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  attendeeId: Text(100),
  cancelAll: Type.Optional(Type.Boolean()),
  cancelEntireSeries: Type.Optional(Type.Boolean()),
  notifyAttendees: Type.Optional(Type.Boolean()),
});

export const LegacyCancelBody = Type.Object({
  cancellationReason: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  cancelEntireSeries: Type.Optional(Type.Boolean({ description: 'A recurring series: also cancel every later session' })),
});

export const RescheduleBody = Type.Object({
  start: Type.String({ maxLength: 64 }),
  ignoreAvailability: Type.Optional(Type.Boolean()),
});

export const Rescheduled = Type.Object({ appointment: AppointmentRef, previousStart: Type.String() });

export const SecretRescheduleBody = Type.Object({
  appointmentId: Type.String({ maxLength: 100 }),
  secret: Type.String({ maxLength: 200 }),
  start: Type.String({ maxLength: 64 }),
});

export const LegacyRescheduled = Type.Object({ appointmentId: Type.String(), secret: Type.String() });

export const NotesBody = Type.Object({
  notes: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
  note: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
});

export const GuestsBody = Type.Object({ guestEmails: Type.Array(Type.String({ maxLength: 320 }), { minItems: 1, maxItems: 10 }) });

export const GuestBody = Type.Object({ email: Type.String({ maxLength: 320 }), attendeeId: Text(100) });

export const NoShow = Type.Object({ id: Type.String(), appointmentId: Type.String(), email: Type.String(), noShow: Type.Boolean() });
