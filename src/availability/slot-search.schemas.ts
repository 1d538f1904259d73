// Route schema of GET /v4/booking-availability (spec §2.5): the query with its documented aliases
// and both response shapes.
import { Type } from '@fastify/type-provider-typebox';
import { open } from '../http/params.ts';

const Text = Type.String({ maxLength: 100 });
// Query strings are coerced to arrays, so `?hostIds=a&hostIds=b`, `?hostIds=a,b` and `?hostIds[]=a` all arrive as lists.
const TextList = Type.Array(Type.String({ maxLength: 8000 }), { maxItems: 200 });

export const SlotSearchQuery = Type.Object({
  meetingTypeId: Type.String({ maxLength: 100 }),
  start: Type.Optional(Text),
  end: Type.Optional(Text),
  startDate: Type.Optional(Text),
  endDate: Type.Optional(Text),
  hostIds: Type.Optional(TextList),
  'hostIds[]': Type.Optional(TextList),
  queueId: Type.Optional(Type.String({ maxLength: 100, description: 'The queue of a team type: round robin offers a start when a member is free, collective when all are' })),
  includeHosts: Type.Optional(Type.Boolean({ description: 'Name the free hosts of every start (availableSlots[].hostIds)' })),
  calculationMethod: Type.Optional(Type.Union([Type.Literal('anyone'), Type.Literal('everyone')])),
  meetingDuration: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
  existingAppointmentId: Type.Optional(Text),
  troubleshoot: Type.Optional(Type.Boolean({ description: 'Also list blocked grid starts with the reason, per host' })),
  channel: Type.Optional(Type.String({ maxLength: 100, description: 'Accepted; per-channel availability is not implemented' })),
  recurrenceFrequency: Type.Optional(
    Type.Union([Type.Literal('weekly'), Type.Literal('biweekly'), Type.Literal('monthly')], {
      description: 'With recurrenceCount: only starts whose every session of such a series is offered (the series POST /v4/booking with recurrence would book)',
    }),
  ),
  recurrenceCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 52, description: 'Sessions of the series, with recurrenceFrequency' })),
  refreshCache: Type.Optional(
    Type.Boolean({ description: 'Compute afresh instead of using a cached answer (only cached when TERMIN_SLOT_CACHE_SECONDS is set)' }),
  ),
});

const Range = Type.Object({ start: Type.String(), end: Type.String() });
/** Group meeting types (spots > 1): each start's seats. */
const SeatCounts = {
  totalSpots: Type.Optional(Type.Integer()),
  takenSpots: Type.Optional(Type.Integer()),
  spotsLeft: Type.Optional(Type.Integer()),
};
const SlotRange = Type.Object({ start: Type.String(), end: Type.String(), hostIds: Type.Optional(Type.Array(Type.String())), ...SeatCounts });

export const SlotSearchResponse = open({
  timezone: Type.String(),
  availableSlots: Type.Array(SlotRange),
  timeframes: Type.Array(Range),
  dates: Type.Array(
    Type.Object({
      date: Type.String(),
      spots: Type.Array(
        Type.Object({
          startTime: Type.String(),
          endTime: Type.String(),
          ...SeatCounts,
          appointment: Type.Optional(Type.Object({ id: Type.String(), totalSpots: Type.Integer(), takenSpots: Type.Integer() })),
        }),
      ),
    }),
  ),
  earliestAvailableDate: Type.Union([Type.String(), Type.Null()]),
  troubleshoot: Type.Optional(
    Type.Object({
      blockedTimeslots: Type.Array(
        Type.Object({
          start: Type.String(),
          hostId: Type.String(),
          reason: Type.String({ description: 'outside_hours, exception, busy (an appointment), calendar_busy, minimum_notice, beyond_window' }),
          appointmentId: Type.Optional(Type.String()),
          calendarId: Type.Optional(Type.String()),
          calendarName: Type.Optional(Type.String()),
          busyStart: Type.Optional(Type.String()),
          busyEnd: Type.Optional(Type.String()),
        }),
      ),
      calendarBlocks: Type.Optional(
        Type.Array(
          Type.Object({
            hostId: Type.String(),
            calendarId: Type.String(),
            calendarName: Type.String(),
            start: Type.String(),
            end: Type.String(),
            removedStarts: Type.Array(Type.String()),
          }),
          { description: "Per host, each connected calendar's busy block that removed starts" },
        ),
      ),
    }),
  ),
  warnings: Type.Optional(
    Type.Array(
      open({
        code: Type.String({ description: 'calendar_stale' }),
        hostId: Type.String(),
        calendarId: Type.String(),
        calendarName: Type.String(),
        lastSyncedAt: Type.Union([Type.String(), Type.Null()]),
        lastError: Type.Union([Type.String(), Type.Null()]),
        message: Type.String(),
      }),
      { description: "Hosts whose calendar busy time may be out of date: the last good busy time is still used" },
    ),
  ),
}, { title: 'BookingAvailability' });
