// Table tests of the pure slot engine across daylight-saving changes and odd offsets.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findSlots } from '../../src/availability/slots.ts';
import { at, host, query, schedule, starts } from './slot-cases.ts';

const sundayNight = (zone: string) => host(zone, schedule({ sunday: [['00:00', '06:00']] }));

describe('slot engine across daylight-saving changes', () => {
  const cases: { name: string; zone: string; weekly: ReturnType<typeof schedule>; from: string; to: string; interval: number; duration: number; expected: string[] }[] = [
    {
      name: 'Europe/Berlin spring forward: 02:00 does not exist',
      zone: 'Europe/Berlin', weekly: schedule({ sunday: [['00:00', '06:00']] }), from: '2025-03-29T12:00:00Z', to: '2025-03-31T00:00:00Z', interval: 60, duration: 60,
      expected: ['2025-03-30T00:00:00+01:00', '2025-03-30T01:00:00+01:00', '2025-03-30T03:00:00+02:00', '2025-03-30T04:00:00+02:00', '2025-03-30T05:00:00+02:00'],
    },
    {
      name: 'Europe/Berlin fall back: 02:00 appears once, at +02:00',
      zone: 'Europe/Berlin', weekly: schedule({ sunday: [['00:00', '06:00']] }), from: '2025-10-25T12:00:00Z', to: '2025-10-27T00:00:00Z', interval: 60, duration: 60,
      expected: ['2025-10-26T00:00:00+02:00', '2025-10-26T01:00:00+02:00', '2025-10-26T02:00:00+02:00', '2025-10-26T03:00:00+01:00', '2025-10-26T04:00:00+01:00', '2025-10-26T05:00:00+01:00'],
    },
    {
      name: 'America/New_York spring forward: 02:00–02:59 skipped',
      zone: 'America/New_York', weekly: schedule({ sunday: [['00:00', '04:00']] }), from: '2025-03-09T00:00:00Z', to: '2025-03-10T00:00:00Z', interval: 30, duration: 30,
      expected: ['2025-03-09T00:00:00-05:00', '2025-03-09T00:30:00-05:00', '2025-03-09T01:00:00-05:00', '2025-03-09T01:30:00-05:00', '2025-03-09T03:00:00-04:00', '2025-03-09T03:30:00-04:00'],
    },
    {
      name: 'America/New_York fall back: 01:00 and 01:30 once (EDT); the repeated hour is still open time',
      zone: 'America/New_York', weekly: schedule({ sunday: [['00:00', '03:00']] }), from: '2025-11-02T00:00:00Z', to: '2025-11-03T00:00:00Z', interval: 30, duration: 30,
      expected: ['2025-11-02T00:00:00-04:00', '2025-11-02T00:30:00-04:00', '2025-11-02T01:00:00-04:00', '2025-11-02T01:30:00-04:00', '2025-11-02T02:00:00-05:00', '2025-11-02T02:30:00-05:00'],
    },
    {
      name: 'Asia/Kolkata (+05:30), no daylight saving',
      zone: 'Asia/Kolkata', weekly: schedule({ monday: [['09:00', '10:00']] }), from: '2025-06-02T00:00:00Z', to: '2025-06-03T00:00:00Z', interval: 30, duration: 30,
      expected: ['2025-06-02T09:00:00+05:30', '2025-06-02T09:30:00+05:30'],
    },
    {
      name: 'Asia/Kathmandu (+05:45)',
      zone: 'Asia/Kathmandu', weekly: schedule({ monday: [['09:00', '10:00']] }), from: '2025-06-01T00:00:00Z', to: '2025-06-03T00:00:00Z', interval: 20, duration: 20,
      expected: ['2025-06-02T09:00:00+05:45', '2025-06-02T09:20:00+05:45', '2025-06-02T09:40:00+05:45'],
    },
    {
      name: 'Australia/Lord_Howe fall back by 30 minutes: 01:30–01:45 once',
      zone: 'Australia/Lord_Howe', weekly: schedule({ sunday: [['01:00', '03:00']] }), from: '2025-04-05T00:00:00Z', to: '2025-04-07T00:00:00Z', interval: 15, duration: 15,
      expected: ['2025-04-06T01:00:00+11:00', '2025-04-06T01:15:00+11:00', '2025-04-06T01:30:00+11:00', '2025-04-06T01:45:00+11:00', '2025-04-06T02:00:00+10:30', '2025-04-06T02:15:00+10:30', '2025-04-06T02:30:00+10:30', '2025-04-06T02:45:00+10:30'],
    },
    {
      name: 'Australia/Lord_Howe spring forward by 30 minutes: 02:00 and 02:15 do not exist',
      zone: 'Australia/Lord_Howe', weekly: schedule({ sunday: [['01:00', '03:00']] }), from: '2025-10-04T00:00:00Z', to: '2025-10-06T00:00:00Z', interval: 15, duration: 15,
      expected: ['2025-10-05T01:00:00+10:30', '2025-10-05T01:15:00+10:30', '2025-10-05T01:30:00+10:30', '2025-10-05T01:45:00+10:30', '2025-10-05T02:30:00+11:00', '2025-10-05T02:45:00+11:00'],
    },
    {
      name: 'Europe/Dublin spring forward (GMT → IST)',
      zone: 'Europe/Dublin', weekly: schedule({ sunday: [['00:00', '03:00']] }), from: '2025-03-30T00:00:00Z', to: '2025-03-31T00:00:00Z', interval: 30, duration: 30,
      expected: ['2025-03-30T00:00:00+00:00', '2025-03-30T00:30:00+00:00', '2025-03-30T02:00:00+01:00', '2025-03-30T02:30:00+01:00'],
    },
    {
      name: 'Europe/Dublin fall back (IST → GMT): 01:00–01:59 once',
      zone: 'Europe/Dublin', weekly: schedule({ sunday: [['00:00', '03:00']] }), from: '2025-10-25T12:00:00Z', to: '2025-10-27T00:00:00Z', interval: 60, duration: 60,
      expected: ['2025-10-26T00:00:00+01:00', '2025-10-26T01:00:00+01:00', '2025-10-26T02:00:00+00:00'],
    },
    {
      name: 'Pacific/Chatham spring forward at 02:45 (+12:45 → +13:45)',
      zone: 'Pacific/Chatham', weekly: schedule({ sunday: [['02:00', '05:00']] }), from: '2025-09-27T00:00:00Z', to: '2025-09-29T00:00:00Z', interval: 30, duration: 30,
      expected: ['2025-09-28T02:00:00+12:45', '2025-09-28T02:30:00+12:45', '2025-09-28T04:00:00+13:45', '2025-09-28T04:30:00+13:45'],
    },
    {
      name: 'Pacific/Chatham fall back at 03:45 (+13:45 → +12:45)',
      zone: 'Pacific/Chatham', weekly: schedule({ sunday: [['02:00', '05:00']] }), from: '2025-04-05T00:00:00Z', to: '2025-04-07T00:00:00Z', interval: 60, duration: 60,
      expected: ['2025-04-06T02:00:00+13:45', '2025-04-06T03:00:00+13:45', '2025-04-06T04:00:00+12:45'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(starts([host(c.zone, c.weekly)], query(c.from, c.to, { interval: c.interval, duration: c.duration })), c.expected);
    });
  }

  test('America/New_York fall back: hours 01:00–01:30 happen twice on the clock, their starts appear once', () => {
    const got = starts([host('America/New_York', schedule({ sunday: [['01:00', '01:30']] }))], query('2025-11-02T00:00:00Z', '2025-11-03T00:00:00Z', { interval: 15, duration: 15 }));
    assert.deepEqual(got, ['2025-11-02T01:00:00-04:00', '2025-11-02T01:15:00-04:00']);
  });

  test('a meeting may run through the skipped hour: 01:30 + 60 min ends at 03:30 Berlin', () => {
    const slots = findSlots([sundayNight('Europe/Berlin')], query('2025-03-30T00:30:00Z', '2025-03-30T00:31:00Z', { interval: 30, duration: 60 })).slots;
    assert.equal(slots.length, 1);
    assert.equal(slots[0]!.start, at('2025-03-30T00:30:00Z'));
    assert.equal(slots[0]!.end - slots[0]!.start, 60 * 60_000, 'one real hour');
  });

  test('the same host and week give the same instants in summer and winter time (09:00 local stays 09:00 local)', () => {
    const weekly = schedule({ monday: [['09:00', '10:00']] });
    assert.deepEqual(starts([host('Europe/Berlin', weekly)], query('2025-03-24T00:00:00Z', '2025-04-01T00:00:00Z', { interval: 60, duration: 60 })), [
      '2025-03-24T09:00:00+01:00',
      '2025-03-31T09:00:00+02:00',
    ]);
  });
});

