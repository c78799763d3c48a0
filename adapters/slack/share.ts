import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { LangSchema } from '../../src/lang.js';
import type { Reply } from '../../src/reply.js';
import { SuggestedIntentSchema } from '../../src/request.js';
import { fail, ok, type Result } from '../../src/result.js';
import { issueSummary } from './payloads.js';

/**
 * The "share in channel" button carries the private answer itself, so that sharing posts what the person saw
 * instead of asking the core again (which would log the question twice, and could answer differently after a
 * reload or a later turn of the conversation). Slack does not send an ephemeral message back with a click, and
 * a button value holds at most 2,000 characters: the reply travels compressed, and one too long to fit loses
 * its suggestions, then its last blocks (the shared copy then says it was shortened).
 */

const BlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('code'), lang: z.string(), code: z.string() }),
  z.object({ type: z.literal('fields'), fields: z.array(z.object({ name: z.string(), value: z.string() })) }),
]);

/** Replies worth showing to the whole channel; help and "not in the notes" stay private. */
const ShareableKindSchema = z.enum(['answer', 'tip']);

const ReplySchema = z.object({
  kind: ShareableKindSchema,
  lang: LangSchema,
  blocks: z.array(BlockSchema).min(1),
  sources: z.array(
    z.object({
      note: z.string(),
      noteTitle: z.string(),
      section: z.array(z.string()),
      line: z.number().int(),
      url: z.string().optional(),
      score: z.number(),
    }),
  ),
  suggestions: z.array(z.object({ label: z.string(), intent: SuggestedIntentSchema })),
  actions: z.array(z.object({ type: z.enum(['feedback', 'more']), answerId: z.string() })),
});

/** What a share button carries: what was asked, the reply shown, and whether blocks were left out to fit. */
export const SharedAnswerSchema = z.object({
  asked: z.string().max(200),
  reply: ReplySchema,
  shortened: z.boolean(),
});
export type SharedAnswer = z.infer<typeof SharedAnswerSchema>;

/** Slack's limit on a button value. */
const VALUE_LIMIT = 2000;

const encode = (shared: { asked: string; reply: Reply; shortened: boolean }) => deflateRawSync(JSON.stringify(shared)).toString('base64url');

/**
 * The reply and question as a button value within Slack's limit, dropping suggestions and then trailing blocks
 * until it fits; undefined when the reply is not worth sharing or not even its first block fits.
 */
export function shareValue(reply: Reply, asked: string): string | undefined {
  if (!ShareableKindSchema.safeParse(reply.kind).success) return undefined;
  const base = { asked: asked.slice(0, 200), reply, shortened: false };
  let value = encode(base);
  if (value.length <= VALUE_LIMIT) return value;
  for (let kept = reply.blocks.length; kept >= 1; kept--) {
    value = encode({ ...base, reply: { ...reply, suggestions: [], blocks: reply.blocks.slice(0, kept) }, shortened: kept < reply.blocks.length });
    if (value.length <= VALUE_LIMIT) return value;
  }
  return undefined;
}

/** A share button's value read back; an error says why it could not be. */
export function readShareValue(value: string): Result<SharedAnswer> {
  let json: unknown;
  try {
    json = JSON.parse(inflateRawSync(Buffer.from(value, 'base64url'), { maxOutputLength: 200_000 }).toString('utf8'));
  } catch {
    return fail('share value is not a compressed JSON answer');
  }
  const parsed = SharedAnswerSchema.safeParse(json);
  return parsed.success ? ok(parsed.data) : fail(issueSummary(parsed.error));
}
