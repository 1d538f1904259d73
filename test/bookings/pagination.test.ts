// GET /v4/appointment/paginated as meetergo's clients page it: a 0-based walk with `pageSize` (the
// MCP server, the n8n node) and a 1-based walk with `limit` (seed 001) each see every appointment
// exactly once, even when many share a start; `search`, `sortBy` and `sortDirection` work.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, slot, testClock } from '../helpers/bookings.ts';

let t: TestApp;
let acme: TestCompany;
let host: TestHost;
const bulk: string[] = [];

before(async () => {
  t = await startTestApp({ clock: testClock() });
  acme = await t.newCompany('Acme');
  host = await newHost(t, acme);
  // 250 appointments on only 7 distinct starts, inserted in one statement (one created_at): the
  // order must not depend on the start or the creation time alone.
  const rows = Array.from({ length: 250 }, (_, i) => {
    const start = new Date(Date.UTC(2030, 1, 1 + (i % 7), 9));
    return {
      company_id: acme.companyId,
      meeting_type_id: host.meetingTypeId,
      start_at: start,
      end_at: new Date(start.getTime() + 30 * 60_000),
      secret_hash: `test-${randomUUID()}`,
      ics_uid: `${randomUUID()}@termin.test`,
    };
  });
  const inserted = await t.handle.db.insertInto('appointments').values(rows).returning('id').execute();
  bulk.push(...inserted.map((row) => row.id));
});
after(() => t.close());

type Page = { appointments: { id: string; start: string; createdAt: string }[]; total: number; page: number; pageSize: number };

async function walk(query: (page: number) => string, first: number, starts: string[] = []): Promise<string[]> {
  const api = client(t.app, acme.apiKey);
  const seen: string[] = [];
  for (let page = first; ; page++) {
    const res = await api.get(`/v4/appointment/paginated?${query(page)}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as Page;
    assert.equal(body.page, page, 'page is echoed as sent');
    assert.equal(body.total, 250);
    if (body.appointments.length === 0) break;
    seen.push(...body.appointments.map((a) => a.id));
    starts.push(...body.appointments.map((a) => a.start));
    assert.ok(page < first + 100, 'the walk ends');
  }
  return seen;
}

describe('walking every page', () => {
  test('a 0-based pageSize walk over 250 appointments sees each exactly once, in start order', async () => {
    const starts: string[] = [];
    const seen = await walk((page) => `page=${page}&pageSize=30`, 0, starts);
    assert.equal(seen.length, 250);
    assert.deepEqual(starts, [...starts].sort());
    assert.equal(new Set(seen).size, 250);
    assert.deepEqual([...seen].sort(), [...bulk].sort());
  });

  test('a 1-based limit walk sees each exactly once too, also sorted descending by createdAt', async () => {
    const seen = await walk((page) => `page=${page}&limit=40`, 1);
    assert.equal(new Set(seen).size, 250);
    const byCreated = await walk((page) => `page=${page}&limit=40&sortBy=appointment.createdAt&sortDirection=DESC`, 1);
    assert.equal(new Set(byCreated).size, 250);
    assert.deepEqual(byCreated, [...bulk].sort().reverse(), 'equal creation times fall back to the id, reversed');
  });

  test('the n8n node’s loop (page from 0, stop on a short page) collects all of them', async () => {
    const api = client(t.app, acme.apiKey);
    const ids = new Set<string>();
    for (let page = 0; ; page++) {
      const body = (await api.get(`/v4/appointment/paginated?page=${page}&pageSize=100`)).json() as Page;
      for (const a of body.appointments) {
        assert.ok(!ids.has(a.id), 'no page repeats an appointment');
        ids.add(a.id);
      }
      if (body.appointments.length < 100 || ids.size >= body.total) break;
    }
    assert.equal(ids.size, 250);
  });

  test('sortDirection=DESC reverses the start order', async () => {
    const api = client(t.app, acme.apiKey);
    const body = (await api.get('/v4/appointment/paginated?page=0&pageSize=100&sortBy=appointment.start&sortDirection=DESC')).json() as Page;
    const starts = body.appointments.map((a) => a.start);
    assert.deepEqual(starts, [...starts].sort().reverse());
    const bad = await api.get('/v4/appointment/paginated?sortBy=appointment.end');
    assert.equal(bad.statusCode, 400);
  });
});

describe('search', () => {
  const booked: Record<string, string> = {};

  before(async () => {
    const people = [
      ['ada', { email: 'ada.lovelace@example.com', firstname: 'Ada', lastname: 'Lovelace' }, slot(1, '10:00')],
      ['percent', { email: 'grace@example.com', fullname: '100% Grace' }, slot(1, '11:00')],
      ['underscore', { email: 'alan_turing@example.com', fullname: 'Alan Turing' }, slot(1, '12:00')],
    ] as const;
    for (const [key, attendee, start] of people) {
      const res = await host.api.post('/v4/booking', { ...bookingBody(host, start), attendee });
      assert.equal(res.statusCode, 201, res.body);
      booked[key] = res.json().id;
    }
  });

  const find = async (search: string) => {
    const q = new URLSearchParams({ page: '0', pageSize: '100', search });
    const res = await host.api.get(`/v4/appointment/paginated?${q}`);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as Page).appointments.map((a) => a.id).sort();
  };

  test('matches attendee names and emails case-insensitively, and the meeting name', async () => {
    assert.deepEqual(await find('LOVELACE'), [booked.ada]);
    assert.deepEqual(await find('ada.love'), [booked.ada]);
    assert.deepEqual(await find('turing'), [booked.underscore]);
    assert.deepEqual(await find('discovery call'), [booked.ada, booked.percent, booked.underscore].sort());
    assert.deepEqual(await find('nobody'), []);
  });

  test('LIKE wildcards in the text match only themselves', async () => {
    assert.deepEqual(await find('%'), [booked.percent]);
    assert.deepEqual(await find('_'), [booked.underscore]);
    assert.deepEqual(await find('a_a'), [], '_ is not "any character"');
  });
});
