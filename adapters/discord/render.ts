import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import type { Lang } from '../../src/lang.js';
import { sectionLabel, type Block, type Reply, type ReplyKind, type Source } from '../../src/reply.js';
import { splitText, truncate } from '../../src/text-cut.js';
import { moreButtonId, suggestionButtonId, voteButtonId } from './buttons.js';

/** Discord's limits for one message (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fieldsPerEmbed: 25,
  embedsPerMessage: 10,
  /** Across every embed of one message: titles, descriptions, field names and values. */
  charactersPerMessage: 6000,
  buttonLabel: 80,
  buttonsPerRow: 5,
} as const;

/** One message to send: what `channel.send`, `interaction.reply` and `editReply` take. */
export interface DiscordMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

/** The side stripe says at a glance what kind of reply it is. */
const COLORS: Record<ReplyKind, number> = {
  answer: 0x326ce5, // Kubernetes blue
  tip: 0xf5a623,
  digest: 0x2ecc71,
  help: 0x5865f2,
  'not-found': 0x99aab5,
  error: 0xed4245,
  limited: 0x99aab5,
  thanks: 0x2ecc71,
};

const WORDS: Record<Lang, { failed: string; more: string }> = {
  zh: { failed: '抱歉，这次没能回答，请稍后再试。', more: '显示整节' },
  en: { failed: 'Sorry, that went wrong on our side. Please try again in a moment.', more: 'Show the whole section' },
};

/** What a person sees when answering failed, instead of Discord's "the application did not respond". */
export const failureText = (lang: Lang): string => WORDS[lang].failed;

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Breaks mention syntax so that quoted user or note text neither pings nor looks like a ping. Embeds never
 * ping and the client sends `allowed_mentions: {parse: []}`; this keeps `@everyone` from even rendering.
 */
export const neutraliseMentions = (text: string): string =>
  text.replace(/@(?=everyone|here)/gi, `@${ZERO_WIDTH_SPACE}`).replace(/<@/g, `<@${ZERO_WIDTH_SPACE}`);

/** A code block as fenced pieces of at most `max` characters, split between lines so each stays valid. */
function codePieces(lang: string, code: string, max: number): string[] {
  const open = `\`\`\`${lang}\n`;
  const close = '\n```';
  const room = max - open.length - close.length;
  const chunks: string[] = [];
  let current = '';
  for (const line of code.split('\n').flatMap((l) => (l.length > room ? splitText(l, room) : [l]))) {
    const joined = current ? `${current}\n${line}` : line;
    if (joined.length > room && current) {
      chunks.push(current);
      current = line;
    } else {
      current = joined;
    }
  }
  chunks.push(current);
  return chunks.map((chunk) => `${open}${chunk}${close}`);
}

/** Each block as description text, in pieces no longer than one embed's description. */
function blockPieces(block: Block): string[] {
  const max = DISCORD_LIMITS.description;
  switch (block.type) {
    case 'text':
      return splitText(neutraliseMentions(block.text), max);
    case 'code':
      // Code stays byte for byte what the notes say: mentions do not resolve inside a code block anyway.
      return codePieces(block.lang, block.code, max);
    case 'fields':
      return splitText(block.fields.map((f) => `**${neutraliseMentions(f.name)}**: ${neutraliseMentions(f.value)}`).join('\n'), max);
  }
}

/** Packs pieces, a blank line apart, into as few descriptions as the limit allows, keeping their order. */
function packDescriptions(pieces: string[]): string[] {
  const descriptions: string[] = [];
  for (const piece of pieces) {
    const last = descriptions.at(-1);
    if (last !== undefined && last.length + 2 + piece.length <= DISCORD_LIMITS.description) descriptions[descriptions.length - 1] = `${last}\n\n${piece}`;
    else descriptions.push(piece);
  }
  return descriptions;
}

