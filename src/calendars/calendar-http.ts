// One HTTP request to a calendar server or feed over node:http(s): a hard timeout, a size limit
// on the answer, Basic credentials, and the webhook address policy applied to the address actually
// connected to (no private addresses unless TERMIN_CALENDAR_ALLOW_PRIVATE). Redirects are followed
// a few times for reads (CalDAV discovery goes through /.well-known/caldav), re-checked each hop.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { forbiddenAddressReason } from '../webhooks/address-policy.ts';
import { guardedLookup } from '../webhooks/endpoint-check.ts';

export const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

export interface CalendarRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: { username: string; password: string };
}

export interface CalendarResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The URL answered, after redirects. */
  url: string;
}

export interface HttpOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  signal?: AbortSignal;
}

/** A request that failed before any answer (refused address, timeout, connection error). */
export class CalendarHttpError extends Error {}

export async function calendarRequest(request: CalendarRequest, options: HttpOptions): Promise<CalendarResponse> {
  let url = request.url;
  for (let hop = 0; hop < 4; hop++) {
    const response = await once({ ...request, url }, options);
    const location = response.headers.location;
    const follow = (request.method === 'GET' || request.method === 'PROPFIND') && [301, 302, 307, 308].includes(response.status);
    if (!follow || !location) return response;
    const next = new URL(location, url);
    // Credentials go only to the same origin.
    if (next.origin !== new URL(url).origin && request.credentials) return response;
    url = next.toString();
  }
  throw new CalendarHttpError('too many redirects');
}

function once(request: CalendarRequest, options: HttpOptions): Promise<CalendarResponse> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return reject(new CalendarHttpError('not a valid URL'));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return reject(new CalendarHttpError('URL must use http or https'));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const literal = !options.allowPrivate && isIP(host) ? forbiddenAddressReason(host) : undefined;
    if (literal) return reject(new CalendarHttpError(`refused: ${host} is a ${literal} address`));
    const headers: Record<string, string | number> = { 'user-agent': 'Termin-Calendars/1', ...request.headers };
    if (request.credentials) {
      const token = Buffer.from(`${request.credentials.username}:${request.credentials.password}`, 'utf8').toString('base64');
      headers.authorization = `Basic ${token}`;
    }
    if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
    const transport = url.protocol === 'https:' ? https : http;
    const outgoing = transport.request(url, {
      method: request.method,
      headers,
      lookup: guardedLookup(options.allowPrivate),
      timeout: options.timeoutMs,
      agent: false,
      signal: options.signal,
    });
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error instanceof CalendarHttpError ? error : new CalendarHttpError(error.message.slice(0, 300)));
    };
    const timer = setTimeout(() => outgoing.destroy(new CalendarHttpError(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    outgoing.on('timeout', () => outgoing.destroy(new CalendarHttpError(`timed out after ${options.timeoutMs} ms`)));
    outgoing.on('error', fail);
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) return response.destroy(new CalendarHttpError('answer larger than 20 MB'));
        chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), url: url.toString() });
      });
    });
    outgoing.end(request.body);
  });
}
