import type { types } from '@slack/bolt';
import type { Lang } from '../../src/lang.js';
import { plainText, sectionLabel, type Block, type Reply, type Suggestion } from '../../src/reply.js';
import { splitText, truncate } from '../../src/text-cut.js';
import { escapeCode, escapeText, fence, inlineToMrkdwn } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;
type Button = types.Button;

/** A message ready for `chat.postMessage` or `respond`: Block Kit, and the plain text notifications show. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** Adds a "share in channel" button carrying this value (see share.ts). */
  share?: string;
  /** Who shared the answer into the channel and what they had asked, shown above it. */
  sharedBy?: { user: string; asked: string };
  /** The reply is already missing blocks (a shared copy cut to fit its button): say so as if cut here. */
  shortened?: boolean;
}

/** Action ids of the buttons the renderer adds; the listeners route clicks by them. */
export const ACTION = {
  /** Followed by the suggestion's position: action ids must be unique within a message. */
  suggestPrefix: 'k8s_suggest_',
  voteUp: 'k8s_vote_up',
  voteDown: 'k8s_vote_down',
  share: 'k8s_share',
  more: 'k8s_more',
} as const;

/** Block Kit limits, from Slack's reference; the total is a margin below what clients render comfortably. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  totalText: 12_000,
  fieldsPerSection: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  fallbackText: 3000,
} as const;

const LABELS: Record<Lang, { sources: string; related: string; helpful: string; notHelpful: string; share: string; more: string; shortened: string; shared: string }> = {
  en: {
    sources: 'Sources',
    related: 'Related',
    helpful: '👍 Helpful',
    notHelpful: '👎 Not helpful',
    share: 'Share in channel',
    more: 'Show the whole section',
    shortened: '_Shortened to fit in Slack: the source has the rest._',
    shared: 'shared',
  },
  zh: {
    sources: '来源',
    related: '相关章节',
    helpful: '👍 有帮助',
    notHelpful: '👎 没帮助',
    share: '分享到频道',
    more: '显示整节',
    shortened: '_内容过长，已截断；完整内容见来源。_',
    shared: '分享了',
  },
};

/** A shortened section shorter than this would be a fragment; the notice alone says more. */
const MIN_CUT = 200;
const USER_ID = /^[UW][A-Z0-9]+$/;

const section = (mrkdwn: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: mrkdwn } });
const context = (mrkdwn: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) }] });
const button = (text: string, actionId: string, value: string): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
  action_id: actionId,
  value,
});

/** One section of the passage, and how to cut it shorter when only part of it fits the message. */
interface BodyPart {
  block: KnownBlock;
  /** Its first lines within `limit` characters; undefined when it cannot be cut. */
  cut(limit: number): KnownBlock | undefined;
}

const FENCE_LENGTH = fence('').length;

function textPart(mrkdwn: string): BodyPart {
  return { block: section(mrkdwn), cut: (limit) => splitText(mrkdwn, limit).slice(0, 1).map(section)[0] };
}

function codePart(escapedCode: string): BodyPart {
  const fenced = (code: string) => section(fence(code));
  return { block: fenced(escapedCode), cut: (limit) => splitText(escapedCode, limit - FENCE_LENGTH).slice(0, 1).map(fenced)[0] };
}

/** One reply block as sections within the per-section limit; a long code block becomes several complete fences. */
function bodyParts(block: Block): BodyPart[] {
  switch (block.type) {
    case 'text':
      return splitText(inlineToMrkdwn(block.text), LIMITS.sectionText).map(textPart);
    case 'code':
      return splitText(escapeCode(block.code), LIMITS.sectionText - FENCE_LENGTH).map(codePart);
    case 'fields': {
      const fields = block.fields.map((f) => ({ type: 'mrkdwn' as const, text: truncate(`*${inlineToMrkdwn(f.name)}*\n${inlineToMrkdwn(f.value)}`, LIMITS.fieldText) }));
      const parts: BodyPart[] = [];
      for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
        parts.push({ block: { type: 'section', fields: fields.slice(i, i + LIMITS.fieldsPerSection) }, cut: () => undefined });
      }
      return parts;
    }
  }
}

/** The characters a block shows, for the message-wide budget. */
function textLength(block: KnownBlock): number {
  if (block.type === 'section') return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
  if (block.type === 'context') return block.elements.reduce((n, e) => n + ('text' in e ? e.text.length : 0), 0);
  return 0;
}

