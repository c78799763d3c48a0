import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/log.js';

// Slack tokens have fixed prefixes; a message string cannot be redacted by key, so they are masked by shape.
const TOKEN = /\bx(?:ox[a-z]|app)-[\w-]+/gi;

/** Bolt logs free-form arguments; they become one line of text with any token masked. */
export function boltMessage(args: unknown[]): string {
  return args
    .map((arg) => {
      if (typeof arg === 'string') return arg;
      if (arg instanceof Error) return `${arg.name}: ${arg.message}`;
      try {
        return JSON.stringify(arg);
      } catch {
        return String(arg);
      }
    })
    .join(' ')
    .replace(TOKEN, '[redacted]');
}

const BOLT_LEVEL: Record<string, LogLevel> = { trace: LogLevel.DEBUG, debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN };

/** The Bolt level matching a pino level, so Bolt does not build messages pino would drop. */
export const boltLevel = (log: Logger): LogLevel => BOLT_LEVEL[log.level] ?? LogLevel.ERROR;

/**
 * Bolt, its Web API client and its Socket Mode client log through the bot's logger, under `lib: "bolt"`. Pino
 * decides what is shown; Bolt's own level only spares it building messages that would be dropped.
 */
export function boltLogger(log: Logger): BoltLogger {
  let child = log.child({ lib: 'bolt' });
  let level = boltLevel(log);
  return {
    debug: (...args: unknown[]) => child.debug(boltMessage(args)),
    info: (...args: unknown[]) => child.info(boltMessage(args)),
    warn: (...args: unknown[]) => child.warn(boltMessage(args)),
    error: (...args: unknown[]) => child.error(boltMessage(args)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (name: string) => {
      child = log.child({ lib: name });
    },
  };
}
