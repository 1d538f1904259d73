import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { formatSecret, signMessage, signatureHeaders } from '../../src/webhooks/signature.ts';

const now = () => Math.floor(Date.now() / 1000);

describe('Standard Webhooks signing', () => {
  test('matches the Standard Webhooks reference vector', () => {
    // From the specification's reference implementation tests.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const signature = signMessage(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    assert.equal(signature, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('every signed message verifies with the standardwebhooks package', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 64 }), fc.uuid(), fc.string(), (key, id, text) => {
        const secret = formatSecret(key);
        const body = JSON.stringify({ id, text });
        const headers = signatureHeaders([secret], id, now(), body);
        new Webhook(secret).verify(body, { ...headers });
      }),
      { numRuns: 100 },
    );
  });

  test('with two secrets each one verifies on its own, a third does not', () => {
    const [a, b, c] = [formatSecret(randomBytes(32)), formatSecret(randomBytes(32)), formatSecret(randomBytes(32))];
    const body = '{"event":"booking_created"}';
    const headers = signatureHeaders([a, b], 'evt-1', now(), body);
    assert.equal(headers['webhook-signature'].split(' ').length, 2);
    new Webhook(a).verify(body, { ...headers });
    new Webhook(b).verify(body, { ...headers });
    assert.throws(() => new Webhook(c).verify(body, { ...headers }));
  });

  test('a changed body, id or timestamp does not verify', () => {
    const secret = formatSecret(randomBytes(32));
    const body = '{"a":1}';
    // One timestamp for the whole test: reading the clock twice could cross a second boundary.
    const signedAt = now();
    const headers = signatureHeaders([secret], 'evt-1', signedAt, body);
    const verifier = new Webhook(secret);
    assert.throws(() => verifier.verify('{"a":2}', { ...headers }));
    assert.throws(() => verifier.verify(body, { ...headers, 'webhook-id': 'evt-2' }));
    assert.throws(() => verifier.verify(body, { ...headers, 'webhook-timestamp': String(signedAt - 1) }));
  });

  test('refuses to sign without a secret', () => {
    assert.throws(() => signatureHeaders([], 'evt', now(), '{}'));
  });
});