/** The numbered sources as one context line, each a link when its note has a url. */
function sourcesLine(reply: Reply, label: string): string {
  const cited = reply.sources.map((s, i) => {
    const title = escapeText(sectionLabel(s));
    return `${i + 1}. ${s.url && /^https?:/i.test(s.url) ? `<${escapeText(s.url)}|${title.replace(/\|/g, '¦')}>` : title}`;
  });
  return `${label}: ${cited.join('  ·  ')}`;
}

/** What a suggestion button carries (see SuggestionValueSchema): its request and the reply's language, as JSON. */
const suggestionValue = (intent: Suggestion['intent'], lang: Lang) => JSON.stringify({ ...intent, lang });

/** Buttons after the passage: suggestions to ask next, then 👍/👎, "show the whole section" and the share button. */
function tailBlocks(reply: Reply, options: RenderOptions): KnownBlock[] {
  const labels = LABELS[reply.lang];
  const tail: KnownBlock[] = [];
  if (reply.sources.length > 0) tail.push(context(sourcesLine(reply, labels.sources)));
  const suggestions = reply.suggestions
    .map((s) => ({ label: s.label, value: suggestionValue(s.intent, reply.lang) }))
    .filter((s) => s.value.length <= LIMITS.buttonValue)
    .slice(0, 5);
  if (suggestions.length > 0) {
    if (reply.kind === 'answer') tail.push(context(`${labels.related}:`));
    tail.push({ type: 'actions', elements: suggestions.map((s, i) => button(s.label, `${ACTION.suggestPrefix}${i}`, s.value)) });
  }
  const controls: Button[] = [];
  const feedback = reply.actions.find((a) => a.type === 'feedback');
  if (feedback) {
    const value = JSON.stringify({ answerId: feedback.answerId, lang: reply.lang });
    if (value.length <= LIMITS.buttonValue) controls.push(button(labels.helpful, ACTION.voteUp, value), button(labels.notHelpful, ACTION.voteDown, value));
  }
  const more = reply.actions.find((a) => a.type === 'more');
  if (more) {
    const value = JSON.stringify({ answerId: more.answerId, lang: reply.lang });
    if (value.length <= LIMITS.buttonValue) controls.push(button(labels.more, ACTION.more, value));
  }
  if (options.share !== undefined && options.share.length <= LIMITS.buttonValue) {
    controls.push({ ...button(labels.share, ACTION.share, options.share), style: 'primary' });
  }
  if (controls.length > 0) tail.push({ type: 'actions', elements: controls });
  return tail;
}

/**
 * The core's reply as a Slack message: the passage as sections (code blocks kept whole as fences), the numbered
 * sources, suggestion buttons, 👍/👎 buttons, and optionally a share button. Everything from notes or people is
 * escaped. Within 50 blocks and about 12,000 characters; a passage that does not fit is cut and says so.
 */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage {
  const labels = LABELS[reply.lang];
  const sharer = options.sharedBy && (USER_ID.test(options.sharedBy.user) ? `<@${options.sharedBy.user}>` : escapeText(options.sharedBy.user));
  const head: KnownBlock[] = options.sharedBy ? [context(`${sharer} ${labels.shared}: ${escapeText(truncate(options.sharedBy.asked, 200))}`)] : [];
  const tail = tailBlocks(reply, options);
  const notice = context(labels.shortened);
  const reserved = [...head, ...tail, notice];
  let blocksLeft = LIMITS.blocks - reserved.length;
  let charsLeft = LIMITS.totalText - reserved.reduce((n, b) => n + textLength(b), 0);

  const body: KnownBlock[] = [];
  let shortened = options.shortened ?? false;
  for (const part of reply.blocks.flatMap(bodyParts)) {
    if (blocksLeft === 0) {
      shortened = true;
      break;
    }
    const length = textLength(part.block);
    if (length > charsLeft) {
      // The first lines of what does not fit, when enough room is left for them to be worth reading.
      const cut = charsLeft >= MIN_CUT ? part.cut(charsLeft) : undefined;
      if (cut) body.push(cut);
      shortened = true;
      break;
    }
    body.push(part.block);
    blocksLeft--;
    charsLeft -= length;
  }
  return {
    text: escapeText(truncate(plainText(reply), LIMITS.fallbackText)),
    blocks: [...head, ...body, ...(shortened ? [notice] : []), ...tail],
  };
}
