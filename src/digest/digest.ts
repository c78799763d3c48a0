import { say } from '../answer/messages.js';
import type { Lang } from '../lang.js';
import type { Block, Reply } from '../reply.js';
import type { Activity, DownVoted, Store } from '../store/store.js';
import { localDay } from '../tips/scheduler.js';
import { groupWordings, type AskedGroup } from './group.js';

/** What a maintainer learns from one period: what the notes miss, which answers people disliked, how much was asked. */
export interface Digest {
  since: number;
  until: number;
  /** The most asked unanswered questions, near-identical wordings counted as one, most asked first. */
  unanswered: AskedGroup[];
  downVoted: DownVoted[];
  activity: Activity;
}

/** Questions shown in a digest; a maintainer acts on the top few, the long tail is what `gaps` is for. */
export const DIGEST_QUESTIONS = 10;
/** Down-voted answers shown in a digest. */
export const DIGEST_DOWN_VOTED = 10;
/** Wordings read before grouping: enough that the top ten groups gather most of their wordings. */
const WORDINGS_READ = 200;

/**
 * The digest of `[since, until)`, read from the store. The question log's `gaps` has no end, so the
 * unanswered questions run from `since` to now: the same period for `digest`, and at most the catch-up
 * window more for a scheduled one.
 */
export async function gatherDigest(store: Pick<Store, 'gaps' | 'activity' | 'downVoted'>, since: number, until: number): Promise<Digest> {
  const [gaps, downVoted, activity] = await Promise.all([store.gaps(since, WORDINGS_READ), store.downVoted(since, until, DIGEST_DOWN_VOTED), store.activity(since, until)]);
  return { since, until, unanswered: groupWordings(gaps).slice(0, DIGEST_QUESTIONS), downVoted, activity };
}

/** Whether nothing happened in the period: no question asked and no answer voted down. */
export const isEmptyDigest = (digest: Digest): boolean =>
  digest.activity.answered + digest.activity.notFound === 0 && digest.unanswered.length === 0 && digest.downVoted.length === 0;

const bulleted = (lines: string[]) => lines.map((line) => `• ${line}`).join('\n');

/** The digest as a reply any platform renders, in `lang`, its dates the calendar days of `timezone`. */
export function digestReply(digest: Digest, lang: Lang, timezone?: string): Reply {
  // `until` is exclusive: the last day shown is the one its final millisecond falls on.
  const period = { from: localDay(digest.since, timezone), to: localDay(digest.until - 1, timezone) };
  const reply = (blocks: Block[]): Reply => ({ kind: 'digest', lang, blocks, sources: [], suggestions: [], actions: [] });
  if (isEmptyDigest(digest)) return reply([{ type: 'text', text: say('digestEmpty', lang, period) }]);

  const text = (t: string): Block => ({ type: 'text', text: t });
  const blocks: Block[] = [text(`${say('digestTitle', lang, period)}\n${say('digestActivity', lang, { ...digest.activity })}`)];
  if (digest.unanswered.length === 0) blocks.push(text(say('digestNoUnanswered', lang)));
  else {
    const lines = digest.unanswered.map((g) => `${g.count}× ${g.question}${g.wordings.length > 1 ? ` ${say('digestWordings', lang, { count: g.wordings.length })}` : ''}`);
    blocks.push(text(`${say('digestUnanswered', lang)}\n${bulleted(lines)}`));
  }
  if (digest.downVoted.length > 0) {
    const lines = digest.downVoted.map((d) => `👎 ${d.down} 👍 ${d.up}  \`${d.answerId}\`  ${d.question ? `“${d.question}”` : say('digestNoQuestion', lang)}`);
    blocks.push(text(`${say('digestDownVoted', lang)}\n${bulleted(lines)}`));
  }
  return reply(blocks);
}

/** The digest as the `--json` output: dates as ISO instants, everything else as gathered. */
export const digestJson = (digest: Digest) => ({
  since: new Date(digest.since).toISOString(),
  until: new Date(digest.until).toISOString(),
  activity: digest.activity,
  unanswered: digest.unanswered,
  downVoted: digest.downVoted,
});
