import { z } from 'zod';

/** The URL with its password (in the user part or a `password` parameter) replaced, fit for a message or a log. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return '(a URL that cannot be read)';
  }
}

const isPostgresUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
};

/**
 * DATABASE_URL: a PostgreSQL connection URL (postgres:// or postgresql://, with a host). Its own value is
 * never repeated in the error, since it may hold a password.
 */
export const DatabaseUrlSchema = z
  .string()
  .trim()
  .refine(isPostgresUrl, 'expected a PostgreSQL URL such as postgres://user:password@host:5432/database');
