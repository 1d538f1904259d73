// The server closes sockets that idle or dawdle and refuses connections past its cap, so one client
// holding thousands of sockets cannot exhaust the process's file descriptors.
import assert from 'node:assert/strict';
import { type Socket, connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type TestApp, startTestApp } from '../helpers/app.ts';
import { patienceMs } from '../helpers/patience.ts';

let t: TestApp;
let port: number;

before(async () => {
  t = await startTestApp({
    env: { TERMIN_HEADERS_TIMEOUT_SECONDS: '1', TERMIN_KEEP_ALIVE_TIMEOUT_SECONDS: '1', TERMIN_MAX_CONNECTIONS: '3' },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
});
after(() => t.close());

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves true when the server closes the socket, false if it is still open after the patience. */
function closedByServer(socket: Socket, quietMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), patienceMs(quietMs));
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.on('error', () => {});
    socket.resume();
  });
}

describe('connection time-outs and cap', () => {
  test('a connection that never sends a request is closed by the server', async () => {
    const socket = await open();
    try {
      assert.equal(await closedByServer(socket, 10_000), true);
    } finally {
      socket.destroy();
    }
  });

  test('an idle keep-alive connection is closed after its response', async () => {
    const socket = await open();
    try {
      const answered = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(String(chunk))));
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
      assert.match(await answered, /^HTTP\/1\.1 200/);
      assert.equal(await closedByServer(socket, 10_000), true);
    } finally {
      socket.destroy();
    }
  });

  test('connections beyond the cap are closed at once while the others stay usable', async () => {
    const held = await Promise.all([open(), open(), open()]);
    const extra = await open();
    try {
      assert.equal(await closedByServer(extra, 5000), true, 'the fourth connection is refused');
      held[0]!.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      const reply = await new Promise<string>((resolve) => held[0]!.once('data', (chunk) => resolve(String(chunk))));
      assert.match(reply, /^HTTP\/1\.1 200/);
    } finally {
      for (const socket of [...held, extra]) socket.destroy();
    }
  });
});
