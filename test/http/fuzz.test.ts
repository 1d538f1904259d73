// Hostile-request fuzzing across every documented route: malformed JSON, wrong types, huge values,
// NUL, lone surrogates, deep nesting, out-of-range dates, unknown ids and another company's ids.
// The contract: never a 5xx, and every error body has the one documented shape. The route list is
// read from the OpenAPI document, so a new route is fuzzed (and must be reached) without edits here.
// Deterministic: a fixed seed. FUZZ_RUNS changes the count: the default 3,000 keeps CI quick and
// reaches every route many times; `FUZZ_RUNS=10000` is the full run of the issue.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { ADMIN_KEY, type TestApp, startTestApp } from '../helpers/app.ts';
import { type TestHost, bookingBody, newHost, slot, testClock } from '../helpers/bookings.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3_000);
const SEED = 9_009;

let t: TestApp;
let ids: string[];
let keys: string[];
let users: string[];

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: string[];
  body: string[] | undefined;
  bodySchema: JsonSchema | undefined;
  querySchema: JsonSchema;
}

before(async () => {
  t = await startTestApp({ clock: testClock() });
  const a = await t.newCompany('Fuzz A');
  const b = await t.newCompany('Fuzz B');
  const hostA = await newHost(t, a);
  const hostB = await newHost(t, b);
  const own = await realIds(hostA, slot(1, '10:00'));
  const theirs = await realIds(hostB, slot(1, '11:00'));
  ids = [...own, ...theirs, a.ownerUserId, b.ownerUserId, '00000000-0000-4000-8000-000000000000'];
  users = [hostA.userId, hostB.userId, a.ownerUserId];
  // Mostly the right key, so requests get past authentication to validation and the services.
  keys = [...Array(12).fill(a.apiKey), b.apiKey, b.apiKey, ADMIN_KEY, 'ak_live:not-a-key'];
});
after(() => t.close());

/** Ids of real rows of one company: user, meeting type, availability, appointment, webhook, key. */
async function realIds(host: TestHost, start: string): Promise<string[]> {
  const booked = (await host.api.post('/v4/booking', bookingBody(host, start))).json();
  const availability = (await host.api.get('/v4/availability')).json();
  const webhook = (await host.api.post('/webhooks', { endpoint: 'https://93.184.215.14/h', eventTypes: ['booking_created'] })).json();
  const key = (await host.api.post('/v4/api-key', { name: 'fuzz' })).json();
  const firstAvailability = Array.isArray(availability) ? availability[0]?.id : availability?.availabilities?.[0]?.id;
  return [host.userId, host.meetingTypeId, booked.appointmentId, booked.secret, firstAvailability, webhook.id, key.id]
    .filter((id): id is string => typeof id === 'string');
}

function operations(): Operation[] {
  const doc = t.app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> };
  const result: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const queryParams = params.filter((p) => p.in === 'query');
      result.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => p.name),
        body: schema ? Object.keys(schema.properties ?? schema.anyOf?.[0]?.properties ?? {}) : undefined,
        bodySchema: schema as JsonSchema | undefined,
        querySchema: {
          type: 'object',
          properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema ?? {}])),
          required: queryParams.filter((p) => p.required).map((p) => p.name),
        },
      });
    }
  }
  return result;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> };
}
interface OpenApiSchema {
  properties?: Record<string, unknown>;
  anyOf?: OpenApiSchema[];
}

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
}

/** Plausible text for a field, by its name, so near-valid requests get past validation. */
function plausibleText(field: string): fc.Arbitrary<unknown> {
  if (/email/i.test(field)) return fc.constantFrom('jane@example.com', 'JANE@EXAMPLE.COM', 'a@b');
  if (/zone/i.test(field)) return fc.constantFrom('Europe/Berlin', 'Asia/Kolkata', 'UTC');
  if (/start|end|date|from|to$/i.test(field)) {
    return fc.constantFrom('2030-01-08', '2030-01-08T10:00:00+01:00', '2030-01-31', '2031-01-08T09:00:00Z');
  }
  if (/ids?$/i.test(field)) return fc.constantFrom(...ids);
  if (/endpoint|url/i.test(field)) return fc.constantFrom('https://93.184.215.14/h', 'http://127.0.0.1:9/h');
  if (/eventTypes|event/i.test(field)) return fc.constantFrom('booking_created', 'booking_cancelled');
  return fc.constantFrom('Discovery call', 'hello', 'phone', 'anyone', 'en');
}

