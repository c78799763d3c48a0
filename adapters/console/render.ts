import type { Lang } from '../../src/lang.js';
import { sectionLabel, type Block, type Reply } from '../../src/reply.js';

/** ANSI SGR codes (on, off). Whether to colour at all is the caller's decision (TTY, NO_COLOR). */
const ANSI = { bold: [1, 22], dim: [2, 22], underline: [4, 24], cyan: [36, 39], yellow: [33, 39] } as const;
type Format = keyof typeof ANSI;

const LABELS: Record<Lang, { source: string; sources: string; related: string; suggestions: string }> = {
  zh: { source: '来源', sources: '来源', related: '相关内容', suggestions: '可以试试' },
  en: { source: 'Source', sources: 'Sources', related: 'Related', suggestions: 'Try' },
};

/** Reply -> terminal text, with ANSI colour when `color` is set (a TTY without NO_COLOR). */
export function renderReply(reply: Reply, color: boolean): string {
  const paint = (format: Format, text: string) => (color ? `\u001b[${ANSI[format][0]}m${text}\u001b[${ANSI[format][1]}m` : text);
  const inline = (text: string) =>
    text
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) => `${label} (${paint('underline', url)})`)
      .replace(/\*\*([^*]+)\*\*/g, (_, t: string) => paint('bold', t))
      .replace(/`([^`]+)`/g, (_, t: string) => paint('cyan', t));

  const block = (b: Block): string => {
    switch (b.type) {
      case 'text':
        return inline(b.text);
      case 'code':
        return [paint('dim', `\`\`\`${b.lang}`), ...b.code.split('\n').map((l) => paint('cyan', l)), paint('dim', '```')].join('\n');
      case 'fields':
        return b.fields.map((f) => `${paint('bold', inline(f.name))}: ${inline(f.value)}`).join('\n');
    }
  };

  const labels = LABELS[reply.lang];
  const out = reply.blocks.map(block);
  const cited = reply.sources.map((s) => `${sectionLabel(s)}  (${s.note}:${s.line}${s.url ? `  ${s.url}` : ''})`);
  if (cited.length === 1) out.push(paint('dim', `${labels.source}: ${cited[0]}`));
  else if (cited.length > 1) out.push(paint('dim', [`${labels.sources}:`, ...cited.map((c, i) => `  ${i + 1}. ${c}`)].join('\n')));
  if (reply.suggestions.length > 0) {
    const title = reply.kind === 'answer' ? labels.related : labels.suggestions;
    const items = reply.suggestions.map((s, i) => `  ${paint('yellow', `[${i + 1}]`)} ${s.label}`);
    out.push(`${paint('bold', title)}:\n${items.join('\n')}`);
  }
  return out.join('\n\n');
}

/** The one line printed instead of sending a number that names no listed suggestion as a question. */
export function noSuchSuggestionText(number: number, listed: number, lang: Lang): string {
  if (lang === 'zh') return listed > 0 ? `没有第 ${number} 条建议：可选 1–${listed}，或直接输入问题。` : `没有第 ${number} 条建议：上一条回答没有列出建议，请直接输入问题。`;
  return listed > 0 ? `There is no suggestion ${number}: pick 1–${listed}, or type a question.` : `There is no suggestion ${number}: the last answer listed none. Type a question instead.`;
}
