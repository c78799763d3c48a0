import type { Lang } from '../lang.js';

/** A code block that a Hugo shortcode (`highlight`, `tab` with `codelang`) held, lifted out of the text. */
export interface ShortcodeCode {
  /** The 0-based line of the body where the closing tag stands. */
  lastLine: number;
  lang: string;
  /** As written, indentation included. */
  code: string;
}

export interface ExpandedShortcodes {
  /** The body as plain markdown, with exactly as many lines as before. */
  text: string;
  /** By the 0-based line of their opening tag; their lines are blank in `text`. */
  codeBlocks: Map<number, ShortcodeCode>;
}

type Args = { named: Map<string, string>; positional: string[] };

/**
 * A tag, or an escaped tag (a comment mark inside the brackets: Hugo shows the tag itself, which may hold
 * other tags but no other escape: an unclosed one then costs a scan to the next, not to the end). The
 * optional `v` is a version prefix glued to a shortcode that stands for a version.
 */
const TAG = /\{\{([<%])\/\*((?:[^{]|\{(?!\{[<%]\/\*))*?)\*\/([>%])\}\}|((?<![\w.])v)?\{\{[<%]\s*(\/?)\s*([\w./-]+)([^{}]*?)\/?[>%]\}\}/g;
const ARG = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|`([^`]*)`|(\S+))|"([^"]*)"|`([^`]*)`|(\S+)/g;

/** Shortcodes whose body never shows as text. */
const HIDDEN_BODY = new Set(['comment', 'mermaid']);

/** The section headings Kubernetes' page templates name by key (the site's i18n strings). */
const HEADINGS: Record<Lang, Record<string, string>> = {
  en: {
    prerequisites: 'Before you begin',
    whatsnext: "What's next",
    objectives: 'Objectives',
    cleanup: 'Cleaning up',
    synopsis: 'Synopsis',
    options: 'Options',
    seealso: 'See Also',
    parentoptions: 'Parent Options Inherited',
    examples: 'Examples',
    envvars: 'Environment variables',
  },
  zh: {
    prerequisites: '准备开始',
    whatsnext: '接下来',
    objectives: '教程目标',
    cleanup: '清理现场',
    synopsis: '简介',
    options: '选项',
    seealso: '另请参见',
    parentoptions: '继承于父命令的选项',
    examples: '示例',
    envvars: '环境变量',
  },
};

const FEATURE_GATE_LABEL: Record<Lang, string> = { en: 'Feature gate: ', zh: '特性门控：' };

function parseArgs(source: string): Args {
  const named = new Map<string, string>();
  const positional: string[] = [];
  for (const m of source.matchAll(ARG)) {
    if (m[1] !== undefined) named.set(m[1], m[2] ?? m[3] ?? m[4] ?? m[5] ?? '');
    else positional.push(m[6] ?? m[7] ?? m[8] ?? '');
  }
  return { named, positional };
}

/** `workload-resources/cron-job-v1` is the page of the CronJob kind: its title is what Hugo shows. */
const apiKindName = (page: string) =>
  (page.split('/').pop() ?? '')
    .replace(/-v\d+(?:(?:alpha|beta)\d+)?$/, '')
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/** What a shortcode shows in place of its tag; undefined for the ones that show nothing here. */
function visibleText(name: string, { named, positional }: Args, lang: Lang): string | undefined {
  switch (name) {
    case 'glossary_tooltip':
      return named.get('text') || named.get('term_id')?.replace(/[-_]/g, ' ');
    case 'heading': {
      const key = positional[0] ?? '';
      return HEADINGS[lang][key] ?? key;
    }
    case 'feature-state': {
      const gate = named.get('feature_gate_name');
      if (gate) return `${FEATURE_GATE_LABEL[lang]}\`${gate}\``;
      const version = named.get('for_k8s_version')?.replace(/^(?=\d)/, 'v');
      const state = named.get('state');
      return ['Kubernetes', version, state && `[${state}]`].filter(Boolean).join(' ');
    }
    case 'figure':
      return named.get('caption') || named.get('alt') || named.get('title') || undefined;
    case 'link':
      return named.has('text') ? `[${named.get('text')}](${named.get('url') ?? ''})` : undefined;
    case 'api-reference':
      return named.get('text') || apiKindName(named.get('page') ?? '');
    case 'ref':
    case 'relref':
      return positional[0];
    default:
      return undefined;
  }
}

/** The language of a code body, or undefined when the shortcode shows its body as text. */
function codeLang(name: string, { named, positional }: Args): string | undefined {
  if (name === 'highlight') return positional[0] ?? '';
  if (name === 'tab') return named.get('codelang');
  return undefined;
}

const closers = new Map<string, RegExp>();
/**
 * Where the closing tag of `name` after `from` starts and ends, if there is one. `unclosed` remembers the
 * names searched for in vain: a tag opened many times and never closed costs one search, not one per opening.
 */
function findCloser(name: string, from: number, body: string, unclosed: Set<string>): { start: number; end: number } | undefined {
  if (unclosed.has(name)) return undefined;
  let closer = closers.get(name);
  if (!closer) {
    closer = new RegExp(String.raw`\{\{[<%]\s*\/\s*${name.replace(/[.\/]/g, '\\$&')}\s*[>%]\}\}`, 'g');
    closers.set(name, closer);
  }
  closer.lastIndex = from;
  const m = closer.exec(body);
  if (!m) unclosed.add(name);
  return m ? { start: m.index, end: closer.lastIndex } : undefined;
}

/** The 0-based line of each position asked for, in increasing order; each newline is looked at once. */
function lineCounter(text: string): (position: number) => number {
  let line = 0;
  let next = text.indexOf('\n');
  return (position) => {
    for (; next !== -1 && next < position; next = text.indexOf('\n', next + 1)) line++;
    return line;
  };
}

const newlinesIn = (text: string) => text.split('\n').length - 1;

/** Whether only spaces share the lines of `text` where `start`..`end` begins and ends (looking no further than them). */
function standsAlone(text: string, start: number, end: number): boolean {
  const isSpace = (i: number) => text[i] === ' ' || text[i] === '\t' || text[i] === '\r';
  let before = start - 1;
  while (before >= 0 && isSpace(before)) before--;
  let after = end;
  while (after < text.length && isSpace(after)) after++;
  return (before < 0 || text[before] === '\n') && (after === text.length || text[after] === '\n');
}

/** An inline code span that survives soft wraps and backticks in the code. */
const codeSpan = (code: string) => (code.includes('`') ? `\`\` ${code} \`\`` : `\`${code}\``);

/**
 * Turns Hugo shortcodes into what the rendered page shows, as plain markdown: tooltips, headings, figures
 * and feature states become their text, wrappers (note, tabs, alert...) vanish and leave their body,
 * shortcodes that show site data or other files (include, param, skew...) vanish, and code bodies become
 * code blocks. Every line stays where it was, so passages keep their true line numbers.
 */
export function expandShortcodes(body: string, lang: Lang): ExpandedShortcodes {
  const codeBlocks = new Map<number, ShortcodeCode>();
  if (!body.includes('{{')) return { text: body, codeBlocks };

  const out: string[] = [];
  const unclosed = new Set<string>();
  const lineAt = lineCounter(body);
  const pattern = new RegExp(TAG);
  let last = 0;
  for (let m; (m = pattern.exec(body)); ) {
    const [, escapedOpen, escaped, escapedClose, gluedV = '', closing, name = '', argSource = ''] = m;
    const line = lineAt(m.index);
    out.push(body.slice(last, m.index));
    last = pattern.lastIndex;
    if (escapedOpen) {
      out.push(`{{${escapedOpen}${escaped}${escapedClose}}}`);
      continue;
    }
    const args = parseArgs(argSource);
    const bodyLang = closing ? undefined : codeLang(name, args);
    const end = !closing && (HIDDEN_BODY.has(name) || bodyLang !== undefined) ? findCloser(name, last, body, unclosed) : undefined;
    if (end) {
      const inner = expandShortcodes(body.slice(last, end.start), lang).text;
      const regionLines = lineAt(end.end) - line;
      out.push(gluedV);
      if (bodyLang === undefined) {
        out.push('\n'.repeat(regionLines));
      } else if (args.named.get('hl_inline') === 'true' || !standsAlone(body, m.index + gluedV.length, end.end)) {
        const code = inner.trim();
        out.push(codeSpan(code), '\n'.repeat(regionLines - newlinesIn(code)));
      } else {
        const code = inner.replace(/^[ \t]*\r?\n/, '').replace(/\r?\n[ \t]*$/, '');
        codeBlocks.set(line, { lastLine: line + regionLines, lang: bodyLang.toLowerCase(), code });
        out.push('\n'.repeat(regionLines));
      }
      last = end.end;
      pattern.lastIndex = last;
      continue;
    }
    const text = closing ? undefined : visibleText(name, args, lang);
    out.push(text === undefined ? '' : gluedV + text, '\n'.repeat(lineAt(last) - line));
  }
  out.push(body.slice(last));
  return { text: out.join(''), codeBlocks };
}
