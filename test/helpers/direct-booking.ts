// A booking service that never asks for confirmation, built from a test app's own parts: lets a
// race test send direct bookings and provisional ones (through the app) at the same moment to one
// meeting type, which a meeting type's setting alone cannot (it is one or the other).
import { secretSealer } from '../../src/bookings/appointment-secrets.ts';
import { createAppointmentPresenter } from '../../src/bookings/appointment.presenter.ts';
import { type BookingService, createBookingService } from '../../src/bookings/booking.service.ts';
import { listCalendarSync } from '../../src/calendars/writes.repo.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { listReminderIds } from '../../src/notifications/reminders.repo.ts';
import type { TestApp } from './app.ts';

export function directBookingService(t: TestApp, clock: Clock): BookingService {
  const secrets = secretSealer(t.services.secretBox);
  const presenter = createAppointmentPresenter({ listReminderIds, listCalendarSync, openSecret: secrets.open });
  return createBookingService({ db: t.handle.db, clock, slotOracle: t.services.slotOracle, presenter, secrets });
}
