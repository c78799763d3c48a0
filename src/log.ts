import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Keys whose values are credentials wherever they appear in a log record. */
const SECRET_KEYS = ['token', 'botToken', 'appToken', 'signingSecret', 'secret', 'password', 'authorization', 'apiKey'];
const REDACT = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * Logs go to stderr so stdout stays clean for answers and JSON. JSON lines for machines; readable colour
 * when a person watches the terminal. Credentials are censored by key, whatever object carries them.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  if (destination.isTTY) {
    return pino(options, pretty({ destination, colorize: true, sync: true, ignore: 'pid,hostname' }));
  }
  return pino(options, destination);
}