// What a text field is most likely to choke on once validation has let it through.
const hostileTextLeaf = fc.constantFrom(
  'a\u0000b',
  'x\ud800y',
  '\udc00',
  '+275760-09-13T00:00:00Z',
  '275760-09-13',
  '0000-01-01T00:00:00Z',
  '0000-01-01',
  'x'.repeat(5000),
  '',
);

/** Values shaped by a route's own JSON schema, each leaf sometimes replaced by something hostile. */
function fromSchema(schema: JsonSchema, field: string, hostile: fc.Arbitrary<unknown>, depth = 0): fc.Arbitrary<unknown> {
  const leaf = (plausible: fc.Arbitrary<unknown>) =>
    fc.oneof({ arbitrary: plausible, weight: 8 }, { arbitrary: hostile, weight: 1 });
  if (schema.const !== undefined) return leaf(fc.constant(schema.const));
  if (schema.enum) return leaf(fc.constantFrom(...schema.enum));
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fromSchema(s, field, hostile, depth)));
  switch (schema.type) {
    case 'string':
      return fc.oneof({ arbitrary: leaf(plausibleText(field)), weight: 4 }, { arbitrary: hostileTextLeaf, weight: 1 });
    case 'integer':
    case 'number':
      return leaf(fc.oneof(fc.integer({ min: -5, max: 500 }), fc.constantFrom(15, 30, 60, 1440, 100_000)));
    case 'boolean':
      return leaf(fc.boolean());
    case 'array':
      return depth > 4 ? hostile : fc.array(fromSchema(schema.items ?? {}, field, hostile, depth + 1), { maxLength: 3 });
    case 'object': {
      if (depth > 4 || !schema.properties) return leaf(fc.constant({}));
      const entries = Object.entries(schema.properties).map(([key, s]) => [key, fromSchema(s, key, hostile, depth + 1)] as const);
      return fc.record(Object.fromEntries(entries), { requiredKeys: schema.required ?? [] });
    }
    default:
      return hostile;
  }
}

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

// Hostile text: control characters, surrogates, dates at and past every edge, injections, sizes.
const hostileText = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    '\ud83d\ude00',
    '275760-09-13',
    '+275760-09-13T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '0000-01-01',
    '+010000-01-01',
    '2030-02-30',
    '2030-01-08T10:00:00Z',
    '2030-01-08',
    '9999-12-31T23:59:59Z',
    '1899-12-31T23:59:59Z',
    'NaN',
    '-1',
    '1e308',
    '9'.repeat(400),
    "'; DROP TABLE users; --",
    '../../etc/passwd',
    '<script>alert(1)</script>',
    'Europe/Nowhere',
    'Etc/GMT+99',
    '__proto__',
    'x'.repeat(20_000),
    'a@b.c',
    'https://127.0.0.1/hook',
    'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/',
  ),
  fc.string({ maxLength: 40, unit: 'binary' }),
);

const idLike = () => fc.oneof(fc.constantFrom(...ids), hostileText, fc.uuid());

// Built once the fixtures exist: ids are part of the pool.
const hostileValues = (): fc.Arbitrary<unknown> => fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText,
    idLike(),
    fc.constantFrom(null, true, false, 0, -1, -0, 0.5, 1e308, 2 ** 53 + 1, -(2 ** 31), 86_400 * 366),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileText, tie('value'), { maxKeys: 3 }),
  ),
})).value;

function encode(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80'; // a lone surrogate cannot be UTF-8 encoded; send its raw bytes instead
  }
}

const rawBodies = fc.constantFrom(
  '{',
  '{"a":',
  '[1,2',
  'nul',
  '"\\ud800"',
  '{"email":"\\u0000"}',
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
  deep(65),
  deep(5_000),
  `{"a":${deep(100)}}`,
  '1e999999',
  '[]',
  'null',
  '"just a string"',
);

