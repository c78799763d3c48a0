import type { PGlite, Results, Transaction } from '@electric-sql/pglite';
import type { SqlPool, SqlRunner } from '../../src/store/sql-pool.js';

/** The rows a statement touched, as `pg` counts them: returned rows for a SELECT, affected rows otherwise. */
const rowCount = (result: Results<unknown>) => Math.max(result.affectedRows ?? 0, result.rows.length);

const runner = (db: PGlite | Transaction): SqlRunner => ({
  async query<R>(text: string, params?: readonly unknown[]) {
    const result = await db.query<R>(text, params ? [...params] : undefined);
    return { rows: result.rows, rowCount: rowCount(result as Results<unknown>) };
  },
});

/**
 * An in-process PGlite engine as the PostgreSQL store's pool. PGlite is one session, so `end` leaves it open
 * for the next store of the test file; the file closes it.
 */
export function pgliteSqlPool(db: PGlite): SqlPool {
  return {
    ...runner(db),
    transaction: (body) => db.transaction((tx) => body(runner(tx))),
    end: async () => undefined,
  };
}
