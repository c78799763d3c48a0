import type { Logger } from '../log.js';
import type { Result } from '../result.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** Where the state lives: PostgreSQL when a URL is given (shared by replicas), else SQLite in `dataDir`. */
export interface StoreSettings {
  dataDir: string;
  databaseUrl?: string;
}

/**
 * The one place that decides which database holds the bot's state; everything else sees only a `Store`.
 * Fails with one sentence naming the setting to fix (DATA_DIR or DATABASE_URL, its password hidden).
 */
export function openStore(settings: StoreSettings, log: Logger): Promise<Result<Store>> {
  if (settings.databaseUrl !== undefined) return openPostgresStore(settings.databaseUrl, log);
  return Promise.resolve(openSqliteStore(settings.dataDir, log));
}
