// CalDAV (RFC 4791) and ICS feeds over plain HTTP + XML: discovery of a user's calendars
// (PROPFIND current-user-principal → calendar-home-set → the calendar collections), change markers
// (getctag, sync-token), events of a time range (REPORT calendar-query with a time-range filter),
// and PUT/DELETE of one event resource for the write-back. No state; every call names its server.
import { type CalendarResponse, calendarRequest, type HttpOptions } from './calendar-http.ts';
import { APPLE_ICAL, CALDAV, CALSERVER, DAV, type XmlElement, child, children, find, parseXml, textOf } from './xml.ts';

export interface Credentials {
  username: string;
  password: string;
}

export interface FoundCalendar {
  url: string;
  name: string;
  color: string | null;
  ctag: string | null;
}

/** A calendar server answered, but not with what was asked (status, auth, not CalDAV…). */
export class CalendarServerError extends Error {}

const XML_HEADERS = { 'content-type': 'application/xml; charset=utf-8' };

function propfind(url: string, depth: 0 | 1, props: string, credentials: Credentials | undefined, options: HttpOptions) {
  const body = `<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" xmlns:c="${CALDAV}" xmlns:cs="${CALSERVER}" xmlns:a="${APPLE_ICAL}"><d:prop>${props}</d:prop></d:propfind>`;
  return multistatus({ method: 'PROPFIND', url, headers: { ...XML_HEADERS, depth: String(depth) }, body, credentials }, options);
}

interface DavResponse {
  href: string;
  prop: XmlElement | undefined;
}

async function multistatus(request: Parameters<typeof calendarRequest>[0], options: HttpOptions): Promise<{ base: string; responses: DavResponse[] }> {
  const response = await calendarRequest(request, options);
  checkStatus(response, 207);
  let root: XmlElement;
  try {
    root = parseXml(response.body);
  } catch (error) {
    throw new CalendarServerError(`the server's answer is not WebDAV XML (${(error as Error).message})`);
  }
  const responses = children(root, DAV, 'response').map((r) => {
    const ok = children(r, DAV, 'propstat').find((p) => /\s2\d\d\s/.test(` ${textOf(child(p, DAV, 'status')) ?? 'HTTP/1.1 200 OK'} `));
    return { href: new URL(textOf(child(r, DAV, 'href')) ?? '', response.url).toString(), prop: child(ok, DAV, 'prop') };
  });
  return { base: response.url, responses };
}

function checkStatus(response: CalendarResponse, ...expected: number[]): void {
  if (expected.includes(response.status)) return;
  if (response.status === 401 || response.status === 403) {
    throw new CalendarServerError(`the calendar server refused the credentials (HTTP ${response.status})`);
  }
  if (response.status === 404) throw new CalendarServerError('the calendar server answered 404 Not Found for this address');
  throw new CalendarServerError(`the calendar server answered HTTP ${response.status}`);
}

const hrefIn = (prop: XmlElement | undefined, ns: string, name: string, base: string) => {
  const href = textOf(child(child(prop, ns, name), DAV, 'href'));
  return href ? new URL(href, base).toString() : undefined;
};

const isCalendar = (prop: XmlElement | undefined) => child(child(prop, DAV, 'resourcetype'), CALDAV, 'calendar') !== undefined;

/** Takes VEVENTs: a collection listing components without VEVENT (a task list) is not one of ours. */
function holdsEvents(prop: XmlElement | undefined): boolean {
  const set = child(prop, CALDAV, 'supported-calendar-component-set');
  if (!set) return true;
  const components = children(set, CALDAV, 'comp');
  return components.length === 0 || components.some((c) => c.attributes.name?.toUpperCase() === 'VEVENT');
}

const CALENDAR_PROPS = '<d:resourcetype/><d:displayname/><cs:getctag/><d:sync-token/><a:calendar-color/><c:supported-calendar-component-set/>';

