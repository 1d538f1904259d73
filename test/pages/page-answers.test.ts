// The pages' hooks for issues 11 (group sessions) and 12 (double opt-in, host approval), tested
// on the documented answer shapes with stand-in services: those issues' branches are not merged
// yet, so no end-to-end booking produces these answers here.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { provisionalAnswer, startOfSpot } from '../../src/pages/pages.answers.ts';
import { type BookingPageView, bookingPage } from '../../src/pages/pages.booking-view.ts';
import { pendingPage } from '../../src/pages/pages.pending.ts';
import { type PageTarget, createPagesService } from '../../src/pages/pages.service.ts';
import { stringsFor } from '../../src/pages/pages.strings.ts';
import type { PageContext } from '../../src/pages/pages.view.ts';

const ctx = (lang: 'en' | 'de' = 'en'): PageContext => ({ lang, s: stringsFor(lang), base: '', zone: 'UTC', embed: false, keep: {} });
const START = '2030-01-08T10:00:00+00:00';

describe('spots per start (issue 11)', () => {
  test('read from spotsLeft, from totalSpots/takenSpots, or from appointment.{totalSpots,takenSpots}; absent for one-to-one types', () => {
    assert.equal(startOfSpot({ startTime: START }).spotsLeft, undefined);
    assert.equal(startOfSpot({ startTime: START, spotsLeft: 2 } as { startTime: string }).spotsLeft, 2);
    assert.equal(startOfSpot({ startTime: START, totalSpots: 5, takenSpots: 3 } as { startTime: string }).spotsLeft, 2);
    assert.equal(startOfSpot({ startTime: START, appointment: { totalSpots: 4, takenSpots: 1 } } as { startTime: string }).spotsLeft, 3);
    assert.equal(startOfSpot({ startTime: START, totalSpots: 6 } as { startTime: string }).spotsLeft, 6, 'no taken spots yet');
    assert.equal(startOfSpot({ startTime: START, totalSpots: 'x' } as { startTime: string }).spotsLeft, undefined, 'a malformed count is ignored');
  });

  test('the day’s starts say how many places are left, visibly and in the link’s name', () => {
    const view: BookingPageView = {
      path: '/host/group',
      hostName: 'Hanna Host',
      title: 'Workshop',
      description: '',
      durations: [60],
      duration: 60,
      month: '2030-01',
      prevMonth: null,
      nextMonth: null,
      days: [{ date: '2030-01-08', starts: [{ value: START, at: Date.parse(START), spotsLeft: 3 }, { value: '2030-01-08T11:00:00+00:00', at: Date.parse('2030-01-08T11:00:00Z') }] }],
      date: '2030-01-08',
      start: null,
      askPhone: false,
      allowGuests: false,
      moving: null,
      notice: null,
      errors: [],
      values: {},
      zones: ['UTC'],
    };
    const html = bookingPage(ctx(), view).body;
    assert.match(html, /aria-label="Tuesday, January 8, 2030 at 10:00\sAM \(UTC\), 3 spots left">10:00\sAM <span class="spots">3 spots left<\/span><\/a>/);
    assert.equal(html.match(/spots left/g)?.length, 2, 'only the start that has spots says so');
    assert.match(bookingPage(ctx('de'), view).body, /Noch 3 Plätze frei/);
    const form = bookingPage(ctx(), { ...view, start: view.days[0]!.starts[0]! }).body;
    assert.match(form, /60 min · Times are shown in UTC · 3 spots left/);
  });

  test('the pages service passes the counts of the availability answer through to the calendar', async () => {
    const pages = service({
      search: async () => ({ dates: [{ date: '2030-01-08', spots: [{ startTime: START, appointment: { totalSpots: 8, takenSpots: 8 } }, { startTime: '2030-01-08T11:00:00+00:00', totalSpots: 8, takenSpots: 2 }] }] }),
    });
    const days = await pages.month(TARGET, { month: '2030-01', zone: 'UTC', duration: 30 });
    assert.deepEqual(days[0]!.starts.map((s) => s.spotsLeft), [0, 6]);
  });
});

