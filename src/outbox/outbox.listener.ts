// Wakes the workers of this instance when any instance commits work: PostgreSQL NOTIFY (sent by
// the outbox trigger and by the dispatcher, delivered on commit only) on a dedicated connection,
// or PGlite's own listen. Reconnects after a lost connection; polling covers the gap.
import pg from 'pg';
import type { DatabaseHandle } from '../db/database.ts';
import { WORK_CHANNEL } from './outbox.dispatcher.ts';
import type { LoopLogger } from './worker-loop.ts';

export const OUTBOX_CHANNEL = 'termin_outbox';

export interface Listener {
  close(): Promise<void>;
}

export async function listenForWork(options: {
  handle: DatabaseHandle;
  databaseUrl: string | undefined;
  onOutbox: () => void;
  onWork: () => void;
  log: LoopLogger;
}): Promise<Listener> {
  const { handle } = options;
  if (handle.pglite) {
    const offOutbox = await handle.pglite.listen(OUTBOX_CHANNEL, options.onOutbox);
    const offWork = await handle.pglite.listen(WORK_CHANNEL, options.onWork);
    return {
      async close() {
        await offOutbox().catch(() => {});
        await offWork().catch(() => {});
      },
    };
  }
  if (!options.databaseUrl) return { close: async () => {} };
  const databaseUrl = options.databaseUrl;
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => (message.channel === OUTBOX_CHANNEL ? options.onOutbox() : options.onWork()));
    next.on('error', () => reconnect());
    try {
      await next.connect();
      await next.query(`LISTEN ${OUTBOX_CHANNEL}; LISTEN ${WORK_CHANNEL}`);
      client = next;
      // Anything committed while not listening is found now rather than at the next poll.
      options.onOutbox();
      options.onWork();
    } catch (error) {
      options.log.error({ errCode: (error as { code?: string }).code }, 'cannot LISTEN for outbox events; polling');
      await next.end().catch(() => {});
      reconnect();
    }
  };
  const reconnect = () => {
    if (closed || retry) return;
    const old = client;
    client = undefined;
    old?.end().catch(() => {});
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, 1000);
  };
  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
