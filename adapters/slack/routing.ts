import { ToolSchema } from '../../src/commands/catalog.js';
import { LangSchema } from '../../src/lang.js';
import type { SuggestedIntent } from '../../src/request.js';
import type { BlockAction, MessageEvent } from './payloads.js';

/** The slash commands the app manifest declares. */
export const SLASH_COMMANDS = ['/k8s', '/kubectl', '/docker'] as const;

/**
 * What a slash command asks the core: `/kubectl x` and `/docker x` look `x` up, `/k8s tip [zh|en]` asks for the
 * tip of the day, and `/k8s x` asks the notes `x`.
 */
export function intentFromCommand(command: (typeof SLASH_COMMANDS)[number], text: string): SuggestedIntent {
  const rest = text.trim();
  if (command !== '/k8s') return { type: 'lookup', tool: ToolSchema.parse(command.slice(1)), query: rest };
  const tip = /^tip(?:\s+(\S+))?\s*$/i.exec(rest);
  const lang = LangSchema.safeParse(tip?.[1]?.toLowerCase());
  if (tip) return { type: 'tip', ...(lang.success ? { lang: lang.data } : {}) };
  return { type: 'ask', text: rest };
}

/** Direct-message channel ids start with D; there the bot answers in the conversation, not in a thread. */
export const isDirectChannel = (channel: string) => channel.startsWith('D');

/** Where to answer a message: in a thread, or at the top of the conversation (`thread` undefined). */
export interface AnswerPlace {
  thread: string | undefined;
}

/** Subtypes that are still a person writing: a thread reply also sent to the channel, a message with a file. */
const WRITTEN_BY_A_PERSON = new Set(['thread_broadcast', 'file_share']);

/**
 * Whether and where to answer a message event. A mention is answered in its thread (started at the mention
 * if need be); a direct message where it was written; any other message only inside a thread the bot has
 * answered in before. Other bots, the bot itself, edits, joins and the like get no answer.
 */
export function whereToAnswer(event: MessageEvent, botUserId: string | undefined, isBotThread: (channel: string, thread: string) => boolean): AnswerPlace | undefined {
  if (event.subtype !== undefined && !WRITTEN_BY_A_PERSON.has(event.subtype)) return undefined;
  if (event.bot_id !== undefined || !event.user || event.user === botUserId) return undefined;
  if (event.type === 'app_mention') return { thread: event.thread_ts ?? event.ts };
  if (event.channel_type === 'im') return { thread: event.thread_ts };
  if (event.thread_ts !== undefined && isBotThread(event.channel, event.thread_ts)) return { thread: event.thread_ts };
  return undefined;
}

/** Where the answer to a button on a (non-ephemeral) message goes: the message's thread, or a new one under it. */
export function threadForAction(action: BlockAction, channel: string): string | undefined {
  const message = action.message;
  if (!message) return undefined;
  return message.thread_ts ?? (isDirectChannel(channel) ? undefined : message.ts);
}
