import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSlotCache } from '../../src/availability/slot-cache.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { insertAppointment } from '../helpers/appointments.factory.ts';
import { type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';
import { NOW, type TestHost, bookingBody, newHost, slot } from '../helpers/bookings.ts';

const TTL_SECONDS = 30;
const clock = fixedClock(NOW);
let cached: TestApp;
let uncached: TestApp;
let acme: TestCompany;

before(async () => {
  cached = await startTestApp({ clock, env: { TERMIN_SLOT_CACHE_SECONDS: String(TTL_SECONDS) } });
  acme = await cached.newCompany('Acme');
  uncached = await startTestApp({ clock, handle: cached.handle });
});
after(async () => {
  await uncached.app.close();
  await cached.close();
});

const TUESDAY = slot(1, '10:00');
const TUESDAY_MS = Date.parse(TUESDAY);

async function offered(t: TestApp, host: TestHost, extra = ''): Promise<boolean> {
  const url = `/v4/booking-availability?meetingTypeId=${host.meetingTypeId}&start=2030-01-08&end=2030-01-08${extra}`;
  const res = await client(t.app, acme.apiKey).get(url);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().availableSlots.some((s: { start: string }) => Date.parse(s.start) === TUESDAY_MS);
}

/** An appointment written by "another instance": straight into the database, unseen by this one. */
const bookElsewhere = (host: TestHost) =>
  insertAppointment(cached.handle.db, {
    companyId: acme.companyId,
    meetingTypeId: host.meetingTypeId,
    hostIds: [host.userId],
    start: TUESDAY,
    end: new Date(TUESDAY_MS + 30 * 60_000),
  });

describe('slot-search cache (TERMIN_SLOT_CACHE_SECONDS)', () => {
  test('a booking and a cancel through this instance change the next search at once', async () => {
    const host = await newHost(cached, acme);
    assert.equal(await offered(cached, host), true);
    const booked = await host.api.post('/v4/booking', bookingBody(host, TUESDAY));
    assert.equal(booked.statusCode, 201, booked.body);
    assert.equal(await offered(cached, host), false);
    const cancelled = await host.api.post(`/v4/appointment/${booked.json().appointmentId}/cancel`, { reason: 'test' });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.equal(await offered(cached, host), true);
  });

  test('an availability change through this instance changes the next search at once', async () => {
    const host = await newHost(cached, acme);
    assert.equal(await offered(cached, host), true);
    const list = await host.api.get('/v4/availability');
    assert.equal(list.statusCode, 200, list.body);
    const availabilityId = (list.json() as { id: string }[])[0]!.id;
    const emptied = await host.api.patch(`/v4/availability/${availabilityId}`, {
      schedule: { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] },
    });
    assert.equal(emptied.statusCode, 200, emptied.body);
    assert.equal(await offered(cached, host), false);
  });

  test('a change made elsewhere shows with refreshCache=true at once, and without it once the TTL has passed', async () => {
    const host = await newHost(cached, acme);
    assert.equal(await offered(cached, host), true);
    await bookElsewhere(host);
    assert.equal(await offered(uncached, host), false, 'without the cache the change shows at once');
    assert.equal(await offered(cached, host), true, 'the cached answer is reused within the TTL');
    assert.equal(await offered(cached, host, '&refreshCache=true'), false);

    const other = await newHost(cached, acme);
    assert.equal(await offered(cached, other), true);
    await bookElsewhere(other);
    clock.advance(TTL_SECONDS * 1000);
    try {
      assert.equal(await offered(cached, other), false);
    } finally {
      clock.set(NOW);
    }
  });

  test('booking a start a cached answer still offers is refused: bookings ask the uncached oracle', async () => {
    const host = await newHost(cached, acme);
    assert.equal(await offered(cached, host), true);
    await bookElsewhere(host);
    assert.equal(await offered(cached, host), true);
    const res = await host.api.post('/v4/booking', bookingBody(host, TUESDAY));
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'slot_unavailable');
  });

  test('an answer computed while a change was made is not reused', async () => {
    const cache = createSlotCache({ clock, ttlMs: 60_000 });
    let computed = 0;
    const slow = async () => {
      computed += 1;
      cache.invalidate('c1');
      return `answer ${computed}`;
    };
    assert.equal(await cache.answer('c1', 'k', slow), 'answer 1');
    assert.equal(await cache.answer('c1', 'k', async () => `answer ${++computed}`), 'answer 2');
    assert.equal(await cache.answer('c1', 'k', async () => `answer ${++computed}`), 'answer 2');
    cache.invalidate('c2');
    assert.equal(await cache.answer('c1', 'k', async () => `answer ${++computed}`), 'answer 2', "another company's change keeps it");
    cache.invalidate();
    assert.equal(await cache.answer('c1', 'k', async () => `answer ${++computed}`), 'answer 3', 'a change without a company forgets all');
  });
});
