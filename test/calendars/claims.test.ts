// Several instances share the calendar work: concurrent claims of due calendars (busy-time sync)
// and of due write-back jobs never hand the same row to two workers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { claimDueCalendars } from '../../src/calendars/busy.repo.ts';
import { claimDueWrites } from '../../src/calendars/writes.repo.ts';
import { type TestApp, startTestApp } from '../helpers/app.ts';

let t: TestApp;
let companyId: string;
let userId: string;

before(async () => {
  t = await startTestApp();
  const company = await t.newCompany('Claims');
  companyId = company.companyId;
  userId = company.ownerUserId;
});
after(() => t.close());

test('concurrent claims of due calendars are disjoint, and a claimed calendar is not due again until its lease ends', async () => {
  const db = t.handle.db;
  const connection = await db
    .insertInto('calendar_connections')
    .values({ company_id: companyId, user_id: userId, type: 'ics', url: 'https://calendar.example.com/x.ics', username: null, password_sealed: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const past = new Date('2000-01-01T00:00:00Z');
  for (let i = 0; i < 6; i++) {
    await db.insertInto('connected_calendars').values({ connection_id: connection.id, user_id: userId, url: `https://calendar.example.com/${i}`, name: `C${i}`, next_sync_at: past }).execute();
  }
  const now = new Date();
  const claims = await Promise.all([0, 1, 2].map(() => claimDueCalendars(db, now, 60_000, 3)));
  const ids = claims.flat().map((c) => c.id);
  assert.equal(ids.length, 6);
  assert.equal(new Set(ids).size, 6);
  assert.deepEqual(await claimDueCalendars(db, now, 60_000, 10), []);
});

test('concurrent claims of due write-back jobs are disjoint', async () => {
  const db = t.handle.db;
  for (let i = 0; i < 6; i++) {
    await db
      .insertInto('calendar_writes')
      .values({ company_id: companyId, appointment_id: crypto.randomUUID(), user_id: userId, uid: `u${i}@termin`, action: 'put', ics: 'x', next_attempt_at: new Date('2000-01-01T00:00:00Z') })
      .execute();
  }
  const now = new Date();
  const claims = await Promise.all([0, 1, 2].map(() => claimDueWrites(db, now, 60_000, 3)));
  const ids = claims.flat().map((c) => c.id);
  assert.equal(ids.length, 6);
  assert.equal(new Set(ids).size, 6);
  assert.ok(claims.flat().every((job) => job.attempt_count === 1));
});
