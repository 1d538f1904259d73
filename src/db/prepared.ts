// Named (server-side prepared) statements for hot queries. A statement whose text starts with
// PREPARED_MARK (`/* prepared:<label> */`) runs as a node-postgres named statement: each pooled
// connection parses it once and afterwards only binds and executes it, and PostgreSQL may switch to
// a cached generic plan — no parsing and usually no planning per call. Works on PostgreSQL and on
// PGlite's node-postgres adapter alike. Not for deployments behind a transaction-pooling proxy
// (PgBouncer in transaction mode), which cannot keep a statement on one server connection.
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

export const PREPARED_MARK = '/* prepared:';

/** Statement texts get one name each; the cap bounds what a connection keeps prepared. */
const MAX_NAMED = 200;
const names = new Map<string, string>();

function statementName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED) return known;
  const label = text.slice(PREPARED_MARK.length, text.indexOf('*/')).trim();
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
      if (typeof text === 'string' && values !== undefined && values.length > 0 && text.startsWith(PREPARED_MARK)) {
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
