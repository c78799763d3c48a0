import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger };

const require = createRequire(import.meta.url);

/** Keys whose values are credentials wherever they appear in a log record. */
const SECRET_KEYS = ['token', 'botToken', 'appToken', 'signingSecret', 'secret', 'password', 'authorization', 'apiKey'];
const REDACT = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * Readable colour for a terminal, set up by the first line logged: a one-shot command usually logs nothing, and
 * loading pino-pretty is about 20 ms of a cold start. (It is CommonJS, so `require` loads it synchronously.)
 */
function prettyWhenWritten(destination: NodeJS.WritableStream): DestinationStream {
  let pretty: NodeJS.WritableStream | undefined;
  return {
    write(line: string) {
      pretty ??= (require('pino-pretty') as typeof PinoPretty)({ destination, colorize: true, sync: true, ignore: 'pid,hostname' });
      pretty.write(line);
    },
  };
}

/**
 * Logs go to stderr so stdout stays clean for answers and JSON. JSON lines for machines; readable colour
 * when a person watches the terminal. Credentials are censored by key, whatever object carries them.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  return pino(options, destination.isTTY ? prettyWhenWritten(destination) : destination);
}
