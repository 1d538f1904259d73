import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { forbiddenAddressReason } from '../../src/webhooks/address-policy.ts';

const refused: [string, RegExp][] = [
  ['127.0.0.1', /loopback/],
  ['127.255.255.254', /loopback/],
  ['10.0.0.1', /private/],
  ['10.255.255.255', /private/],
  ['172.16.0.1', /private/],
  ['172.31.255.255', /private/],
  ['192.168.0.1', /private/],
  ['169.254.169.254', /link-local/],
  ['100.64.0.1', /carrier-grade NAT/],
  ['100.127.255.255', /carrier-grade NAT/],
  ['0.0.0.0', /unspecified/],
  ['0.1.2.3', /unspecified/],
  ['224.0.0.1', /multicast/],
  ['239.255.255.250', /multicast/],
  ['255.255.255.255', /reserved/],
  ['198.18.0.1', /benchmarking/],
  ['192.0.2.1', /documentation/],
  ['::1', /loopback/],
  ['::', /unspecified/],
  ['fe80::1', /link-local/],
  ['febf::1', /link-local/],
  ['fc00::1', /unique-local/],
  ['fd12:3456:789a::1', /unique-local/],
  ['ff02::1', /multicast/],
  ['::ffff:127.0.0.1', /loopback \(IPv4 inside IPv6\)/],
  ['::ffff:7f00:1', /loopback \(IPv4 inside IPv6\)/],
  ['::ffff:10.0.0.1', /private/],
  ['::ffff:169.254.169.254', /link-local/],
  ['::127.0.0.1', /loopback/],
  ['64:ff9b::a9fe:a9fe', /link-local/],
  ['2002:7f00:1::', /loopback \(6to4\)/],
  ['fe80::1%eth0', /link-local/],
  // Teredo: server 65.54.227.120, client 127.0.0.1 stored inverted (0x80fffffe) in the low 32 bits.
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', /loopback \(Teredo\)/],
  ['2001:0:7f00:1::1', /loopback \(Teredo\)/],
  ['2001:0:a00:1:0:0:f5ff:fffe', /private \(Teredo\)/],
  ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', /Teredo tunnel/],
  ['2001:2::1', /IETF protocol assignments/],
  ['2002:a00:1::1', /private \(6to4\)/],
  ['2002:c0a8:101::1', /private \(6to4\)/],
  ['64:ff9b::7f00:1', /loopback \(IPv4 inside IPv6\)/],
  ['64:ff9b::10.0.0.1', /private \(IPv4 inside IPv6\)/],
  ['64:ff9b:1::7f00:1', /NAT64 local-use/],
  ['64:ff9b:1:808:8:800::', /NAT64 local-use/],
  ['::ffff:0:127.0.0.1', /loopback \(IPv4 inside IPv6\)/],
  ['0:0:0:0:0:ffff:7f00:0001', /loopback \(IPv4 inside IPv6\)/],
  ['::10.0.0.1', /private \(IPv4 inside IPv6\)/],
  ['::ffff:100.64.0.1', /carrier-grade NAT \(IPv4 inside IPv6\)/],
  ['not-an-ip', /not an IP/],
];

const allowed = [
  '93.184.215.14',
  '8.8.8.8',
  '1.1.1.1',
  '172.15.255.255',
  '172.32.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '169.253.255.255',
  '192.167.255.255',
  '11.0.0.1',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
  '2001:67c:2e8::1',
];

describe('forbiddenAddressReason', () => {
  for (const [address, reason] of refused) {
    test(`refuses ${address}`, () => {
      assert.match(forbiddenAddressReason(address) ?? 'allowed', reason);
    });
  }
  for (const address of allowed) {
    test(`allows the public address ${address}`, () => {
      assert.equal(forbiddenAddressReason(address), undefined);
    });
  }
});