describe('provisional bookings (issue 12)', () => {
  test('POST /v4/booking’s { bookingType, provisionalBookingId } is read as pending, a plain booking as booked', () => {
    assert.deepEqual(provisionalAnswer({ bookingType: 'DoubleOptIn', provisionalBookingId: 'p-1' }), { bookingType: 'DoubleOptIn', kind: 'doubleOptIn', provisionalBookingId: 'p-1' });
    assert.equal(provisionalAnswer({ bookingType: 'doubleOptIn', provisionalBookingId: 'p-1' })?.kind, 'doubleOptIn');
    assert.equal(provisionalAnswer({ bookingType: 'requireHostConfirmation', provisionalBookingId: 'p-2' })?.kind, 'requireHostConfirmation');
    assert.equal(provisionalAnswer({ appointmentId: 'a', secret: 's', start: START, end: START }), undefined);
    assert.equal(provisionalAnswer({ bookingType: 'doubleOptIn', provisionalBookingId: '' }), undefined);
  });

  test('the pages service turns a provisional answer into a pending outcome', async () => {
    const pages = service({ book: async () => ({ kind: 'booked', body: { bookingType: 'DoubleOptIn', provisionalBookingId: 'prov-7' } }) });
    const outcome = await pages.book(TARGET, { start: START, duration: 30, zone: 'UTC', language: 'en', name: 'Dora Doi', email: 'dora@example.com', guests: [] });
    assert.deepEqual(outcome, { kind: 'pending', pending: { bookingType: 'DoubleOptIn', kind: 'doubleOptIn', provisionalBookingId: 'prov-7' } });
  });

  test('"check your email": the requested time, no calendar file or links, and the embed message carries bookingType/provisionalBookingId', () => {
    const view = { bookingType: 'DoubleOptIn', kind: 'doubleOptIn' as const, provisionalBookingId: 'prov-7', start: START, duration: 30, email: 'dora@example.com', title: 'Intro', hostName: 'Hanna Host' };
    const page = pendingPage(ctx(), view);
    assert.equal(page.title, 'Please check your email');
    assert.match(page.body, /We sent a message to dora@example.com/);
    assert.match(page.body, /<dt>Requested time<\/dt><dd>Tuesday, January 8, 2030 at 10:00\sAM \(UTC\)<\/dd>/);
    assert.ok(!page.body.includes('.ics') && !page.body.includes('/booking/confirm/'), 'nothing to cancel or move yet');
    assert.deepEqual(JSON.parse(page.data!.booked!), {
      appointmentId: null,
      attendeeEmail: 'dora@example.com',
      startTime: '2030-01-08T10:00:00.000Z',
      endTime: '2030-01-08T10:30:00.000Z',
      bookingType: 'DoubleOptIn',
      provisionalBookingId: 'prov-7',
    });
    const host = pendingPage(ctx('de'), { ...view, bookingType: 'requireHostConfirmation', kind: 'requireHostConfirmation' });
    assert.equal(host.title, 'Ihre Anfrage wurde gesendet');
  });
});

const TARGET = {
  host: { id: 'h', company_id: 'c', given_name: 'Hanna', family_name: 'Host', slug: 'hanna', timezone: 'UTC', language: 'en' },
  type: { id: 'mt', duration: 30 },
  path: '/hanna/intro',
  team: null,
} as unknown as PageTarget;

function service(stubs: { search?: () => Promise<unknown>; book?: () => Promise<unknown> }) {
  const unused = () => {
    throw new Error('not used here');
  };
  return createPagesService({
    db: undefined as never,
    clock: { now: () => new Date('2030-01-01T00:00:00Z') },
    slotSearch: { search: (stubs.search ?? unused) as never },
    booking: { book: (stubs.book ?? unused) as never },
    lifecycle: { reschedule: unused, bySecret: unused, rescheduleWithSecret: unused, cancelWithSecret: unused } as never,
    appointments: { get: unused } as never,
    secretGuard: undefined as never,
  });
}
