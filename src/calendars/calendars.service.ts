// Calendar connections of hosts: connect (the server is contacted at once and its calendars
// listed), list, change (address, credentials, which calendars count for busy time and which one
// receives appointments), remove. Passwords are sealed like webhook signing secrets and never
// returned. The address policy of webhooks applies to calendar servers and feeds.
import type { CalendarsConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { AppError, invalidField, notFound } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import { isUuid } from '../lib/ids.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { checkEndpoint } from '../webhooks/endpoint-check.ts';
import { busyCalendarsOf, syncSoon } from './busy.repo.ts';
import { type FoundCalendar, discoverCalendars, fetchFeed } from './caldav.client.ts';
import type { CalendarSync } from './calendar-sync.ts';
import type { CalendarConnectionJson, CreateCalendarConnectionInput, UpdateCalendarConnectionInput } from './calendars.schemas.ts';
import {
  type CalendarRow,
  type ConnectionRow,
  deleteConnection,
  findConnection,
  insertConnection,
  listCalendars,
  listConnections,
  setCalendarBusy,
  setWriteTarget,
  syncCalendarList,
  updateConnection,
} from './connections.repo.ts';
import { isStaleAt } from './staleness.ts';

export type CalendarsService = ReturnType<typeof createCalendarsService>;

export function createCalendarsService(deps: {
  db: Db;
  clock: Clock;
  secretBox: () => Promise<SecretBox>;
  config: CalendarsConfig;
  sync: CalendarSync;
}) {
  const { db, clock, config, sync } = deps;
  const http = { timeoutMs: config.timeoutMs, allowPrivate: config.allowPrivate };

  /** The calendars at an address, or a 400 saying why they cannot be read. */
  async function contact(type: 'caldav' | 'ics', url: string, username: string, password: string): Promise<FoundCalendar[]> {
    await checkUrl(url);
    try {
      if (type === 'ics') {
        const feed = await fetchFeed(url, null, http);
        const name = feed.changed ? /^X-WR-CALNAME:(.*)$/im.exec(feed.text)?.[1]?.trim() : undefined;
        return [{ url, name: name || new URL(url).hostname, color: null, ctag: null }];
      }
      const found = await discoverCalendars(url, { username, password }, http);
      if (found.length === 0) throw new Error('the server lists no calendars with events for this account');
      return found;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw invalidField('url', `Could not read the calendar: ${(error as Error).message}`);
    }
  }

  async function checkUrl(url: string): Promise<void> {
    try {
      await checkEndpoint(url, config.allowPrivate);
    } catch (error) {
      if (error instanceof AppError) throw invalidField('url', error.message.replace(/^endpoint/, 'url'));
      throw error;
    }
  }

  async function connect(companyId: string, userId: string, input: CreateCalendarConnectionInput): Promise<CalendarConnectionJson> {
    const caldav = input.type === 'caldav';
    if (caldav && (!input.username || !input.password)) {
      throw invalidField(input.username ? 'password' : 'username', 'username and password are required for a CalDAV connection');
    }
    if (!caldav && (input.username || input.password)) {
      throw invalidField('username', 'an ICS feed takes only its url (put any token into the url)');
    }
    const found = await contact(input.type, input.url, input.username ?? '', input.password ?? '');
    const sealed = caldav ? (await deps.secretBox()).seal(input.password!) : null;
    const connection = await inTransaction(db, async (tx) => {
      const row = await insertConnection(tx, { companyId, userId, type: input.type, url: input.url, username: input.username ?? null, passwordSealed: sealed });
      await syncCalendarList(tx, row, found);
      return row;
    });
    await firstSync(connection);
    return get(companyId, connection.id);
  }

  /** Reads the new calendars' busy time before answering, so the host's next slot search has it. */
  async function firstSync(connection: ConnectionRow): Promise<void> {
    const targets = await busyCalendarsOf(db, connection.company_id, [connection.user_id]);
    await Promise.all(targets.filter((t) => t.id !== undefined).map((target) => sync.syncOne(target)));
  }

  async function list(companyId: string, userId?: string): Promise<CalendarConnectionJson[]> {
    const connections = await listConnections(db, companyId, userId);
    const calendars = await listCalendars(db, connections.map((c) => c.id));
    return connections.map((c) => present(c, calendars.filter((cal) => cal.connection_id === c.id)));
  }

  async function get(companyId: string, id: string): Promise<CalendarConnectionJson> {
    const connection = await mustFind(companyId, id);
    return present(connection, await listCalendars(db, [connection.id]));
  }

  async function mustFind(companyId: string, id: string): Promise<ConnectionRow> {
    const connection = isUuid(id) ? await findConnection(db, companyId, id) : undefined;
    if (!connection) throw notFound('Calendar connection');
    return connection;
  }

  async function update(companyId: string, id: string, input: UpdateCalendarConnectionInput): Promise<CalendarConnectionJson> {
    const connection = await mustFind(companyId, id);
    const readsAgain = input.url !== undefined || input.username !== undefined || input.password !== undefined;
    if (readsAgain) {
      if (connection.type === 'ics' && (input.username || input.password)) throw invalidField('username', 'an ICS feed takes only its url');
      const password = input.password ?? (connection.password_sealed ? (await deps.secretBox()).open(connection.password_sealed) : '');
      const url = input.url ?? connection.url;
      const found = await contact(connection.type, url, input.username ?? connection.username ?? '', password);
      const sealed = input.password !== undefined ? (await deps.secretBox()).seal(input.password) : undefined;
      await inTransaction(db, async (tx) => {
        await updateConnection(tx, id, { url, username: input.username, passwordSealed: sealed });
        await syncCalendarList(tx, { ...connection, url }, found);
        await syncSoon(tx, id);
      });
    }
    if (input.calendars?.length) await applyCalendarSettings(connection, input.calendars);
    if (readsAgain || input.calendars?.some((c) => c.countsForBusyTime)) await firstSync(connection);
    return get(companyId, id);
  }

  async function applyCalendarSettings(connection: ConnectionRow, settings: NonNullable<UpdateCalendarConnectionInput['calendars']>) {
    const known = new Map((await listCalendars(db, [connection.id])).map((c) => [c.id, c]));
    for (const setting of settings) {
      if (!known.has(setting.id)) throw invalidField('calendars', `calendar ${setting.id} is not part of this connection`);
      if (setting.receivesAppointments && connection.type === 'ics') {
        throw invalidField('calendars', 'an ICS feed is read-only: it cannot receive appointments');
      }
    }
    await inTransaction(db, async (tx) => {
      for (const setting of settings) {
        if (setting.countsForBusyTime !== undefined) await setCalendarBusy(tx, connection.id, setting.id, setting.countsForBusyTime);
        if (setting.receivesAppointments === true) await setWriteTarget(tx, connection.user_id, setting.id);
        if (setting.receivesAppointments === false && known.get(setting.id)!.write_target) await setWriteTarget(tx, connection.user_id, null);
      }
    });
  }

  async function remove(companyId: string, id: string): Promise<void> {
    const connection = await mustFind(companyId, id);
    await inTransaction(db, (tx) => deleteConnection(tx, connection.id));
  }

  function present(connection: ConnectionRow, calendars: CalendarRow[]): CalendarConnectionJson {
    const now = clock.now().getTime();
    const json = calendars.map((c) => ({
      id: c.id,
      name: c.name,
      url: c.url,
      color: c.color,
      countsForBusyTime: c.busy,
      receivesAppointments: c.write_target,
      lastSyncedAt: c.synced_at?.toISOString() ?? null,
      lastError: c.last_error,
      lastErrorAt: c.last_error_at?.toISOString() ?? null,
      stale: c.busy && isStaleAt({ synced_at: c.synced_at?.getTime() ?? null, error: c.last_error }, now, config.staleAfterMs),
    }));
    const busy = calendars.filter((c) => c.busy);
    const oldest = busy.some((c) => !c.synced_at) ? null : busy.map((c) => c.synced_at!).sort((a, b) => a.getTime() - b.getTime())[0];
    return {
      id: connection.id,
      type: connection.type,
      provider: connection.type,
      userId: connection.user_id,
      url: connection.url,
      username: connection.username,
      email: connection.username?.includes('@') ? connection.username : null,
      calendars: json,
      lastSyncedAt: oldest?.toISOString() ?? null,
      lastError: calendars.find((c) => c.last_error)?.last_error ?? null,
      createdAt: connection.created_at.toISOString(),
      updatedAt: connection.updated_at.toISOString(),
    };
  }

  return { connect, list, get, update, remove };
}