function request(op: Operation, hostileValue: fc.Arbitrary<unknown>) {
  const pathValues = op.pathParams.map(() => idLike());
  const randomQuery: fc.Arbitrary<[string, unknown][]> = fc.array(
    fc.tuple(fc.constantFrom(...op.query, 'unknown'), hostileValue),
    { maxLength: 4 },
  );
  const shapedQuery = fromSchema(op.querySchema, '', hostileValue).map((q) => Object.entries(q as object) as [string, unknown][]);
  const queryValues = fc.oneof(randomQuery, shapedQuery);
  const bodyFields = op.body && op.body.length > 0 ? op.body : ['x'];
  const jsonBody = fc
    .array(fc.tuple(fc.constantFrom(...bodyFields), hostileValue), { maxLength: 6 })
    .map((entries) => JSON.stringify(Object.fromEntries(entries)));
  return fc.record({
    op: fc.constant(op),
    path: fc.tuple(...pathValues.map((v) => v.map(encode))),
    query: queryValues,
    body:
      op.body === undefined && op.method === 'GET'
        ? fc.constant(undefined)
        : fc.oneof(
            { arbitrary: jsonBody, weight: 2 },
            { arbitrary: rawBodies, weight: 1 },
            { arbitrary: fromSchema(op.bodySchema ?? {}, '', hostileValue).map((v) => JSON.stringify(v) ?? ''), weight: 3 },
          ),
    contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain'),
    key: fc.constantFrom(...keys, undefined),
    // Usually no acting user (the owner acts); sometimes a real one, another company's, or garbage.
    user: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 10 },
      { arbitrary: fc.constantFrom(...users), weight: 2 },
      { arbitrary: hostileText.map(encode), weight: 1 },
    ),
  });
}

test(`${RUNS} hostile requests across every route: no 5xx, every error in the documented shape`, async (context) => {
  const ops = operations();
  const values = hostileValues();
  assert.ok(ops.length >= 30, `expected the whole API in the OpenAPI document, got ${ops.length} operations`);
  const samples = fc.sample(fc.oneof(...ops.map((op) => request(op, values))), { seed: SEED, numRuns: RUNS });
  const reached = new Set<string>();
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  for (const sample of samples) {
    let url = sample.op.path;
    sample.op.pathParams.forEach((name, i) => {
      url = url.replace(`{${name}}`, sample.path[i] || 'x');
    });
    const query = sample.query.map(([name, value]) => `${name}=${encode(value)}`).join('&');
    if (query) url += `?${query}`;
    const headers: Record<string, string> = {};
    if (sample.key) headers.authorization = `Bearer ${sample.key}`;
    if (sample.user) headers['x-meetergo-api-user-id'] = sample.user;
    if (sample.body !== undefined) headers['content-type'] = sample.contentType;
    const res = await t.app.inject({
      method: sample.op.method as 'GET',
      url,
      headers,
      ...(sample.body !== undefined ? { payload: sample.body } : {}),
    });
    reached.add(`${sample.op.method} ${sample.op.path}`);
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    // /readyz answers its documented 503 here: this test runs no background workers.
    const expected503 = sample.op.path === '/readyz' && res.statusCode === 503;
    const problem = expected503 ? undefined : checkAnswer(res.statusCode, res.headers['content-type'], res.body);
    if (problem) failures.push(`${sample.op.method} ${url} → ${res.statusCode}: ${problem}\n  body sent: ${String(sample.body).slice(0, 300)}`);
  }
  context.diagnostic(`answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} bad answers of ${RUNS}`);
  const missed = ops.map((op) => `${op.method} ${op.path}`).filter((name) => !reached.has(name));
  assert.deepEqual(missed, [], 'every route is fuzzed');
});

function checkAnswer(status: number, contentType: unknown, body: string): string | undefined {
  if (status >= 500) return body.slice(0, 300);
  if (status < 400) return undefined;
  if (!String(contentType).startsWith('application/json')) return `error with content type ${String(contentType)}`;
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const shaped =
    parsed.statusCode === status &&
    typeof parsed.error === 'string' &&
    typeof parsed.message === 'string' &&
    typeof parsed.code === 'string' &&
    (parsed.errors === undefined || Array.isArray(parsed.errors));
  return shaped ? undefined : `error body not in the documented shape: ${body.slice(0, 300)}`;
}
