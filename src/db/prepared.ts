// Named (server-side prepared) statements. A statement with parameters runs as a node-postgres
// named statement once its text has been seen a few times (at once when it starts with
// PREPARED_MARK, `/* prepared:<label> */`, for known hot statements): each pooled connection parses
// it once and afterwards only binds and executes it, and PostgreSQL may switch to a cached generic
// plan — no parsing and often no planning per call. This matters most on PGlite, where parsing
// and planning run in WebAssembly on the Node thread (the events benchmark's worker queries), and
// for the slot-search statement on PostgreSQL (≈ 0.5 ms of planning). Works on PostgreSQL and on
// PGlite's node-postgres adapter alike. Texts built per call (inline literals) never reach the
// threshold; the caps bound memory. Not for deployments behind a transaction-pooling proxy
// (PgBouncer in transaction mode), which cannot keep a statement on one server connection; and a
// schema change under a running instance makes its prepared statements fail until it restarts
// (migrations run before serving).
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

export const PREPARED_MARK = '/* prepared:';

/** Statement texts get one name each; the cap bounds what a connection keeps prepared. */
const MAX_NAMED = 500;
/** Unmarked texts with parameters are named once seen this often (texts built per call never are). */
const AUTO_AFTER = 3;
const MAX_COUNTED = 5_000;
const names = new Map<string, string>();
const seen = new Map<string, number>();

function statementName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED) return known;
  const marked = text.startsWith(PREPARED_MARK);
  if (!marked) {
    const count = (seen.get(text) ?? 0) + 1;
    if (seen.size >= MAX_COUNTED) seen.clear();
    seen.set(text, count);
    if (count < AUTO_AFTER) return undefined;
    seen.delete(text);
  }
  const label = marked ? text.slice(PREPARED_MARK.length, text.indexOf('*/')).trim() : 'auto';
  const name = `${label}_${names.size}`;
  names.set(text, name);
  return name;
}

/**
 * The pool as Kysely sees it: the same clients, whose `query(text, values)` runs marked texts as
 * named statements. One wrapper per pg client, so Kysely keeps its per-client connection object.
 */
export function withNamedStatements(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const query = (text: unknown, values?: unknown[]) => {
      if (typeof text === 'string' && values !== undefined && values.length > 0) {
        const name = statementName(text);
        if (name !== undefined) return client.query({ name, text, values });
      }
      return client.query(text as string, values);
    };
    return { query, release: (destroy?: boolean) => client.release(destroy) } as unknown as PostgresPoolClient;
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
