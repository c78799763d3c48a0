import { z } from 'zod';
import { LangSchema } from '../../src/lang.js';
import { SuggestedIntentSchema } from '../../src/request.js';
import { SLASH_COMMANDS } from './routing.js';

/**
 * The fields the adapter reads from what Slack sends, checked before use. Slack adds fields over time, so
 * unknown ones are ignored; a payload missing one of these is logged and dropped.
 */

const Id = z.string().min(1).max(100);
const UserId = z.string().regex(/^[UW][A-Z0-9]+$/, 'expected a Slack user id');
/** Message timestamps ("1700000000.000100") identify a message within its channel. */
const Ts = z.string().regex(/^\d+\.\d+$/, 'expected a message timestamp');

/** An `app_mention` or `message` event. */
export const MessageEventSchema = z.object({
  type: z.enum(['app_mention', 'message']),
  /** Edits, joins, bot posts and the like carry a subtype; a person's new message has none. */
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  user: UserId.optional(),
  channel: Id,
  /** `im` for a direct message; `channel`, `group` or `mpim` otherwise (absent on `app_mention`). */
  channel_type: z.string().optional(),
  text: z.string().default(''),
  ts: Ts,
  thread_ts: Ts.optional(),
});
export type MessageEvent = z.infer<typeof MessageEventSchema>;

export const SlashCommandSchema = z.object({
  command: z.enum(SLASH_COMMANDS),
  text: z.string().default(''),
  channel_id: Id,
  user_id: UserId,
});
export type SlashCommand = z.infer<typeof SlashCommandSchema>;

/** A button click: who clicked, where the message with the button is, and which button. */
export const BlockActionSchema = z.object({
  user: z.object({ id: UserId }),
  channel: z.object({ id: Id }).optional(),
  container: z.object({
    is_ephemeral: z.boolean().optional(),
    channel_id: Id.optional(),
  }),
  /** Absent when the message was ephemeral. */
  message: z.object({ ts: Ts, thread_ts: Ts.optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().max(2000) })).min(1),
});
export type BlockAction = z.infer<typeof BlockActionSchema>;

/** What the 👍/👎 and "show the whole section" buttons carry: the answer, and the language of the reply it was on. */
export const AnswerValueSchema = z.object({ answerId: z.string().min(1).max(500), lang: LangSchema });

/** What a suggestion button carries: the request it makes, in the language of the reply it was under. */
export const SuggestionValueSchema = SuggestedIntentSchema.and(z.object({ lang: LangSchema }));

/** A JSON string parsed and checked against `schema`; a failure reads as the schema's own issues. */
export const JsonOf = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected JSON' });
      return z.NEVER;
    }
  }).pipe(schema);

/** The first line of a zod error, enough to say in a log why a payload was dropped. */
export const issueSummary = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
