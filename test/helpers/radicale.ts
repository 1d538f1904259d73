// A real CalDAV server for tests: Debian's `radicale`, started on a loopback port with a temporary
// storage folder and htpasswd (plain) users. Killed on every path: `stop()` in after(), and a
// process-exit hook for a test file that dies. Without radicale installed the tests that need it
// skip — except in CI (CI=true), where its absence is a failure (.ci/run installs it).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RADICALE_MISSING = spawnSync('radicale', ['--version'], { encoding: 'utf8' }).status !== 0;
if (RADICALE_MISSING && process.env.CI === 'true') {
  throw new Error('radicale is not installed: CI must install it (apt-get install -y radicale)');
}

/** For `describe(..., { skip })`: the reason, or false when Radicale can run. */
export const skipWithoutRadicale = RADICALE_MISSING ? 'radicale is not installed (apt-get install radicale) — CalDAV tests skipped' : false;

export const RADICALE_USER = { username: 'hanna', password: 'correct horse battery' };

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Radicale {
  /** http://127.0.0.1:port/ */
  url: string;
  port: number;
  /** A user's calendar collection URL. */
  calendarUrl(name: string): string;
  /** MKCALENDAR as the test user. */
  makeCalendar(name: string, displayName: string): Promise<string>;
  /** PUT an event resource as the test user. */
  putEvent(calendar: string, resource: string, ics: string): Promise<void>;
  /** GET a resource: its text, or undefined when absent. */
  getEvent(url: string): Promise<string | undefined>;
  /** The resources of a calendar (hrefs). */
  listEvents(calendar: string): Promise<string[]>;
  stop(): Promise<void>;
  /** Starts again on the same port and storage (after stop()). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startRadicale(): Promise<Radicale> {
  const dir = mkdtempSync(join(tmpdir(), 'termin-radicale-'));
  writeFileSync(join(dir, 'users'), `${RADICALE_USER.username}:${RADICALE_USER.password}\n`);
  let child: ChildProcess | undefined;
  let port = 0;

  async function launch(): Promise<void> {
    const args = [
      '--config', '',
      '--server-hosts', `127.0.0.1:${port}`,
      '--storage-filesystem-folder', join(dir, 'collections'),
      '--auth-type', 'htpasswd',
      '--auth-htpasswd-filename', join(dir, 'users'),
      '--auth-htpasswd-encryption', 'plain',
      '--auth-delay', '0',
      '--logging-level', 'info',
    ];
    const proc = spawn('radicale', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    child = proc;
    let log = '';
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`radicale did not start:\n${log}`)), 30_000);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        const match = /Listening on '?\[?127\.0\.0\.1\]?:(\d+)/.exec(log);
        if (match && /ready/.test(log)) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`radicale exited with ${code}:\n${log}`));
      });
    });
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  await launch();
  const base = () => `http://127.0.0.1:${port}/`;
  const auth = `Basic ${Buffer.from(`${RADICALE_USER.username}:${RADICALE_USER.password}`).toString('base64')}`;
  const calendarUrl = (name: string) => `${base()}${RADICALE_USER.username}/${name}/`;
  return {
    get url() {
      return base();
    },
    get port() {
      return port;
    },
    calendarUrl,
    async makeCalendar(name, displayName) {
      const body = `<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>${displayName}</d:displayname><c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>`;
      const response = await fetch(calendarUrl(name), { method: 'MKCALENDAR', headers: { authorization: auth, 'content-type': 'application/xml' }, body });
      if (response.status !== 201) throw new Error(`MKCALENDAR ${response.status}: ${await response.text()}`);
      return calendarUrl(name);
    },
    async putEvent(calendar, resource, ics) {
      const response = await fetch(`${calendarUrl(calendar)}${resource}`, {
        method: 'PUT',
        headers: { authorization: auth, 'content-type': 'text/calendar' },
        body: ics,
      });
      if (response.status >= 300) throw new Error(`PUT ${response.status}: ${await response.text()}`);
    },
    async getEvent(url) {
      const response = await fetch(url, { headers: { authorization: auth } });
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw new Error(`GET ${response.status}`);
      return response.text();
    },
    async listEvents(calendar) {
      const response = await fetch(calendarUrl(calendar), {
        method: 'PROPFIND',
        headers: { authorization: auth, depth: '1', 'content-type': 'application/xml' },
        body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>',
      });
      const text = await response.text();
      return [...text.matchAll(/<(?:\w+:)?href>([^<]+\.ics)<\/(?:\w+:)?href>/g)].map((m) => new URL(m[1]!, base()).toString());
    },
    stop,
    restart: launch,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
