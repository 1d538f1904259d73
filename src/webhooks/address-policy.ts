// Which network addresses a webhook may be delivered to: public unicast only. Everything a
// server-side request forger would aim at (loopback, private networks, link-local metadata
// services, CGNAT, unique-local, multicast, reserved ranges, and IPv4 hidden inside IPv6) is
// refused. Pure: an address in, a reason or undefined out.
import { isIP } from 'node:net';

interface Range {
  base: bigint;
  bits: number;
  reason: string;
}

const V4_RANGES: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified/this-network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved/broadcast'],
];

const V6_RANGES: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard-only'],
  // Teredo tunnels (2001::/32, IPv4 server and obfuscated IPv4 client inside), benchmarking, ORCHID,
  // AMT, AS112: protocol plumbing, never a webhook receiver; Teredo is also reported on its own.
  ['2001::', 23, 'IETF protocol assignments'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  // NAT64 local-use prefix (RFC 8215): translates to whatever IPv4 the local translator reaches.
  ['64:ff9b:1::', 48, 'NAT64 local-use'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

function v4ToBigInt(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBigInt(address: string): bigint {
  let text = address.toLowerCase().split('%')[0]!;
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = v4ToBigInt(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(missing).fill('0'), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group || '0', 16)), 0n);
}

function compile(ranges: [string, number, string][], parse: (a: string) => bigint): Range[] {
  return ranges.map(([base, bits, reason]) => ({ base: parse(base), bits, reason }));
}

const V4 = compile(V4_RANGES, v4ToBigInt);
const V6 = compile(V6_RANGES, v6ToBigInt);

function match(value: bigint, width: number, ranges: Range[]): string | undefined {
  for (const range of ranges) {
    const shift = BigInt(width - range.bits);
    if (value >> shift === range.base >> shift) return range.reason;
  }
  return undefined;
}

// IPv6 forms that carry an IPv4 address in their low 32 bits and reach it.
const EMBEDDED_V4: [bigint, number][] = [
  [v6ToBigInt('::ffff:0:0'), 96], // IPv4-mapped
  [v6ToBigInt('::'), 96], // IPv4-compatible (deprecated)
  [v6ToBigInt('64:ff9b::'), 96], // NAT64
  [v6ToBigInt('::ffff:0:0:0'), 96], // SIIT translated
];

/** Why a webhook must not be sent to this IP address, or undefined when it is public. */
export function forbiddenAddressReason(address: string): string | undefined {
  const family = isIP(address.split('%')[0]!);
  if (family === 4) return match(v4ToBigInt(address), 32, V4);
  if (family !== 6) return 'not an IP address';
  const value = v6ToBigInt(address);
  for (const [prefix, bits] of EMBEDDED_V4) {
    const shift = BigInt(128 - bits);
    if (value >> shift === prefix >> shift && value !== 0n && value !== 1n) {
      const reason = match(value & 0xffffffffn, 32, V4);
      return reason ? `${reason} (IPv4 inside IPv6)` : undefined;
    }
  }
  // Teredo (2001:0::/32): the server's IPv4 in bits 64–95, the client's, inverted, in the low 32.
  if (value >> 96n === 0x20010000n) {
    const hidden = match((value >> 64n) & 0xffffffffn, 32, V4) ?? match(~value & 0xffffffffn, 32, V4);
    return hidden ? `${hidden} (Teredo)` : 'Teredo tunnel';
  }
  // 6to4 (2002::/16) embeds an IPv4 address in bits 16–48.
  if (value >> 112n === 0x2002n) {
    const reason = match((value >> 80n) & 0xffffffffn, 32, V4);
    if (reason) return `${reason} (6to4)`;
  }
  return match(value, 128, V6);
}
