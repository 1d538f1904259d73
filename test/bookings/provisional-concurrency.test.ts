// Races on PostgreSQL for provisional bookings (issue 12): a hold is guarded by the same exclusion
// constraint as any booking, and a hold is confirmed once however many confirmations race.
// (PGlite is one connection and serialises everything; these would prove nothing there.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp, TestCompany } from '../helpers/app.ts';
import { bookingBody, slot, startAcmeApp } from '../helpers/bookings.ts';
import { holdingHost } from '../helpers/provisional.ts';
import { assertRefusedAsTaken, atOnce, needsPostgres as skip, overlaps, statusTally } from '../helpers/races.ts';

let t: TestApp;
let acme: TestCompany;

before(async () => {
  if (!skip) ({ t, acme } = await startAcmeApp());
});
after(() => t?.close());

const attendee = (i: number) => ({ email: `racer${i}@example.com`, fullname: `Racer ${i}` });

describe('provisional bookings under concurrency', () => {
  test('50 simultaneous holds of one free slot: exactly one 201 hold, 49 × 400 slot unavailable', { skip }, async () => {
    const host = await holdingHost(t, acme, { doubleOptIn: 'enabled' });
    const start = slot(1, '10:00');
    const responses = await atOnce(50, (i) => host.api.post('/v4/booking', bookingBody(host, start, { attendee: attendee(i) })));
    assert.deepEqual(statusTally(responses), { 201: 1, 400: 49 });
    assertRefusedAsTaken(responses);
    assert.equal(responses.find((r) => r.statusCode === 201)!.json().bookingType, 'DoubleOptIn');
    const holds = await t.handle.db.selectFrom('provisional_bookings').select('id').where('meeting_type_id', '=', host.meetingTypeId).execute();
    assert.equal(holds.length, 1, 'refused bookings leave no hold behind');
    assert.equal(await overlaps(t), 0);
  });

  test('a held slot refuses 50 simultaneous competing bookings (direct and provisional alike)', { skip }, async () => {
    const host = await holdingHost(t, acme, { doubleOptIn: 'enabled' });
    const start = slot(2, '10:00');
    const held = await host.api.post('/v4/booking', bookingBody(host, start, { attendee: attendee(1000) }));
    assert.equal(held.statusCode, 201, held.body);
    // A second meeting type of the same host books directly: the hold must refuse it too.
    const direct = await host.api.post('/v4/meeting-type', { meetingInfo: { name: 'Direct', description: '', duration: 30 } });
    assert.equal(direct.statusCode, 201, direct.body);
    const responses = await atOnce(50, (i) =>
      host.api.post('/v4/booking', {
        ...bookingBody(host, start, { attendee: attendee(i) }),
        meetingTypeId: i % 2 === 0 ? direct.json().id : host.meetingTypeId,
      }),
    );
    assert.deepEqual(statusTally(responses), { 400: 50 });
    assertRefusedAsTaken(responses);
    assert.equal(await overlaps(t), 0);
  });

  test('100 simultaneous confirmations of one hold create one appointment and one booking_created', { skip }, async () => {
    const host = await holdingHost(t, acme, { requireHostConfirmation: 'enabled' });
    const held = await host.api.post('/v4/booking', bookingBody(host, slot(3, '10:00'), { attendee: attendee(2000) }));
    const id = held.json().provisionalBookingId as string;
    const responses = await atOnce(100, () => host.api.post(`/v4/provisional-booking/${id}/confirm`));
    assert.deepEqual(statusTally(responses), { 200: 1, 409: 99 });
    const row = await t.handle.db.selectFrom('provisional_bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'confirmed');
    const appointments = await t.handle.db.selectFrom('appointments').select(['id', 'status']).where('meeting_type_id', '=', host.meetingTypeId).execute();
    assert.deepEqual(appointments, [{ id: row.appointment_id, status: 'active' }]);
    const created = await t.handle.db.selectFrom('outbox_events').select('id').where('type', '=', 'booking_created').where('subject_id', '=', row.appointment_id).execute();
    assert.equal(created.length, 1);
    const confirmed = await t.handle.db.selectFrom('outbox_events').select('id').where('type', '=', 'provisional_booking_confirmed').where('subject_id', '=', id).execute();
    assert.equal(confirmed.length, 1);
  });

  test('expiry runs on several instances at once: each hold expires once', { skip }, async () => {
    const host = await holdingHost(t, acme, { doubleOptIn: 'enabled' });
    const ids: string[] = [];
    for (const time of ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']) {
      ids.push((await host.api.post('/v4/booking', bookingBody(host, slot(4, time), { attendee: attendee(3000) }))).json().provisionalBookingId);
    }
    const pending = await t.handle.db.selectFrom('provisional_bookings').select('id').where('status', '=', 'pending').execute();
    const { createExpiryWorker } = await import('../../src/bookings/provisional/provisional.expiry.ts');
    const later = { now: () => new Date(Date.parse('2030-01-09T06:00:00Z')) };
    const instances = Array.from({ length: 4 }, () => createExpiryWorker({ db: t.handle.db, clock: later, batchSize: 2 }));
    const runs = await Promise.all(instances.flatMap((w) => [w.runOnce(), w.runOnce()]));
    const more = await Promise.all(instances.map((w) => w.runOnce()));
    const processed = [...runs, ...more].reduce((sum, r) => sum + r.processed, 0);
    const rows = await t.handle.db.selectFrom('provisional_bookings').select('status').where('id', 'in', ids).execute();
    assert.ok(rows.every((r) => r.status === 'expired'));
    assert.equal(processed, pending.length, 'every pending hold (this test\'s and earlier ones) expired exactly once');
    const expired = await t.handle.db.selectFrom('outbox_events').select('subject_id').where('type', '=', 'provisional_booking_expired').where('subject_id', 'in', ids).execute();
    assert.equal(expired.length, ids.length, 'one expiry event per hold');
  });
});
