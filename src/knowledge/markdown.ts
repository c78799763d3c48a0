import type { Passage, Section } from './note.js';

export interface ParsedBody {
  sections: Section[];
  /** The first level-1 heading, used as the title of a note whose front matter has none. */
  h1?: string;
  /** Where a code fence was opened and never closed (the rest of the note became code). */
  unclosedFenceLine?: number;
}

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*([^\s`{]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const LIST_ITEM = /^(\s*)(?:[-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const HTML_ONLY_LINE = /^\s*<\/?[A-Za-z][^>]*>\s*$/;
const BLOCKQUOTE = /^\s*>\s?/;
const HAN_OR_FULLWIDTH = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/**
 * Hugo shortcodes and HTML comments carry no answerable text (Kubernetes' Chinese docs keep the English
 * original in comments), so they are blanked out while keeping every newline, which keeps line numbers true.
 */
export function stripHiddenMarkup(body: string): string {
  const blank = (m: string) => '\n'.repeat(m.split('\n').length - 1);
  return body.replace(/<!--[\s\S]*?-->/g, blank).replace(/\{\{[<%][\s\S]*?[>%]\}\}/g, blank);
}

/** Joins soft-wrapped lines the way a renderer would: no space between Chinese characters. */
function joinLines(lines: string[]): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    // Only the characters at the seam decide; testing the whole growing text would cost quadratic time.
    if (out && !(HAN_OR_FULLWIDTH.test(out[out.length - 1]!) && HAN_OR_FULLWIDTH.test(line[0]!))) out += ' ';
    out += line;
  }
  return out;
}

function tableCells(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

function dedent(lines: string[]): string {
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^\s*/)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n').replace(/\s+$/, '');
}

interface OpenBlock {
  kind: 'paragraph' | 'list-item';
  line: number;
  indent: number;
  lines: string[];
  /** A blank line was seen inside a list item; only indented text continues it now. */
  gap: boolean;
}

/**
 * Splits a note's markdown into sections (by ATX heading) and passages: paragraphs, list items (each its own
 * passage, nested ones too), table rows paired with their header, and fenced code blocks with their language.
 * This is a deliberately small line scanner: notes are plain markdown, and it must stay fast on thousands
 * of documentation pages.
 */
export function parseMarkdown(body: string, firstLine: number): ParsedBody {
  const lines = stripHiddenMarkup(body).split(/\r?\n/);
  const sections: Section[] = [];
  const headingStack: string[] = [];
  let section: Section = { headings: [], line: firstLine, passages: [] };
  let block: OpenBlock | null = null;
  let h1: string | undefined;

  const flush = () => {
    if (!block) return;
    const text = joinLines(block.lines);
    if (text) section.passages.push({ kind: block.kind, line: block.line, text });
    block = null;
  };
  const closeSection = () => {
    flush();
    if (section.passages.length > 0) sections.push(section);
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = firstLine + i;

    const fence = FENCE_OPEN.exec(raw);
    if (fence) {
      flush();
      const [, indent = '', marker = '', info = ''] = fence;
      const closer = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      const codeLines: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !closer.test(lines[j]!); j++) {
        const line = lines[j]!;
        codeLines.push(line.slice(Math.min(indent.length, line.match(/^\s*/)![0].length)));
      }
      if (j >= lines.length) {
        section.passages.push({ kind: 'code', line: lineNo, lang: info.toLowerCase(), code: dedent(codeLines) });
        closeSection();
        return { sections, h1, unclosedFenceLine: lineNo };
      }
      const code = dedent(codeLines);
      if (code) section.passages.push({ kind: 'code', line: lineNo, lang: info.toLowerCase(), code });
      i = j;
      continue;
    }

    if (!raw.trim()) {
      if (block?.kind === 'list-item') block.gap = true;
      else flush();
      continue;
    }

    const heading = HEADING.exec(raw);
    if (heading) {
      closeSection();
      const level = heading[1]!.length;
      const text = heading[2]!.replace(/\s*\{#[^}]*\}\s*$/, '').trim();
      if (level === 1 && h1 === undefined) h1 = text;
      headingStack.length = level - 1;
      headingStack[level - 1] = text;
      section = { headings: headingStack.filter(Boolean), line: lineNo, passages: [] };
      continue;
    }

    const next = lines[i + 1];
    if (raw.includes('|') && next !== undefined && TABLE_DELIMITER.test(next) && next.includes('-')) {
      flush();
      const header = tableCells(raw);
      let j = i + 2;
      for (; j < lines.length && lines[j]!.includes('|') && lines[j]!.trim(); j++) {
        section.passages.push({ kind: 'table-row', line: firstLine + j, header, cells: tableCells(lines[j]!) });
      }
      i = j - 1;
      continue;
    }

    if (HTML_ONLY_LINE.test(raw)) continue;

    const item = LIST_ITEM.exec(raw);
    if (item) {
      flush();
      block = { kind: 'list-item', line: lineNo, indent: item[1]!.length, lines: [item[2]!], gap: false };
      continue;
    }

    const text = raw.replace(BLOCKQUOTE, '');
    if (block) {
      const indented = raw.match(/^\s*/)![0].length > block.indent;
      if (block.kind === 'paragraph' || !block.gap || indented) {
        block.lines.push(text);
        continue;
      }
      flush();
    }
    block = { kind: 'paragraph', line: lineNo, indent: 0, lines: [text], gap: false };
  }
  closeSection();
  return { sections, h1 };
}
