// Request limits per API key and per company over all its keys, wrong credentials throttled per
// client address, and — with REDIS_URL — one shared budget for every instance.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.ts';
import { type TestApp, client, openTestDatabase, startTestApp } from '../helpers/app.ts';

const clock = fixedClock('2025-03-24T06:00:00Z');
let t: TestApp;

before(async () => {
  t = await startTestApp({
    clock,
    env: {
      TERMIN_RATE_LIMIT_PER_MINUTE: '3',
      TERMIN_RATE_LIMIT_BURST: '3',
      TERMIN_RATE_LIMIT_COMPANY_PER_MINUTE: '4',
      TERMIN_RATE_LIMIT_COMPANY_BURST: '4',
      TERMIN_AUTH_FAILURES_PER_MINUTE: '3',
    },
  });
});
after(() => t.close());

const get = (apiKey: string, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'GET', url: '/v4/api-key', remoteAddress, headers: { authorization: `Bearer ${apiKey}` } });

describe('request limits', () => {
  test('a key has its own limit, and all keys of a company share the company limit', async () => {
    const acme = await t.newCompany('Acme');
    const other = await t.newCompany('Other');
    const second = await client(t.app, acme.apiKey).post('/v4/api-key', { name: 'second' });
    assert.equal(second.statusCode, 201, second.body);
    const secondKey = second.json().apiKey as string;
    assert.equal((await get(acme.apiKey)).statusCode, 200);
    assert.equal((await get(acme.apiKey)).statusCode, 200);
    const keyOut = await get(acme.apiKey);
    assert.equal(keyOut.statusCode, 429, 'the first key used its 3');
    assert.equal(keyOut.json().code, 'rate_limited');
    assert.ok(Number(keyOut.headers['retry-after']) >= 1);
    assert.equal((await get(secondKey)).statusCode, 200, 'the company has a 4th request left');
    const companyOut = await get(secondKey);
    assert.equal(companyOut.statusCode, 429, "the second key is stopped by the company's limit");
    assert.ok(Number(companyOut.headers['retry-after']) >= 1);
    assert.equal((await get(other.apiKey)).statusCode, 200, 'another company is not affected');
    clock.advance(60_000);
    assert.equal((await get(secondKey)).statusCode, 200, 'a minute later the company may go on');
  });

  test('wrong API keys are throttled per address: 401 three times, then 429 for that address only', async () => {
    const acme = await t.newCompany('Guessed');
    const address = '203.0.113.7';
    for (let i = 0; i < 3; i++) {
      const res = await get(`ak_live:${randomUUID()}`, address);
      assert.equal(res.statusCode, 401, res.body);
    }
    const throttled = await get(`ak_live:${randomUUID()}`, address);
    assert.equal(throttled.statusCode, 429);
    assert.equal(throttled.json().code, 'rate_limited');
    assert.equal(throttled.json().message, 'Too many failed authentication attempts from this address');
    assert.ok(Number(throttled.headers['retry-after']) >= 1);
    assert.equal((await get(`ak_live:${randomUUID()}`, '203.0.113.8')).statusCode, 401, 'another address still gets 401');
    assert.equal((await get(acme.apiKey, '203.0.113.8')).statusCode, 200);
    const wrongAdmin = await t.app.inject({
      method: 'POST',
      url: '/admin/companies',
      remoteAddress: address,
      headers: { authorization: `Bearer ${'x'.repeat(40)}` },
      payload: { name: 'nope' },
    });
    assert.equal(wrongAdmin.statusCode, 429, 'the admin key cannot be guessed from there either');
  });
});

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function redisAnswers(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port || 6379), url.hostname, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('limits shared through Redis', async () => {
  const skip = (await redisAnswers()) ? false : `no Redis at ${REDIS_URL}`;

  test('two instances with REDIS_URL draw from one company budget', { skip }, async () => {
    const handle = await openTestDatabase();
    // A prefix of its own, so parallel test runs sharing the Redis never meet.
    const env = {
      REDIS_URL,
      TERMIN_REDIS_PREFIX: `termin-test:${randomUUID()}:`,
      TERMIN_RATE_LIMIT_COMPANY_PER_MINUTE: '1',
      TERMIN_RATE_LIMIT_COMPANY_BURST: '4',
    };
    const [a, b] = [await startTestApp({ handle, env }), await startTestApp({ handle, env })];
    try {
      const acme = await a.newCompany('Shared');
      const answers: number[] = [];
      for (let i = 0; i < 8; i++) {
        const instance = i % 2 === 0 ? a : b;
        const res = await client(instance.app, acme.apiKey).get('/v4/api-key');
        answers.push(res.statusCode);
      }
      const ok = answers.filter((status) => status === 200).length;
      // Per instance each would allow 4 (8 in all); shared, 4 — 5 if a minute's token arrived meanwhile.
      assert.ok(ok >= 4 && ok <= 5, `answers: ${answers.join(',')}`);
      assert.ok(answers.includes(429));
    } finally {
      await a.close();
      await b.close();
      await handle.close();
    }
  });
});
