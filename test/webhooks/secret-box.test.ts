import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createSecretBox, keyFromPassphrase } from '../../src/lib/secret-box.ts';

describe('secret box', () => {
  const old = { id: 'db1', key: randomBytes(32) };
  const current = { id: 'env1', key: keyFromPassphrase('a passphrase of at least thirty-two characters') };

  test('opens what it sealed, and sealing twice gives different text', () => {
    const box = createSecretBox(current);
    const a = box.seal('whsec_abc');
    assert.notEqual(a, box.seal('whsec_abc'));
    assert.equal(box.open(a), 'whsec_abc');
    assert.ok(!a.includes('whsec_abc'));
  });

  test('opens text sealed under an older key after the key changed', () => {
    const sealed = createSecretBox(old).seal('whsec_old');
    assert.equal(createSecretBox(current, [old]).open(sealed), 'whsec_old');
    assert.throws(() => createSecretBox(current).open(sealed));
  });

  test('refuses tampered text', () => {
    const box = createSecretBox(current);
    const sealed = box.seal('whsec_abc');
    const tampered = `${sealed.slice(0, -3)}${sealed.at(-3) === 'A' ? 'B' : 'A'}${sealed.slice(-2)}`;
    assert.throws(() => box.open(tampered));
  });
});
