/**
 * Inline markup in a passage's text. Adapters render `code`, **bold** and [label](url) links, so those stay
 * (as does other emphasis); everything else a note may hold inline (links an answer cannot follow, images,
 * wiki links, HTML tags and entities) becomes the text a reader of the rendered page would see.
 */

export interface InlineContext {
  /** The note's own address: relative links resolve against it. Without one they show their label only. */
  noteUrl?: string;
  /** False for headings and table headers, which are cited as plain names. */
  links?: boolean;
  /** Labels the note defines reference links for (`[label]: url`), as `referenceLabel` spells them. */
  references?: ReadonlySet<string>;
}

/** Reference labels match case-insensitively and whatever their inner spacing. */
export const referenceLabel = (label: string) => label.trim().replace(/\s+/g, ' ').toLowerCase();

const CODE_SPAN = String.raw`\`\`(?:[^\`]|\`(?!\`))+?\`\`(?!\`)|\`[^\`]+\``;
/** A link label: text, code spans and one level of brackets (an image inside a link, `[x]` inside a label). */
const LABEL = String.raw`(?:[^\[\]\`\\]|\\.|\`[^\`]*\`|\[[^\[\]]*\](?:\([^()\s]*\))?)*`;
/** What follows a label in parentheses: an address, maybe a title; one level of parentheses inside. */
const DESTINATION = String.raw`[^()\n]*(?:\([^()\n]*\)[^()\n]*)*`;

/** Where inline markup can start: the long alternation below is tried only there. */
const INLINE_START = /[`!\[<&]/g;
const INLINE = new RegExp(
  [
    `(?<code>${CODE_SPAN})`,
    String.raw`(?<embed>!\[\[[^\]\n]*\]\])`,
    String.raw`\[\[(?<wikiTarget>[^\[\]|\n]*)(?:\|(?<wikiAlias>[^\]\n]*))?\]\]`,
    String.raw`(?<!\\)!\[(?<alt>${LABEL})\]\(${DESTINATION}\)`,
    String.raw`(?<!\\)\[(?<label>${LABEL})\](?:\((?<href>${DESTINATION})\)|\[(?<ref>[^\]]*)\])`,
    String.raw`(?<!\\)\[(?<shortcut>[^\[\]\n]+)\](?!:)`,
    String.raw`<(?<autolink>(?:https?|ftp|mailto):[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>`,
    String.raw`<img\b(?<imgAttributes>[^>]*)>`,
    String.raw`<\/?(?<tag>[A-Za-z][\w-]*)\b[^<>]*>`,
    String.raw`&(?<entity>#\d+|#x[\da-fA-F]+|[A-Za-z]+);`,
  ].join('|'),
  'y',
);

/** HTML elements that notes use inline; anything else in angle brackets (`<pod-name>`) is the note's own text. */
const INLINE_TAGS = new Set(['a', 'abbr', 'b', 'big', 'cite', 'code', 'del', 'em', 'font', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'tt', 'u', 'var', 'wbr']);
/** HTML elements that break the line when rendered, so their text must not run into its neighbours'. */
const BLOCK_TAGS = new Set(['blockquote', 'br', 'center', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'picture', 'pre', 'section', 'source', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'video']);

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ',
  mdash: '—', ndash: '–', hellip: '…', laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
  copy: '©', reg: '®', trade: '™', times: '×', rarr: '→', larr: '←', harr: '↔', rArr: '⇒', middot: '·', bull: '•', deg: '°',
  ast: '*', lowast: '∗', minus: '−', plusmn: '±', le: '≤', ge: '≥', ne: '≠', sect: '§', shy: '', zwj: '', zwnj: '',
  lbrace: '{', rbrace: '}', lsqb: '[', rsqb: ']', lpar: '(', rpar: ')', vert: '|', verbar: '|', num: '#', dollar: '$',
};

