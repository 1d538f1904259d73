// The load generator of the HTTP booking benches (bench/fixtures/booking-drive.ts), in its own
// process so it does not share the server's event loop. Reads its job as JSON from stdin, prints
// autocannon's result as JSON.
import autocannon from 'autocannon';

interface Job {
  url: string;
  apiKey: string;
  connections: number;
  duration: number;
  bodies: { meetingTypeId: string; start: string }[];
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const job = JSON.parse(input) as Job;
let next = 0;
const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.duration,
  requests: [
    {
      method: 'POST',
      path: '/v4/booking',
      headers: { authorization: `Bearer ${job.apiKey}`, 'content-type': 'application/json' },
      setupRequest: (request) => {
        const item = job.bodies[next++ % job.bodies.length]!;
        return { ...request, body: JSON.stringify({ ...item, attendee: { email: `b${next}@example.com` } }) };
      },
    },
  ],
});
process.stdout.write(JSON.stringify({ sent: next, latency: result.latency, non2xx: result.non2xx, errors: result.errors }));
