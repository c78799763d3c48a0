import type pg from 'pg';

/** Runs one SQL statement with `$1`-style parameters. */
export interface SqlRunner {
  query<R>(text: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number }>;
}

/**
 * The little the PostgreSQL store needs of a connection pool, so that the same SQL runs on a server through
 * `pg` and, in tests on a machine without one, on an in-process Postgres engine.
 */
export interface SqlPool extends SqlRunner {
  /** Runs `body` on one connection inside a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(body: (tx: SqlRunner) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

const runner = (client: pg.Pool | pg.PoolClient): SqlRunner => ({
  async query<R>(text: string, params?: readonly unknown[]) {
    const result = await client.query(text, params as unknown[] | undefined);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  },
});

/** A `pg` pool as a `SqlPool`. A connection whose rollback failed is broken, and is closed instead of reused. */
export function pgSqlPool(pool: pg.Pool): SqlPool {
  return {
    ...runner(pool),
    async transaction<T>(body: (tx: SqlRunner) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await body(runner(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    end: () => pool.end(),
  };
}
