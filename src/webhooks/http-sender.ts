// One webhook POST over node:http(s): a hard timeout, no redirects followed (a 3xx is a failed
// attempt), the receiver's answer read only up to a small limit, and the SSRF policy applied to
// the address actually connected to.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { forbiddenAddressReason } from './address-policy.ts';
import { guardedLookup } from './endpoint-check.ts';

export const RESPONSE_BODY_LIMIT = 1024;

export interface SendResult {
  statusCode: number | null;
  retryAfter: string | undefined;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

export function postWebhook(endpoint: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const fail = (error: string) =>
      resolve({ statusCode: null, retryAfter: undefined, responseBody: null, error, durationMs: elapsed() });
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return fail('endpoint is not a valid URL');
    }
    // Sockets skip the lookup for IP literals, so those are checked here.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const literalReason = !options.allowPrivate && isIP(host) ? forbiddenAddressReason(host) : undefined;
    if (literalReason) return fail(`refused: ${host} is a ${literalReason} address`);
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Termin-Webhooks/1', ...headers, 'content-length': Buffer.byteLength(body) },
      lookup: guardedLookup(options.allowPrivate),
      timeout: options.timeoutMs,
      agent: false,
    });
    const timer = setTimeout(() => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)));
    request.on('error', (error) => {
      clearTimeout(timer);
      fail(error.message.slice(0, 300));
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        clearTimeout(timer);
        const retryAfter = response.headers['retry-after'];
        resolve({
          statusCode: response.statusCode ?? null,
          retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
          responseBody: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_LIMIT),
          error: null,
          durationMs: elapsed(),
        });
      };
      response.on('data', (chunk: Buffer) => {
        if (size < RESPONSE_BODY_LIMIT) chunks.push(chunk);
        size += chunk.length;
        // Beyond the limit the rest of the answer is not worth reading.
        if (size > 64 * 1024) response.destroy();
      });
      response.on('end', finish);
      response.on('close', finish);
      response.on('error', finish);
    });
    request.end(body);
  });
}
