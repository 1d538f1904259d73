// Every class of hostile input answers a clear 4xx in the one error shape, on both engines:
// NUL and lone surrogates in any text (body, keys, query, path), out-of-range dates, deep nesting,
// and what Node's HTTP parser refuses before Fastify sees a request (431, 400).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type BookingCompany, newBookingCompany } from '../helpers/booking-company.ts';
import { type TestApp, startTestApp } from '../helpers/app.ts';

let t: TestApp;
let acme: BookingCompany;

before(async () => {
  t = await startTestApp();
  acme = await newBookingCompany(t, 'Acme');
});
after(() => t.close());

function assertShape(res: { statusCode: number; json(): unknown }, status: number, code?: string) {
  assert.equal(res.statusCode, status, JSON.stringify(res.json()));
  const body = res.json() as Record<string, unknown>;
  assert.equal(body.statusCode, status);
  assert.equal(typeof body.error, 'string');
  assert.equal(typeof body.message, 'string');
  assert.equal(typeof body.code, 'string');
  if (code) assert.equal(body.code, code);
}

const rawPost = (url: string, payload: string) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${acme.company.apiKey}`, 'content-type': 'application/json' },
    payload,
  });

describe('NUL and lone surrogates', () => {
  // `givenName` is raw JSON string content, so escapes like \u0000 reach the parser as written.
  const user = (givenName: string) =>
    `{"email":"x${Math.random()}@example.com","givenName":"${givenName}","familyName":"Doe","timezone":"UTC"}`;

  for (const [name, text] of [
    ['NUL', 'An\\u0000na'],
    ['a lone high surrogate', 'An\\ud800na'],
    ['a lone low surrogate', 'An\\udc00na'],
  ]) {
    test(`${name} in a body field → 400 validation_failed naming the field`, async () => {
      const res = await rawPost('/v4/user', user(text!));
      assertShape(res, 400, 'validation_failed');
      assert.match(res.json().message, /givenName must not contain NUL characters or unpaired UTF-16 surrogates/);
    });
  }

  test('a well-formed surrogate pair (emoji) is ordinary text', async () => {
    const res = await rawPost('/v4/user', user('Anna \\ud83d\\ude00'));
    assert.equal(res.statusCode, 201, res.body);
  });

  test('NUL in a nested key of a free-form object → 400', async () => {
    const res = await rawPost(
      '/v4/booking',
      JSON.stringify({ meetingTypeId: acme.meetingTypeId, start: '2031-01-06T10:00:00Z', attendee: { email: 'a@example.com' } })
        .replace('"attendee":{', '"attendee":{"customFields":{"k\\u0000":"v"},'),
    );
    assertShape(res, 400, 'validation_failed');
  });

  test('NUL in a query string and in a path parameter → 400', async () => {
    const headers = { authorization: `Bearer ${acme.company.apiKey}` };
    assertShape(await t.app.inject({ url: '/v4/appointment/paginated?search=a%00b', headers }), 400, 'validation_failed');
    assertShape(await t.app.inject({ url: '/v4/user/ab%00cd', headers }), 400, 'validation_failed');
    assertShape(await t.app.inject({ url: '/v4/user/%ED%A0%80', headers }), 400);
  });
});

describe('out-of-range dates', () => {
  for (const value of ['275760-09-13', '+275760-09-13T00:00:00Z', '0000-01-01', '+010000-01-01', '0000-01-01T00:00:00Z']) {
    test(`booking availability start=${value} → 400`, async () => {
      const res = await t.app.inject({
        url: `/v4/booking-availability?meetingTypeId=${acme.meetingTypeId}&start=${encodeURIComponent(value)}&end=2030-01-01`,
        headers: { authorization: `Bearer ${acme.company.apiKey}` },
      });
      assertShape(res, 400);
    });
  }

  test('a booking start in year 275760 or year 0 → 400', async () => {
    for (const start of ['+275760-09-13T00:00:00Z', '0000-06-01T10:00:00Z', '9999-12-31T23:30:00Z']) {
      const res = await rawPost(
        '/v4/booking',
        JSON.stringify({ meetingTypeId: acme.meetingTypeId, start, attendee: { email: 'a@example.com' } }),
      );
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${start}: ${res.statusCode} ${res.body}`);
      assertShape(res, res.statusCode);
    }
  });

  test('an appointment list filtered by year 0 or 275760 → 400', async () => {
    for (const q of ['startDate=0000-01-01', 'endDate=275760-01-01', 'startDate=%2B010000-01-01T00:00:00Z']) {
      const res = await t.app.inject({
        url: `/v4/appointment/paginated?${q}`,
        headers: { authorization: `Bearer ${acme.company.apiKey}` },
      });
      assertShape(res, 400);
    }
  });
});

describe('deep nesting', () => {
  test('JSON nested 5,000 deep → 400 bad_request, no stack overflow', async () => {
    const res = await rawPost('/v4/user', `{"email":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    assertShape(res, 400, 'bad_request');
    assert.match(res.json().message, /nested deeper than 64 levels/);
  });

  test('brackets inside strings do not count as nesting', async () => {
    const res = await rawPost(
      '/v4/user',
      JSON.stringify({ email: `deep${Date.now()}@example.com`, givenName: '['.repeat(90), familyName: '{', timezone: 'UTC' }),
    );
    assert.equal(res.statusCode, 201, res.body);
  });
});

describe('Node-level refusals carry the error shape', () => {
  let base: { port: number };
  before(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = { port: typeof address === 'object' && address ? address.port : 0 };
  });

  function rawRequest(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(base.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString('utf8');
      });
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
      socket.write(text);
    });
  }

  function parse(answer: string) {
    const [head, body] = answer.split('\r\n\r\n');
    return { status: Number(head!.split(' ')[1]), body: JSON.parse(body!) as Record<string, unknown> };
  }

  test('oversized headers → 431 with code headers_too_large', async () => {
    const answer = await rawRequest(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const { status, body } = parse(answer);
    assert.equal(status, 431);
    assert.deepEqual(body, {
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      message: 'Request headers are too large',
      code: 'headers_too_large',
    });
  });

  test('an unparsable request line → 400 with code bad_request', async () => {
    const { status, body } = parse(await rawRequest('GARBAGE\x00 / HTTP/1.1\r\n\r\n'));
    assert.equal(status, 400);
    assert.equal(body.code, 'bad_request');
    assert.equal(body.statusCode, 400);
  });
});