describe('slot engine rules', () => {
  const utcDay = schedule({ monday: [['09:00', '17:00']], tuesday: [['09:00', '17:00']], wednesday: [['09:00', '17:00']], thursday: [['09:00', '17:00']] });
  const monday = (time: string) => `2025-06-02T${time}:00+00:00`;

  test('buffers on both sides keep distance to busy time but may reach outside working hours', () => {
    const busy = [{ start: at('2025-06-02T10:00:00Z'), end: at('2025-06-02T11:00:00Z'), appointmentId: 'a1' }];
    const got = starts([host('UTC', utcDay, { busy })], query('2025-06-02T00:00:00Z', '2025-06-02T13:00:00Z', { bufferBefore: 15, bufferAfter: 15 }));
    assert.deepEqual(got, [monday('09:00'), monday('11:30'), monday('12:00'), monday('12:30')]);
  });

  test('with bufferMustStayWithinWorkingHours the buffers must fit in the hours too', () => {
    const got = starts([host('UTC', utcDay)], query('2025-06-02T00:00:00Z', '2025-06-03T00:00:00Z', { bufferBefore: 15, bufferAfter: 15, bufferWithinHours: true }));
    assert.equal(got[0], monday('09:30'));
    assert.equal(got.at(-1), monday('16:00'));
  });

  test('minimum notice: nothing starts before now + bookingMinimum', () => {
    const got = starts([host('UTC', utcDay)], query('2025-06-02T00:00:00Z', '2025-06-02T12:00:00Z', { now: at('2025-06-02T09:10:00Z'), bookingMinimum: 60 }));
    assert.deepEqual(got, [monday('10:30'), monday('11:00'), monday('11:30')]);
  });

  test('booking window: nothing starts at or after its end', () => {
    const got = starts([host('UTC', utcDay)], query('2025-06-02T00:00:00Z', '2025-06-05T00:00:00Z', { window: { start: Number.NEGATIVE_INFINITY, end: at('2025-06-02T10:00:00Z') } }));
    assert.deepEqual(got, [monday('09:00'), monday('09:30')]);
  });

  test('a blocking exception spanning days removes the time between its ends', () => {
    const exceptions = [{ start: at('2025-06-03T12:00:00Z'), end: at('2025-06-05T12:00:00Z'), available: false }];
    const got = starts([host('UTC', utcDay, { exceptions })], query('2025-06-03T00:00:00Z', '2025-06-06T00:00:00Z', { interval: 60, duration: 60 }));
    assert.deepEqual(got, ['2025-06-03T09:00:00+00:00', '2025-06-03T10:00:00+00:00', '2025-06-03T11:00:00+00:00', '2025-06-05T12:00:00+00:00', '2025-06-05T13:00:00+00:00', '2025-06-05T14:00:00+00:00', '2025-06-05T15:00:00+00:00', '2025-06-05T16:00:00+00:00']);
  });

  test('an opening exception across midnight opens time outside the hours; the grid restarts at midnight', () => {
    const exceptions = [{ start: at('2025-06-07T21:30:00Z'), end: at('2025-06-08T02:00:00Z'), available: true }];
    const got = starts([host('UTC', schedule({}), { exceptions })], query('2025-06-07T00:00:00Z', '2025-06-09T00:00:00Z', { interval: 60, duration: 60 }));
    assert.deepEqual(got, [
      '2025-06-07T21:30:00+00:00',
      '2025-06-07T22:30:00+00:00',
      '2025-06-07T23:30:00+00:00',
      '2025-06-08T00:00:00+00:00',
      '2025-06-08T01:00:00+00:00',
    ]);
  });

  test('a meeting can run across midnight through an opening exception', () => {
    const exceptions = [{ start: at('2025-06-07T22:00:00Z'), end: at('2025-06-08T02:00:00Z'), available: true }];
    const slots = findSlots([host('UTC', schedule({}), { exceptions })], query('2025-06-07T23:00:00Z', '2025-06-07T23:01:00Z', { duration: 120 })).slots;
    assert.deepEqual(slots.map((s) => s.start), [at('2025-06-07T23:00:00Z')]);
  });

  test('results do not depend on the range asked for (the booking oracle asks for one start)', () => {
    const weekly = schedule({ monday: [['09:10', '12:00']], sunday: [['22:00', '24:00']] });
    const h = host('Australia/Lord_Howe', weekly);
    const wide = findSlots([h], query('2025-03-01T00:00:00Z', '2025-05-01T00:00:00Z', { interval: 25 })).slots.map((s) => s.start);
    for (const start of wide.slice(0, 40)) {
      const narrow = findSlots([h], query(new Date(start).toISOString(), new Date(start + 1).toISOString(), { interval: 25 })).slots;
      assert.deepEqual(narrow.map((s) => s.start), [start]);
    }
  });

  test('several hosts: anyone is the union, everyone the intersection, each slot names its free hosts', () => {
    const a = { ...host('UTC', schedule({ monday: [['09:00', '11:00']] })), hostId: 'a' };
    const b = { ...host('Europe/Berlin', schedule({ monday: [['11:00', '13:00']] })), hostId: 'b' };
    const q = query('2025-06-02T00:00:00Z', '2025-06-03T00:00:00Z', { interval: 60, duration: 60 });
    const anyone = findSlots([a, b], q).slots;
    assert.deepEqual(anyone.map((s) => [new Date(s.start).toISOString(), s.hostIds]), [
      ['2025-06-02T09:00:00.000Z', ['a', 'b']],
      ['2025-06-02T10:00:00.000Z', ['a', 'b']],
    ]);
    const b2 = { ...b, schedule: schedule({ monday: [['12:00', '13:00']] }) };
    assert.deepEqual(findSlots([a, b2], q).slots.map((s) => [new Date(s.start).toISOString(), s.hostIds]), [
      ['2025-06-02T09:00:00.000Z', ['a']],
      ['2025-06-02T10:00:00.000Z', ['a', 'b']],
    ]);
    assert.deepEqual(findSlots([a, b2], { ...q, method: 'everyone' }).slots.map((s) => new Date(s.start).toISOString()), ['2025-06-02T10:00:00.000Z']);
  });

  test('troubleshoot names why each grid start was not offered', () => {
    const busy = [{ start: at('2025-06-02T10:00:00Z'), end: at('2025-06-02T10:30:00Z'), appointmentId: 'appt-1' }];
    const exceptions = [{ start: at('2025-06-02T11:00:00Z'), end: at('2025-06-02T11:30:00Z'), available: false }];
    const result = findSlots([host('UTC', schedule({ monday: [['09:00', '13:00']] }), { busy, exceptions })], query('2025-06-02T00:00:00Z', '2025-06-03T00:00:00Z', {
      now: at('2025-06-02T09:00:00Z'),
      bookingMinimum: 30,
      window: { start: Number.NEGATIVE_INFINITY, end: at('2025-06-02T12:00:00Z') },
      duration: 60,
      troubleshoot: true,
    }));
    const reasons = result.blocked.map((b) => [new Date(b.start).toISOString().slice(11, 16), b.reason, b.appointmentId]);
    assert.deepEqual(reasons, [
      ['09:00', 'minimum_notice', undefined],
      ['09:30', 'busy', 'appt-1'],
      ['10:00', 'busy', 'appt-1'],
      ['10:30', 'exception', undefined],
      ['11:00', 'exception', undefined],
      ['12:00', 'beyond_window', undefined],
      ['12:30', 'outside_hours', undefined],
    ]);
    assert.deepEqual(result.slots.map((s) => new Date(s.start).toISOString().slice(11, 16)), ['11:30']);
  });
});
