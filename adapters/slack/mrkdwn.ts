/**
 * Slack's message markup ("mrkdwn") in both directions: what people type arrives with `<...>` markup that the
 * core should read as plain words, and whatever the bot sends must reach Slack as text, never as markup that
 * could link, mention or notify.
 */

// A zero-width space after "@" keeps the word readable but stops any client from treating it as a broadcast.
const BROADCAST = /@(everyone|here|channel)\b/gi;

/** Text from a note or a person, made inert: `&`, `<`, `>` escaped as Slack asks, broadcast words defused. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(BROADCAST, '@\u200b$1');
}

const LINKABLE = /^(https?:|mailto:)/i;

/** The core's inline markdown (`code`, **bold**, [text](url)) as mrkdwn, with everything else escaped. */
export function inlineToMrkdwn(markdown: string): string {
  // Odd pieces are inline code: escaped like the rest, but never read as bold or links.
  return markdown
    .split(/(`[^`\n]+`)/)
    .map((piece, i) => {
      if (i % 2 === 1) return escapeText(piece);
      return escapeText(piece)
        .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) =>
          // The url is already escaped; `|` and `>` cannot occur in it any more, so the link cannot be widened.
          LINKABLE.test(url) ? `<${url}|${label.replace(/\|/g, '¦')}>` : `${label} (${url})`,
        )
        .replace(/\*\*([^*\n]+)\*\*/g, '*$1*');
    })
    .join('');
}

/** The inside of a code fence: escaped, with any fence in the code broken up so it cannot close the block early. */
export function escapeCode(code: string): string {
  return escapeText(code).replace(/```/g, '`\u200b``');
}

/** Wraps escaped code in a fence. */
export const fence = (escapedCode: string) => `\`\`\`${escapedCode}\`\`\``;

/**
 * What a person typed, as the plain words the core answers: the bot's own mention removed, other mentions and
 * channel links turned into readable names, links into their label, entities decoded.
 */
export function questionFromSlack(text: string, botUserId: string | undefined): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => (id === botUserId ? ' ' : `@${id}`))
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_, label: string | undefined) => label ?? '@team')
    .replace(/<#[CG][A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<([^<>|]+)\|([^<>]*)>/g, '$2')
    .replace(/<([^<>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}