/** The calendars reachable from a server, principal, home or calendar URL. */
export async function discoverCalendars(url: string, credentials: Credentials, options: HttpOptions): Promise<FoundCalendar[]> {
  const start = await propfind(url, 0, `<d:current-user-principal/><c:calendar-home-set/>${CALENDAR_PROPS}`, credentials, options);
  const self = start.responses[0];
  if (self && isCalendar(self.prop)) return [calendarOf(self)];
  let home = hrefIn(self?.prop, CALDAV, 'calendar-home-set', start.base);
  if (!home) {
    const principal = hrefIn(self?.prop, DAV, 'current-user-principal', start.base) ?? start.base;
    const found = await propfind(principal, 0, '<c:calendar-home-set/>', credentials, options);
    home = hrefIn(found.responses[0]?.prop, CALDAV, 'calendar-home-set', found.base);
  }
  if (!home) throw new CalendarServerError('no CalDAV calendar home found at this address');
  const listing = await propfind(home, 1, CALENDAR_PROPS, credentials, options);
  return listing.responses.filter((r) => isCalendar(r.prop) && holdsEvents(r.prop)).map(calendarOf);
}

function calendarOf(response: DavResponse): FoundCalendar {
  const url = response.href.endsWith('/') ? response.href : `${response.href}/`;
  const name = textOf(child(response.prop, DAV, 'displayname')) ?? decodeURIComponent(url.split('/').filter(Boolean).pop() ?? 'Calendar');
  const color = textOf(child(response.prop, APPLE_ICAL, 'calendar-color')) ?? null;
  return { url, name: name.slice(0, 200), color, ctag: ctagOf(response.prop) };
}

function ctagOf(prop: XmlElement | undefined): string | null {
  return textOf(child(prop, CALSERVER, 'getctag')) ?? textOf(child(prop, DAV, 'sync-token')) ?? null;
}

/** The calendar's change marker now (getctag, else sync-token), or null when it has none. */
export async function calendarCtag(url: string, credentials: Credentials, options: HttpOptions): Promise<string | null> {
  const found = await propfind(url, 0, '<cs:getctag/><d:sync-token/>', credentials, options);
  return ctagOf(found.responses[0]?.prop);
}

const utcStamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** calendar-data of every event resource overlapping [from, to) (the server expands nothing). */
export async function eventsInRange(url: string, range: { from: number; to: number }, credentials: Credentials, options: HttpOptions): Promise<string[]> {
  const body = `<?xml version="1.0" encoding="utf-8"?><c:calendar-query xmlns:d="DAV:" xmlns:c="${CALDAV}"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${utcStamp(range.from)}" end="${utcStamp(range.to)}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
  const found = await multistatus({ method: 'REPORT', url, headers: { ...XML_HEADERS, depth: '1' }, body, credentials }, options);
  return found.responses.map((r) => textOf(find(r.prop, CALDAV, 'calendar-data'))).filter((text): text is string => text !== undefined);
}

/** Creates or replaces one event resource. */
export async function putEvent(resourceUrl: string, ics: string, credentials: Credentials, options: HttpOptions): Promise<void> {
  const response = await calendarRequest(
    { method: 'PUT', url: resourceUrl, headers: { 'content-type': 'text/calendar; charset=utf-8' }, body: ics, credentials },
    options,
  );
  checkStatus(response, 200, 201, 204);
}

/** Removes one event resource; one that is already gone counts as removed. */
export async function deleteEvent(resourceUrl: string, credentials: Credentials, options: HttpOptions): Promise<void> {
  const response = await calendarRequest({ method: 'DELETE', url: resourceUrl, credentials }, options);
  checkStatus(response, 200, 204, 404, 410);
}

export type FeedAnswer = { changed: false } | { changed: true; etag: string | null; text: string };

/** An ICS feed, conditionally on the ETag last seen. */
export async function fetchFeed(url: string, etag: string | null, options: HttpOptions): Promise<FeedAnswer> {
  const response = await calendarRequest({ method: 'GET', url, headers: etag ? { 'if-none-match': etag } : {} }, options);
  if (response.status === 304) return { changed: false };
  checkStatus(response, 200);
  if (!/BEGIN:VCALENDAR/i.test(response.body)) throw new CalendarServerError('the address does not serve an iCalendar feed');
  const tag = response.headers.etag;
  return { changed: true, etag: typeof tag === 'string' ? tag : null, text: response.body };
}
