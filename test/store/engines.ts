import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createLogger } from '../../src/log.js';
import { openPostgresBackend, openPostgresStore } from '../../src/store/postgres.js';
import { resilientStore } from '../../src/store/resilient.js';
import { DATABASE_FILE, openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { tempFolder } from '../helpers.js';
import { pgliteSqlPool } from './pglite-pool.js';

/** The server CI provides (`.ci/run` exports it); unset on a machine without PostgreSQL. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

export const quietLog = createLogger('silent');

/** One database's state as the tests see it: fresh stores on empty data, and a look at its tables. */
export interface Place {
  open(): Promise<Store>;
  count(table: string): Promise<number>;
}

/** A database engine the Store contract runs on. */
export interface Engine {
  /** What ran, for the suite's title. */
  name: string;
  /** A place with nothing in it yet. */
  place(): Promise<Place>;
  dispose(): Promise<void>;
}

export function sqliteEngine(): Engine {
  return {
    name: 'SQLite (better-sqlite3)',
    async place() {
      const dir = tempFolder({});
      return {
        async open() {
          const store = openSqliteStore(dir, quietLog);
          if (!store.ok) throw new Error(store.error);
          return store.value;
        },
        async count(table) {
          const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
          try {
            return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
          } finally {
            db.close();
          }
        },
      };
    },
    async dispose() {},
  };
}

/** PGlite: the real Postgres engine compiled to WebAssembly, in this process; each place is its own schema. */
export async function pgliteEngine(): Promise<Engine> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite();
  await db.waitReady;
  const version = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  let places = 0;
  return {
    name: `PGlite (in-process PostgreSQL ${version})`,
    async place() {
      const schema = `place_${++places}`;
      await db.exec(`CREATE SCHEMA ${schema}`);
      const use = () => db.exec(`SET search_path TO ${schema}`);
      return {
        async open() {
          await use();
          const backend = await openPostgresBackend(pgliteSqlPool(db), `PGlite schema ${schema}`);
          if (!backend.ok) throw new Error(backend.error);
          return resilientStore(backend.value, quietLog);
        },
        async count(table) {
          await use();
          return Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]!.n);
        },
      };
    },
    dispose: () => db.close(),
  };
}

/** `url` with its search_path set to `schema` (and an application name), through the URL as a user would. */
export function urlFor(url: string, schema: string, applicationName?: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  if (applicationName) parsed.searchParams.set('application_name', applicationName);
  return parsed.toString();
}

/** A real PostgreSQL server: each place is a schema of this run, all of them dropped at the end. */
export async function serverEngine(url: string): Promise<Engine & { admin: pg.Client; schema(): Promise<string> }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  const run = `k8s_notes_bot_test_${process.pid}_${Date.now().toString(36)}`;
  const schemas: string[] = [];
  const schema = async () => {
    const name = `${run}_${schemas.length + 1}`;
    await admin.query(`CREATE SCHEMA ${name}`);
    schemas.push(name);
    return name;
  };
  return {
    name: `PostgreSQL ${version} server at ${new URL(url).host}`,
    admin,
    schema,
    async place() {
      const name = await schema();
      return {
        async open() {
          const store = await openPostgresStore(urlFor(url, name), quietLog);
          if (!store.ok) throw new Error(store.error);
          return store.value;
        },
        async count(table) {
          return Number((await admin.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${name}.${table}`)).rows[0]!.n);
        },
      };
    },
    async dispose() {
      for (const name of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await admin.end();
    },
  };
}
