// Moving one's seat with a seat's own secret: leave this session, join (or start) the session at
// the new start. The new seat is booked first, so an attendee is never left without a seat when
// the other session is full; then the old seat is freed (its `booking_cancelled` names them). The
// two steps are two transactions: a failure between them leaves the attendee in both sessions,
// never in none. The session itself moves only when a host reschedules it.
import type { Db } from '../../db/database.ts';
import { notFound } from '../../lib/app-error.ts';
import type { AppointmentJson, AppointmentPresenter } from '../appointment.presenter.ts';
import { findAppointment } from '../appointments.repo.ts';
import { findAttendee } from '../attendees.repo.ts';
import type { AttendeeInput } from '../booking.rules.ts';
import type { SeatActor } from './group-cancel.ts';

export interface SeatMoveDeps {
  db: Db;
  presenter: AppointmentPresenter;
  /** Books a seat as POST /v4/booking does (the booking service). */
  book: (companyId: string, input: { meetingTypeId: string; start: string; hostIds?: string[]; attendee: AttendeeInput }) => Promise<{ body: { appointmentId: string; secret: string } }>;
  /** Frees the seat as the attendee's own cancel does. */
  leave: (companyId: string, appointmentId: string, attendeeId: string) => Promise<unknown>;
}

export interface SeatMoved {
  appointment: AppointmentJson;
  previousStart: string;
  appointmentId: string;
  secret: string;
}

export async function moveSeat(deps: SeatMoveDeps, q: { companyId: string; appointmentId: string; seat: SeatActor; start: string }): Promise<SeatMoved> {
  const { db } = deps;
  const { companyId } = q;
  const [row, attendee] = await Promise.all([findAppointment(db, companyId, q.appointmentId), findAttendee(db, companyId, q.seat.attendeeId)]);
  if (!row || !attendee) throw notFound('Appointment');
  const booked = await deps.book(companyId, {
    meetingTypeId: row.meeting_type_id,
    start: q.start,
    ...(row.main_host_id ? { hostIds: [row.main_host_id] } : {}),
    attendee: {
      email: attendee.email,
      firstname: attendee.firstname,
      lastname: attendee.lastname,
      fullname: attendee.fullname,
      phone: attendee.phone,
      company: attendee.company,
      timezone: attendee.timezone,
      language: attendee.language,
      customFields: attendee.custom_fields,
      notes: attendee.notes,
      bringalongEmails: attendee.bringalong_emails,
      receiveReminders: attendee.receive_reminders,
    },
  });
  await deps.leave(companyId, row.id, attendee.id);
  const joined = (await findAppointment(db, companyId, booked.body.appointmentId))!;
  const appointment = await deps.presenter.presentOne(db, joined);
  return { appointment, previousStart: row.start_at.toISOString(), appointmentId: joined.id, secret: booked.body.secret };
}
