// A real webhook receiver on loopback that answers only after `delayMs` (or when closed), counting
// the requests it is holding: a slow customer endpoint.
import { type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startSlowReceiver(delayMs: number) {
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let arrived = 0;
  let answered = 0;
  const server = createServer((request, response) => {
    request.resume();
    arrived++;
    held.add(response);
    const timer = setTimeout(() => {
      held.delete(response);
      answered++;
      response.writeHead(200).end('late');
    }, delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/slow`,
    /** Requests received so far, and those still waiting for their answer. */
    get arrived() {
      return arrived;
    },
    get answered() {
      return answered;
    },
    get holding() {
      return held.size;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
