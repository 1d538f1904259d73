// Endpoint checks against server-side request forgery, at subscription time and again at every
// delivery: the URL must be http(s), and every address its host resolves to must be public. At
// delivery the check runs inside the socket's DNS lookup, so the address checked is the address
// connected to (a host cannot resolve to a public address for the check and a private one after).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { AppError } from '../lib/app-error.ts';
import { forbiddenAddressReason } from './address-policy.ts';

export function parseEndpoint(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw endpointError('endpoint must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw endpointError('endpoint must use http or https');
  if (url.username || url.password) throw endpointError('endpoint must not contain credentials');
  return url;
}

function endpointError(message: string): AppError {
  return new AppError('validation_failed', message, { errors: [{ field: 'endpoint', message }] });
}

function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

async function resolveAll(host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve((addresses as LookupAddress[]).map((entry) => entry.address));
    });
  });
}

/** Refuses an endpoint whose host does not resolve or resolves to any non-public address. */
export async function checkEndpoint(raw: string, allowPrivate: boolean): Promise<URL> {
  const url = parseEndpoint(raw);
  if (allowPrivate) return url;
  let addresses: string[];
  try {
    addresses = await resolveAll(bareHost(url));
  } catch {
    throw endpointError(`endpoint host ${url.hostname} does not resolve`);
  }
  for (const address of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason) throw endpointError(`endpoint must not resolve to a ${reason} address (${url.hostname} → ${address})`);
  }
  return url;
}

/** A socket lookup that refuses non-public addresses, for http.request's `lookup` option. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      const refused = allowPrivate ? undefined : list.find((entry) => forbiddenAddressReason(entry.address));
      if (refused) {
        const reason = forbiddenAddressReason(refused.address);
        return callback(new Error(`refused: ${hostname} resolves to a ${reason} address`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}
