// Attendees of appointments (with the guests they bring along) in the database.
import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { AppointmentAttendeesTable } from '../db/schema.ts';

export type AttendeeRow = Selectable<AppointmentAttendeesTable>;

export interface NewAttendee {
  email: string;
  firstname: string | null;
  lastname: string | null;
  fullname: string | null;
  phone: string | null;
  company: string | null;
  language: string | null;
  timezone: string | null;
  notes: Record<string, unknown>;
  customFields: Record<string, unknown>;
  bringalongEmails: string[];
  receiveReminders: boolean;
}

export async function findAttendees(db: Executor, appointmentIds: string[], withHeld = false): Promise<AttendeeRow[]> {
  if (appointmentIds.length === 0) return [];
  return db
    .selectFrom('appointment_attendees')
    .selectAll()
    .where('appointment_id', 'in', appointmentIds)
    // A removed attendee's seat (group sessions, migrations/0014) is no longer part of the appointment;
    // a held seat (0020) is not yet, and one given up (expired, declined) never was.
    .where('seat_status', 'in', withHeld ? ['active', 'provisional'] : ['active'])
    .orderBy('position')
    .orderBy('created_at')
    .execute();
}

export async function findAttendee(db: Executor, companyId: string, id: string): Promise<AttendeeRow | undefined> {
  return db
    .selectFrom('appointment_attendees')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function setNoShow(db: Executor, id: string, noShow: boolean, now: Date): Promise<void> {
  await db.updateTable('appointment_attendees').set({ no_show: noShow, updated_at: now }).where('id', '=', id).execute();
}

export async function setGuests(db: Executor, id: string, emails: string[], now: Date): Promise<void> {
  await db
    .updateTable('appointment_attendees')
    .set({ bringalong_emails: JSON.stringify(emails), updated_at: now })
    .where('id', '=', id)
    .execute();
}
