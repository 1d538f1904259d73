// Fair sharing of slot search: the work of one search (hosts × days × grid starts per day) is bounded
// per request (400 naming the limit) and per company per second (429 with Retry-After), and one
// company out of budget does not take another company's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.ts';
import { type TestApp, type TestCompany, client, startTestApp } from '../helpers/app.ts';
import { type TestHost, newHost } from '../helpers/hosts.ts';

// The clock stands still: budgets refill only when a test moves it.
const clock = fixedClock('2025-03-24T06:00:00Z');
let t: TestApp;

before(async () => {
  // A default meeting type offers a 30-minute grid: 48 starts a day, so one host over 62 days is
  // 2,976 units and two hosts 5,952.
  t = await startTestApp({ clock, env: { TERMIN_SLOT_SEARCH_MAX_COST: '3000', TERMIN_SLOT_SEARCH_COST_PER_SECOND: '3000' } });
});
after(() => t.close());

async function companyWithHosts(count: number): Promise<{ company: TestCompany; hosts: TestHost[] }> {
  const company = await t.newCompany();
  const hosts = [];
  for (let i = 0; i < count; i++) hosts.push(await newHost(t, company));
  return { company, hosts };
}

const search = (company: TestCompany, hosts: TestHost[], end = '2025-05-24') =>
  client(t.app, company.apiKey).get(
    `/v4/booking-availability?meetingTypeId=${hosts[0]!.meetingTypeId}&start=2025-03-24&end=${end}&hostIds=${hosts.map((h) => h.userId).join(',')}`,
  );

describe('slot search cost limits', () => {
  test('a search over the per-request work limit answers 400 search_too_large naming the limit', async () => {
    const { company, hosts } = await companyWithHosts(2);
    const res = await search(company, hosts);
    assert.equal(res.statusCode, 400, res.body);
    const body = res.json();
    assert.equal(body.code, 'search_too_large');
    assert.equal(body.error, 'Bad Request');
    assert.equal(body.statusCode, 400);
    assert.match(body.message, /5952 candidate starts \(2 hosts × 62 days × 48 starts per day\); the limit is 3000 per request/);
    const again = await search(company, hosts);
    assert.equal(again.statusCode, 429, 'a refused search spent the budget too: a flood of them is throttled');
    clock.advance(1000);
    const smaller = await search(company, hosts, '2025-04-06');
    assert.equal(smaller.statusCode, 200, 'two hosts over two weeks fit');
  });

  test("a company over its per-second budget gets 429 with Retry-After; another company's searches still answer", async () => {
    const first = await companyWithHosts(1);
    const second = await companyWithHosts(1);
    assert.equal((await search(first.company, first.hosts)).statusCode, 200);
    const refused = await search(first.company, first.hosts);
    assert.equal(refused.statusCode, 429, refused.body);
    assert.equal(refused.json().code, 'rate_limited');
    assert.match(refused.json().message, /3000 candidate starts per second/);
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.equal((await search(second.company, second.hosts)).statusCode, 200, 'the other company has its own budget');
    clock.advance(1000);
    assert.equal((await search(first.company, first.hosts)).statusCode, 200, 'a second later the budget is back');
  });
});
