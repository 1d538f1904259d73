// What a group attendee sees of their session when acting with their own seat's secret: the
// appointment with themselves as its only attendee and their own invitation, never the others.
import type { AppointmentJson } from '../appointment.presenter.ts';

export function seatView(appointment: AppointmentJson, seat: { attendeeId: string } | undefined): AppointmentJson {
  if (!seat) return appointment;
  const own = appointment.attendees.filter((attendee) => attendee.id === seat.attendeeId);
  return { ...appointment, attendees: own, attendeeIds: own.map((a) => a.id), secret: own[0]?.secret ?? null, ics: own[0]?.ics ?? appointment.ics };
}
