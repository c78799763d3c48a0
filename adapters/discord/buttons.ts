import { z } from 'zod';
import { LangSchema, type Lang } from '../../src/lang.js';

/** Discord caps a component's custom id at 100 characters; it is all a button press carries back. */
export const CUSTOM_ID_MAX = 100;

const AskIdSchema = z
  .string()
  .regex(/^ask:(zh|en):[\s\S]+$/)
  .transform((id) => ({ type: 'ask' as const, lang: LangSchema.parse(id.slice(4, 6)), ask: id.slice(7) }));

const VoteIdSchema = z
  .string()
  .regex(/^vote:(up|down):[\s\S]+$/)
  .transform((id) => {
    const up = id.startsWith('vote:up:');
    return { type: 'vote' as const, vote: up ? (1 as const) : (-1 as const), answerId: id.slice(up ? 8 : 10) };
  });

/** What a button of ours asks for when pressed: a suggestion to ask, or a vote on an answer. */
export const ButtonIdSchema = z.string().max(CUSTOM_ID_MAX).pipe(z.union([AskIdSchema, VoteIdSchema]));

const fits = (id: string) => (id.length <= CUSTOM_ID_MAX ? id : undefined);

/**
 * The custom id of a suggestion button, or undefined when the text is too long to travel in one. The reply's
 * language goes along so the follow-up answers in it, even for a language-neutral ask such as a command path.
 */
export const askButtonId = (ask: string, lang: Lang): string | undefined => fits(`ask:${lang}:${ask}`);

/** The custom id of a 👍 or 👎 button, or undefined when the answer id is too long to travel in one. */
export const voteButtonId = (vote: 1 | -1, answerId: string): string | undefined => fits(`vote:${vote === 1 ? 'up' : 'down'}:${answerId}`);