function decodeEntity(entity: string): string | undefined {
  if (entity[0] !== '#') return ENTITIES[entity];
  const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** Where a link may point from an answer: absolute web addresses, and relative ones when the note has an address. */
function linkTarget(destination: string, noteUrl: string | undefined): string | undefined {
  const angled = /^\s*<([^<>]*)>/.exec(destination);
  const href = angled ? angled[1]! : destination.trim().replace(/\s+("[^"]*"|'[^']*'|\([^)]*\))$/, '');
  // Only <...> may hold spaces; any other address with one is broken (a shortcode inside it lost its line).
  if (!angled && /\s/.test(href)) return undefined;
  if (/^https?:\/\/\S+$/i.test(href)) return href;
  if (!noteUrl || !href || href.startsWith('#') || /^[a-z][a-z\d+.-]*:/i.test(href)) return undefined;
  try {
    return new URL(href, noteUrl).href;
  } catch {
    return undefined;
  }
}

const ALT_ATTRIBUTE = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
const altText = (attributes: string) => {
  const alt = ALT_ATTRIBUTE.exec(attributes);
  return alt ? (alt[1] ?? alt[2] ?? alt[3] ?? '') : '';
};

/**
 * Removed markup leaves gaps: parentheses around nothing, a space before punctuation, double spaces, commas
 * with nothing between them. Code spans are left as written; text without a gap skips the replacing.
 */
const GAP_KINDS = [
  String.raw`(?<removed>(?:^|[ \t]+)(?:\(\s*\)|（\s*）)|[ \t]+(?=[,.;:!?)](?:\s|$)|[，。；：！？、）]))`,
  String.raw`(?<spaces>[ \t]{2,})`,
  String.raw`,(?:\s*,)+`,
];
const ANY_GAP = new RegExp(GAP_KINDS.join('|'));
const GAPS = new RegExp([`(?<code>${CODE_SPAN})`, ...GAP_KINDS].join('|'), 'g');
function closeGaps(text: string): string {
  if (!ANY_GAP.test(text)) return text.trim();
  return text
    .replace(GAPS, (gap, ...rest) => {
      const g = rest.at(-1) as Record<string, string | undefined>;
      return g.code ?? (g.removed !== undefined ? '' : g.spaces !== undefined ? ' ' : ',');
    })
    .trim();
}

/**
 * `text.replace`, trying the sticky `pattern` only where `starts` finds a character it can start with: a long
 * alternation tried at every character is several times slower. `replace` may call this again.
 */
function replaceWhere(text: string, starts: RegExp, pattern: RegExp, replace: (match: string, groups: Record<string, string | undefined>) => string): string {
  const out: string[] = [];
  let last = 0;
  for (let from = 0; ; ) {
    starts.lastIndex = from;
    const start = starts.exec(text);
    if (!start) break;
    pattern.lastIndex = start.index;
    const m = pattern.exec(text);
    if (!m) {
      from = start.index + 1;
      continue;
    }
    out.push(text.slice(last, m.index), replace(m[0], m.groups ?? {}));
    last = from = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out.join('');
}

function replaceInline(text: string, context: InlineContext): string {
  const plain = { ...context, links: false };
  return replaceWhere(text, INLINE_START, INLINE, (match, g) => {
    if (g.code !== undefined) return match;
    if (g.embed !== undefined) return '';
    if (g.wikiTarget !== undefined) {
      const target = g.wikiTarget.trim();
      return g.wikiAlias?.trim() || target.replace(/[#^].*$/, '') || target.replace(/^[#^]+/, '');
    }
    if (g.alt !== undefined) return replaceInline(g.alt, plain);
    if (g.label !== undefined) {
      // `[a][b]` is a reference link only where the note defines `b` (or `a`, for `[a][]`); otherwise it is text.
      if (g.ref !== undefined && !context.references?.has(referenceLabel(g.ref || g.label))) return `[${replaceInline(g.label, plain)}][${g.ref}]`;
      const label = replaceInline(g.label, plain).trim();
      const target = label && context.links !== false && g.href !== undefined ? linkTarget(g.href, context.noteUrl) : undefined;
      return target ? `[${label}](${target})` : label;
    }
    if (g.shortcut !== undefined) {
      const inner = replaceInline(g.shortcut, plain);
      return context.references?.has(referenceLabel(g.shortcut)) ? inner : `[${inner}]`;
    }
    if (g.autolink !== undefined) return g.autolink;
    if (g.imgAttributes !== undefined) return altText(g.imgAttributes);
    if (g.tag !== undefined) {
      const tag = g.tag.toLowerCase();
      return INLINE_TAGS.has(tag) ? '' : BLOCK_TAGS.has(tag) ? ' ' : match;
    }
    return decodeEntity(g.entity!) ?? match;
  });
}

/** Most passages hold no markup but code spans, which stay as they are: they skip the replacing. */
const MARKUP = /[\[<&]/;

/** Passage text as adapters render it (see the module comment). */
export const renderInline = (text: string, context: InlineContext = {}): string =>
  closeGaps(MARKUP.test(text) ? replaceInline(text, context) : text);
