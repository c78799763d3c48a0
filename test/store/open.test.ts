import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { redactUrl } from '../../src/store/database-url.js';
import { openStore } from '../../src/store/open.js';
import { tempFolder } from '../helpers.js';
import { quietLog } from './engines.js';

describe('choosing and opening the store', () => {
  it('uses SQLite in DATA_DIR without DATABASE_URL', async () => {
    const opened = await openStore({ dataDir: tempFolder({}) }, quietLog);
    expect(opened.ok).toBe(true);
    if (opened.ok) await opened.value.close();
  });

  it('says in one sentence, naming DATABASE_URL and hiding the password, that the server cannot be reached', async () => {
    // Nothing listens on port 1 of the loopback address.
    const opened = await openStore({ dataDir: tempFolder({}), databaseUrl: 'postgres://bot:s3cret@127.0.0.1:1/notes' }, quietLog);
    expect(!opened.ok && opened.error).toMatch(/^DATABASE_URL postgres:\/\/bot:\*\*\*@127\.0\.0\.1:1\/notes cannot be reached \(.*ECONNREFUSED.*\); check that the server is running and the URL names it\.$/);
    expect(!opened.ok && opened.error).not.toContain('s3cret');
  });

  it('accepts postgres:// and postgresql:// URLs and refuses anything else without echoing it', () => {
    const config = (url: string) => parseConfig({ DATABASE_URL: url }, '/');
    expect(config('postgres://bot@db:5432/notes?sslmode=require')).toMatchObject({ ok: true, value: { databaseUrl: 'postgres://bot@db:5432/notes?sslmode=require' } });
    expect(config('postgresql://db/notes')).toMatchObject({ ok: true, value: { databaseUrl: 'postgresql://db/notes' } });
    const unset = config('');
    expect(unset.ok ? 'databaseUrl' in unset.value : unset.error).toBe(false);
    const bad = config('mysql://bot:s3cret@db/notes');
    expect(!bad.ok && bad.error).toMatch(/DATABASE_URL: expected a PostgreSQL URL such as postgres:\/\/user:password@host:5432\/database \(value hidden\)/);
    expect(!bad.ok && bad.error).not.toContain('s3cret');
  });

  it('hides a password given as a URL parameter too', () => {
    expect(redactUrl('postgres://db/notes?password=s3cret&sslmode=require')).toBe('postgres://db/notes?password=***&sslmode=require');
  });
});
