// Whose rows the two listings show, one rule for both (spec AP1, PB1: `userId`, `all` and the
// hold listing's `meetingTypeId` are admin filters): a company API key is the company's own
// credential and lists anyone's (the user header only names the default); an owner's or admin's
// personal access token likewise; a member's token lists only what its owner hosts — naming
// someone else or the whole company is 403, a meeting type narrows its own rows. Ids of another
// company find nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, slot, testClock } from '../helpers/bookings.ts';
import { holdingHost } from '../helpers/provisional.ts';

let t: TestApp;
let acme: TestCompany;
let globex: TestCompany;
let ada: TestHost;
let bob: TestHost;
let stranger: TestHost;
/** Ada's token (a member), the owner's token, Globex's key. */
let adaPat: ReturnType<typeof client>;
let ownerPat: ReturnType<typeof client>;
let n = 0;

async function token(company: TestCompany, userId: string) {
  const res = await client(t.app, company.apiKey, userId).post('/v4/personal-access-token', { name: `listing ${++n}` });
  assert.equal(res.statusCode, 201, res.body);
  return client(t.app, res.json().token as string);
}

/** One approved hold (an appointment) and one pending hold, hosted by `host`. */
async function holdsOf(host: TestHost, day: number) {
  for (const time of ['09:00', '10:00']) {
    const res = await host.api.post('/v4/booking', bookingBody(host, slot(day, time), { attendee: { email: `a${++n}@example.com` } }));
    assert.equal(res.statusCode, 201, res.body);
    if (time === '09:00') assert.equal((await host.api.post(`/v4/provisional-booking/${res.json().provisionalBookingId}/confirm`)).statusCode, 200);
  }
}

before(async () => {
  t = await startTestApp({ clock: testClock() });
  acme = await t.newCompany('Acme');
  globex = await t.newCompany('Globex');
  ada = await holdingHost(t, acme, { requireHostConfirmation: 'enabled' });
  bob = await holdingHost(t, acme, { requireHostConfirmation: 'enabled' });
  stranger = await holdingHost(t, globex, { requireHostConfirmation: 'enabled' });
  await holdsOf(ada, 1);
  await holdsOf(bob, 2);
  await holdsOf(stranger, 3);
  adaPat = await token(acme, ada.userId);
  ownerPat = await token(acme, acme.ownerUserId);
});
after(() => t.close());

const HOLDS = '/v4/provisional-booking/paginated?pageSize=100';
const APPOINTMENTS = '/v4/appointment/paginated?pageSize=100';

async function hostsIn(api: ReturnType<typeof client>, url: string): Promise<string[]> {
  const res = await api.get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  const body = res.json();
  const items = (body.provisionalBookings ?? body.appointments) as { hosts: { id: string }[] }[];
  assert.equal(items.length, body.total);
  return items.map((item) => item.hosts[0]!.id).sort();
}

const twice = (...ids: string[]) => ids.flatMap((id) => [id, id]).sort();

describe('a member’s personal access token lists only what its owner hosts', () => {
  test('holds: their own by default, with userId=self and within a meeting type; all=true and another user are 403', async () => {
    assert.deepEqual(await hostsIn(adaPat, HOLDS), twice(ada.userId));
    assert.deepEqual(await hostsIn(adaPat, `${HOLDS}&userId=${ada.userId}`), twice(ada.userId));
    assert.deepEqual(await hostsIn(adaPat, `${HOLDS}&meetingTypeId=${ada.meetingTypeId}&status=pending`), [ada.userId]);
    assert.deepEqual(await hostsIn(adaPat, `${HOLDS}&meetingTypeId=${bob.meetingTypeId}`), [], 'another host’s type: none of theirs');
    for (const query of ['all=true', `userId=${bob.userId}`, `userId=${stranger.userId}`, `all=true&userId=${ada.userId}`]) {
      const res = await adaPat.get(`${HOLDS}&${query}`);
      assert.equal(res.statusCode, 403, query);
      assert.equal(res.json().message, 'Admin access required');
    }
  });

  test('appointments: the same rule', async () => {
    assert.deepEqual(await hostsIn(adaPat, APPOINTMENTS), [ada.userId]);
    assert.deepEqual(await hostsIn(adaPat, `${APPOINTMENTS}&userId=${ada.userId}`), [ada.userId]);
    assert.deepEqual(await hostsIn(adaPat, `${APPOINTMENTS}&meetingTypeId=${bob.meetingTypeId}`), []);
    for (const query of [`userId=${bob.userId}`, `userId=${stranger.userId}`]) {
      const res = await adaPat.get(`${APPOINTMENTS}&${query}`);
      assert.equal(res.statusCode, 403, query);
      assert.equal(res.json().message, 'Admin access required');
    }
  });
});

describe('the company key and an owner’s token list anyone’s; another company’s ids find nothing', () => {
  test('holds', async () => {
    const key = client(t.app, acme.apiKey);
    const keyAsAda = client(t.app, acme.apiKey, ada.userId);
    for (const api of [key, keyAsAda, ownerPat]) {
      assert.deepEqual(await hostsIn(api, `${HOLDS}&all=true`), twice(ada.userId, bob.userId));
      assert.deepEqual(await hostsIn(api, `${HOLDS}&userId=${bob.userId}`), twice(bob.userId));
      assert.deepEqual(await hostsIn(api, `${HOLDS}&meetingTypeId=${bob.meetingTypeId}&all=true`), twice(bob.userId));
      assert.deepEqual(await hostsIn(api, `${HOLDS}&userId=${stranger.userId}`), []);
      assert.deepEqual(await hostsIn(api, `${HOLDS}&meetingTypeId=${stranger.meetingTypeId}&all=true`), []);
    }
    // The header names the default: without all or userId, the acting user's own.
    assert.deepEqual(await hostsIn(keyAsAda, HOLDS), twice(ada.userId));
  });

  test('appointments', async () => {
    const key = client(t.app, acme.apiKey);
    const keyAsAda = client(t.app, acme.apiKey, ada.userId);
    for (const api of [key, keyAsAda, ownerPat]) {
      assert.deepEqual(await hostsIn(api, `${APPOINTMENTS}&userId=${bob.userId}`), [bob.userId]);
      assert.deepEqual(await hostsIn(api, `${APPOINTMENTS}&userId=${stranger.userId}`), []);
      assert.deepEqual(await hostsIn(api, `${APPOINTMENTS}&meetingTypeId=${stranger.meetingTypeId}`), []);
    }
    assert.deepEqual(await hostsIn(key, APPOINTMENTS), [ada.userId, bob.userId].sort());
    assert.deepEqual(await hostsIn(keyAsAda, APPOINTMENTS), [ada.userId]);
  });
});