/** Numbered source fields, linked where the note has a URL, as many as fit one message. */
function sourceFields(sources: Source[]): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  let size = 0;
  for (const [i, source] of sources.slice(0, DISCORD_LIMITS.fieldsPerEmbed).entries()) {
    const where = `${source.note}:${source.line}`;
    const name = truncate(neutraliseMentions(`${i + 1}. ${sectionLabel(source)}`), DISCORD_LIMITS.fieldName);
    const value = truncate(source.url ? `[${where}](${source.url})` : `\`${where}\``, DISCORD_LIMITS.fieldValue);
    // Keep room for some description beside the fields within the per-message budget.
    if (size + name.length + value.length > DISCORD_LIMITS.charactersPerMessage / 2) break;
    size += name.length + value.length;
    fields.push({ name, value });
  }
  return fields;
}

/** The characters Discord counts towards a message's 6,000. */
export const embedSize = (embed: APIEmbed): number =>
  (embed.title?.length ?? 0) +
  (embed.description?.length ?? 0) +
  (embed.footer?.text.length ?? 0) +
  (embed.author?.name.length ?? 0) +
  (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);

function buttonRows(reply: Reply): APIActionRowComponent<APIButtonComponent>[] {
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  // A suggestion whose text cannot travel in a custom id gets no button rather than a wrong one.
  const suggestions = reply.suggestions
    .map((s) => ({ label: s.label, customId: suggestionButtonId(s.intent, reply.lang) }))
    .filter((s): s is { label: string; customId: string } => s.customId !== undefined)
    .slice(0, DISCORD_LIMITS.buttonsPerRow);
  if (suggestions.length > 0) {
    rows.push({
      type: ComponentType.ActionRow,
      components: suggestions.map((s) => ({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: truncate(neutraliseMentions(s.label), DISCORD_LIMITS.buttonLabel),
        custom_id: s.customId,
      })),
    });
  }
  const controls: APIButtonComponent[] = [];
  const feedback = reply.actions.find((a) => a.type === 'feedback');
  const up = feedback && voteButtonId(1, feedback.answerId);
  const down = feedback && voteButtonId(-1, feedback.answerId);
  if (up && down) {
    controls.push(
      { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👍' }, custom_id: up },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👎' }, custom_id: down },
    );
  }
  const more = reply.actions.find((a) => a.type === 'more');
  const moreId = more && moreButtonId(more.answerId);
  if (moreId) controls.push({ type: ComponentType.Button, style: ButtonStyle.Primary, label: WORDS[reply.lang].more, custom_id: moreId });
  if (controls.length > 0) rows.push({ type: ComponentType.ActionRow, components: controls });
  return rows;
}

/**
 * Reply -> Discord messages: the blocks as embed descriptions (code blocks kept whole where they fit, split
 * between lines where they do not), numbered sources as fields, buttons for suggestions and 👍/👎 on the last
 * message. Usually one message; more only when the reply exceeds one message's embed limits.
 */
export function renderReply(reply: Reply): DiscordMessage[] {
  const color = COLORS[reply.kind];
  const embeds: APIEmbed[] = packDescriptions(reply.blocks.flatMap(blockPieces)).map((description) => ({ color, description }));
  const fields = sourceFields(reply.sources);
  if (fields.length > 0) {
    const last = embeds.at(-1);
    const fieldsSize = embedSize({ fields });
    if (last && embedSize(last) + fieldsSize <= DISCORD_LIMITS.charactersPerMessage) last.fields = fields;
    else embeds.push({ color, fields });
  }

  const messages: DiscordMessage[] = [];
  let size = 0;
  for (const embed of embeds) {
    const current = messages.at(-1);
    const grow = embedSize(embed);
    if (current && current.embeds.length < DISCORD_LIMITS.embedsPerMessage && size + grow <= DISCORD_LIMITS.charactersPerMessage) {
      current.embeds.push(embed);
      size += grow;
    } else {
      messages.push({ embeds: [embed], components: [] });
      size = grow;
    }
  }
  if (messages.length === 0) messages.push({ embeds: [{ color, description: '…' }], components: [] });
  messages.at(-1)!.components = buttonRows(reply);
  return messages;
}
