import type { Lang } from '../lang.js';
import { referenceLabel, renderInline, type InlineContext } from './inline.js';
import { LIMITS } from './limits.js';
import type { Passage, Section } from './note.js';
import { expandShortcodes } from './shortcodes.js';

export interface ParseOptions {
  /** The note's address (front matter `url`): relative links resolve against it. */
  url?: string;
  /** The note's language: Hugo's heading shortcodes stand for words in it. English when unknown. */
  lang?: Lang;
}

export interface ParsedBody {
  sections: Section[];
  /** The first level-1 heading, used as the title of a note whose front matter has none. */
  h1?: string;
  /** Where a code fence was opened and never closed (the rest of the note became code). */
  unclosedFenceLine?: number;
  /** Lines of what was too long to keep whole (see LIMITS): passages split or cut, headings cut. */
  capped: { passages: number[]; headings: number[] };
}

const IN_PAGE_LINK_ONLY = /^\s*\[[^\]]*\]\(#[^)\s]*\)\s*$/;
// A fence's line is read in two steps: one regex for it all is cubic in a line of tildes ending in a backtick.
const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})([^]*)$/;
const FENCE_INFO = /^\s*([^\s`{]*)/;
// The closing hashes (`## Title ##`) are cut in code: a regex for them is cubic in a line of spaces.
const HEADING = /^ {0,3}(#{1,6})\s+(.*)$/;
/** `{#id}` (Hugo, Docusaurus) and `{: #id .class }` (MkDocs) name a heading's anchor; a shortcode may follow. */
const HEADING_ATTRIBUTES = /(?<!\{)\{:?\s*[#.][^\s{}][^{}]*\}(?!\})\s*/g;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)\s*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const LIST_ITEM = /^(\s*)(?:[-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_DELIMITER = /^\s*(?:\|\s*)?:?-+:?\s*(?:\|\s*:?-+:?\s*)*(?:\|\s*)?$/;
const QUOTE_MARKERS = /^(?: {0,3}>[ \t]?)+/;
/** Tags and nothing else (`<div>`, `</TabItem>`): layout, no text. An image's alt text is text. */
const HTML_ONLY_LINE = /^\s*(?:<\/?[A-Za-z][^>]*>\s*)+$/;
const IMAGE_WITH_ALT = /<img\b[^>]*\balt\s*=\s*("[^"]+"|'[^']+')/i;
/** `[label]: url` defines a reference link and shows nothing; `[^1]: text` is a footnote and shows. */
const REFERENCE_DEFINITION = /^ {0,3}\[(?!\^)([^\]]+)\]:\s*\S/;
const REFERENCE_DEFINITIONS = new RegExp(REFERENCE_DEFINITION.source, 'gm');
/** Docusaurus (MDX) pages import their components in lines of code that are not shown. */
const MDX_IMPORT = /^import\s[\w{},*\s]*[\w{},*\s]\sfrom\s+['"][^'"]+['"];?\s*$/;
/**
 * Admonition and callout markers, each with the type in group 1 and the title, if any, in group 2. MkDocs
 * admonitions (`!!! note "Title"`, collapsible `??? tip`) and content tabs (`=== "Linux"`, whose name is
 * dropped like a Hugo tab's) have an indented body; Docusaurus' `:::tip Title` or `:::tip[Title]` runs to
 * `:::`; GitHub alerts (`> [!NOTE]`) and Obsidian callouts (`> [!warning]- Title`) are blockquotes.
 */
const MKDOCS_ADMONITION = /^(?:!!!|\?\?\?\+?)[ \t]+([\w-]+)(?:[ \t]+[\w-]+)*[ \t]*(?:"([^"]*)"[ \t]*)?$/;
const MKDOCS_TAB = /^===\+?[ \t]+"[^"]*"[ \t]*$/;
const DOCUSAURUS_ADMONITION = /^:{3,}[ \t]*(?:([A-Za-z][\w-]*)([^]*))?$/;
const CALLOUT = /^\[!([\w-]+)\][+-]?[ \t]*(.*)$/;
/** The first characters of all the block syntax above: a line starting otherwise is text. */
const BLOCK_START = /^(?:[#=*_+!?:[<|~`\-\d]|import\s)/;
const HAN_OR_FULLWIDTH = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/**
 * HTML comments carry no answerable text (Kubernetes' Chinese docs keep the English original in them). An
 * unclosed `<!--` stays as written, and so does everything after it: nothing later can close a comment.
 */
function blankHtmlComments(body: string): string {
  const parts: string[] = [];
  let last = 0;
  for (let start = body.indexOf('<!--'); start !== -1; start = body.indexOf('<!--', last)) {
    const end = body.indexOf('-->', start + 4);
    if (end === -1) break;
    let newlines = 0;
    for (let i = start; i < end; i++) if (body.charCodeAt(i) === 10) newlines++;
    parts.push(body.slice(last, start), '\n'.repeat(newlines));
    last = end + 3;
  }
  parts.push(body.slice(last));
  return parts.join('');
}

/** The characters a reader sees at a line's ends: a link's target and emphasis marks are not seen. */
// The lookbehind lets the marks' regex start only where a run of them does: a long run stays linear.
const lastSeenChar = (line: string) => line.replace(/\]\([^()]*\)$/, '').replace(/(?<![*_`])[*_`]+$/, '').slice(-1);
const firstSeenChar = (line: string) => line.replace(/^[*_`[]+/, '').charAt(0);

/** Joins soft-wrapped lines the way a renderer would: no space between Chinese characters. */
function joinLines(lines: string[]): string {
  const parts: string[] = [];
  let lastChar = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (parts.length && !(HAN_OR_FULLWIDTH.test(lastChar) && HAN_OR_FULLWIDTH.test(firstSeenChar(line)))) parts.push(' ');
    parts.push(line);
    lastChar = lastSeenChar(line);
  }
  return parts.join('');
}

const SENTENCE_END = /[.!?;](?=\s)|[。！？；]/g;

/**
 * Where a piece of `text` starting at `from` and holding at most `max` characters best ends: at its last
 * sentence end, else its last space, as long as that keeps at least half of it; else anywhere outside a
 * surrogate pair. Each piece is at least half full, so splitting a text is linear in its length.
 */
function pieceEnd(text: string, from: number, max: number): number {
  const window = text.slice(from, from + max);
  let end = 0;
  for (const m of window.matchAll(SENTENCE_END)) end = m.index + m[0].length;
  if (end < max / 2) end = window.lastIndexOf(' ') + 1;
  if (end < max / 2) end = max - (/[\ud800-\udbff]/.test(window.charAt(max - 1)) ? 1 : 0);
  return from + end;
}

/** `text` in pieces of at most `max` characters, split where `pieceEnd` says. */
function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let from = 0;
  for (let end; text.length - from > max; from = end) {
    end = pieceEnd(text, from, max);
    pieces.push(text.slice(from, end).trim());
  }
  pieces.push(text.slice(from).trim());
  return pieces.filter(Boolean);
}

/** `text` cut to at most `max` characters where `pieceEnd` says, the cut marked with an ellipsis. */
const cutText = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, pieceEnd(text, 0, max - 1)).trimEnd()}…`);

/** Code in pieces of at most `max` characters, split between lines (a longer line is split on its own). */
function splitCode(code: string, max: number): string[] {
  if (code.length <= max) return code ? [code] : [];
  const pieces: string[] = [];
  let piece: string[] = [];
  let size = 0;
  for (const line of code.split('\n')) {
    for (const part of line.length > max ? splitText(line, max) : [line]) {
      if (piece.length > 0 && size + part.length > max) {
        pieces.push(piece.join('\n'));
        piece = [];
        size = 0;
      }
      piece.push(part);
      size += part.length + 1;
    }
  }
  pieces.push(piece.join('\n'));
  return pieces.filter((p) => p.trim());
}

/** A table row's cells, each cut to its share of the passage cap, and at most 100 of them (40 characters each). */
function fitCells(cells: string[], max: number): string[] {
  if (cells.reduce((sum, c) => sum + c.length, 0) <= max) return cells;
  const share = Math.max(40, Math.floor(max / cells.length));
  return cells.slice(0, Math.floor(max / share)).map((c) => cutText(c, share));
}

function tableCells(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

function withoutClosingHashes(text: string): string {
  const trimmed = text.trimEnd();
  let end = trimmed.length;
  while (end > 0 && trimmed[end - 1] === '#') end--;
  return trimmed.slice(0, end).trimEnd();
}

const indentOf = (line: string) => line.length - line.trimStart().length;

function dedent(lines: string[]): string {
  const indents = lines.filter((l) => l.trim()).map(indentOf);
  const cut = indents.reduce((min, indent) => Math.min(min, indent), indents[0] ?? 0);
  return lines.map((l) => l.slice(cut)).join('\n').trimEnd();
}

/**
 * A Docusaurus marker's type and title: `:::tip Title`, `:::tip[Title]`, maybe with `{attributes}`; `:::`
 * alone closes one. Its title is read in code: as part of the regex it made a line of spaces cubic.
 */
function docusaurusAdmonition(line: string): [string, string | undefined, string | undefined] | null {
  const m = DOCUSAURUS_ADMONITION.exec(line);
  if (!m) return null;
  const [marker, type, rest = ''] = m;
  let title = rest.trim();
  if (title.endsWith('}')) {
    const open = title.indexOf('{', title.lastIndexOf('}', title.length - 2) + 1);
    if (open !== -1 && open < title.length - 1) title = title.slice(0, open).trim();
  }
  if (title.startsWith('[')) title = title.slice(1);
  if (title.endsWith(']')) title = title.slice(0, -1);
  return /[\]{]/.test(title) ? null : [marker, type, title.trim()];
}

/** An admonition title worth reading: one the author wrote, not the type's name repeated. */
function ownTitle([, type, title]: readonly (string | undefined)[]): string | undefined {
  const written = title?.trim();
  return type && written && written.toLowerCase() !== type.toLowerCase() ? written : undefined;
}

interface OpenBlock {
  kind: 'paragraph' | 'list-item';
  line: number;
  indent: number;
  lines: string[];
  /** A blank line was seen inside a list item; only indented text continues it now. */
  gap: boolean;
}

interface OpenFence {
  line: number;
  indent: number;
  lang: string;
  closer: RegExp;
  lines: string[];
  /** Opened inside a blockquote: it ends where the quote ends. */
  quoted: boolean;
  /** Opened inside this many MkDocs bodies: it ends where the innermost one ends. */
  depth: number;
}

type FenceOpening = [indent: string, marker: string, lang: string];

/** The parts of a line that opens a code fence; no backtick may follow the marker. */
function fenceOpening(line: string): FenceOpening | null {
  const m = FENCE_OPEN.exec(line);
  return m && !m[3]!.includes('`') ? [m[1]!, m[2]!, FENCE_INFO.exec(m[3]!)![1]!] : null;
}

function openFence([indent, marker, info]: FenceOpening, line: number, quoted: boolean, depth: number): OpenFence {
  const closer = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
  return { line, indent: indent.length, lang: info.toLowerCase(), closer, lines: [], quoted, depth };
}

/** An indented MkDocs body: it lasts while lines are indented at least as deep as its first line. */
interface IndentedBody {
  markerIndent: number;
  bodyIndent?: number;
}

/**
 * Splits a note's markdown into sections (by heading) and passages: paragraphs, list items (each its own
 * passage, nested ones too), table rows paired with their header, and code blocks with their language.
 * Hugo shortcodes, admonitions (MkDocs, Docusaurus, GitHub and Obsidian), blockquotes and HTML are
 * unwrapped to the text they show. This is a deliberately small line scanner, linear in the note's length:
 * it must stay fast on thousands of documentation pages.
 */
export function parseMarkdown(body: string, firstLine: number, options: ParseOptions = {}): ParsedBody {
  const { text, codeBlocks } = expandShortcodes(blankHtmlComments(body), options.lang ?? 'en');
  const lines = text.split(/\r?\n/);
  const references = new Set(text.includes(']:') ? Array.from(text.matchAll(REFERENCE_DEFINITIONS), (m) => referenceLabel(m[1]!)) : []);
  const inline: InlineContext = { noteUrl: options.url, references };
  const plain: InlineContext = { ...inline, links: false };
  const sections: Section[] = [];
  const headingStack: string[] = [];
  const indentedBodies: IndentedBody[] = [];
  let section: Section = { headings: [], line: firstLine, passages: [] };
  let block: OpenBlock | null = null;
  let fence: OpenFence | null = null;
  let tableHeader: string[] | null = null;
  let h1: string | undefined;
  const capped: ParsedBody['capped'] = { passages: [], headings: [] };
  const max = LIMITS.passageChars;

  const push = (passage: Passage) => section.passages.push(passage);
  const pushCode = (line: number, lang: string, codeLines: string[]) => {
    const pieces = splitCode(dedent(codeLines), max);
    if (pieces.length > 1) capped.passages.push(line);
    for (const code of pieces) push({ kind: 'code', line, lang, code });
  };
  const pushText = (kind: OpenBlock['kind'], line: number, raw: string) => {
    // A list item that is only a link to a heading of the same page is a table of contents: it repeats a
    // heading, and would answer for the section it points to.
    if (kind === 'list-item' && IN_PAGE_LINK_ONLY.test(raw)) return;
    // Split before rendering: inline markup is then read in pieces of bounded length, whatever the paragraph.
    const pieces = splitText(raw, max).map((piece) => renderInline(piece, inline));
    // Resolved links can make a piece longer than it was written.
    if (pieces.length > 1 || pieces.some((text) => text.length > max)) capped.passages.push(line);
    for (const text of pieces) if (text) push({ kind, line, text: cutText(text, max) });
  };
  const rowCells = (line: number, raw: string, context: InlineContext) => {
    const cells = tableCells(raw).map((cell) => renderInline(cell.slice(0, max), context));
    const fitted = fitCells(cells, max);
    if (fitted !== cells) capped.passages.push(line);
    return fitted;
  };
  const flush = () => {
    if (block) pushText(block.kind, block.line, joinLines(block.lines));
    block = null;
  };
  const closeSection = () => {
    flush();
    if (section.passages.length > 0) sections.push(section);
  };
  const startSection = (level: number, raw: string, line: number) => {
    closeSection();
    const rendered = renderInline(raw.slice(0, max).replace(HEADING_ATTRIBUTES, ' '), plain);
    const heading = cutText(rendered, LIMITS.headingChars);
    if (heading !== rendered) capped.headings.push(line);
    if (level === 1 && h1 === undefined) h1 = heading;
    headingStack.length = level - 1;
    headingStack[level - 1] = heading;
    section = { headings: headingStack.filter(Boolean), line, passages: [] };
  };

  /** Ends the MkDocs bodies a line is not indented into and strips the indentation of the one it is in. */
  const unindent = (raw: string): string => {
    const indent = indentOf(raw);
    if (raw.trim()) {
      while (indentedBodies.length && indent < (indentedBodies.at(-1)!.bodyIndent ?? indentedBodies.at(-1)!.markerIndent + 1)) indentedBodies.pop();
      const innermost = indentedBodies.at(-1);
      if (innermost && innermost.bodyIndent === undefined) innermost.bodyIndent = indent;
    }
    return raw.slice(Math.min(indent, indentedBodies.at(-1)?.bodyIndent ?? 0));
  };

  /** Reads a line that opens a block or marks one up (table, heading, admonition, list item...); false for text. */
  const readBlockSyntax = (content: string, trimmed: string, quoted: boolean, rawIndent: number, lineNo: number): boolean => {
    // A table's header is the line before its delimiter row, read so far as text (a list item's own line is not).
    const header = block && block.lines.length > (block.kind === 'list-item' ? 1 : 0) ? block.lines.at(-1)! : undefined;
    if (header?.includes('|') && TABLE_DELIMITER.test(content) && content.includes('-')) {
      block!.lines.pop();
      if (block!.lines.length === 0) block = null;
      flush();
      tableHeader = rowCells(lineNo - 1, header, plain);
      return true;
    }

    const setext = SETEXT_UNDERLINE.exec(content);
    if (setext && block?.kind === 'paragraph') {
      const { line, lines: headingLines } = block;
      block = null;
      startSection(setext[1]![0] === '=' ? 1 : 2, joinLines(headingLines), line);
      return true;
    }
    if (THEMATIC_BREAK.test(content)) {
      flush();
      return true;
    }

    const heading = HEADING.exec(content);
    if (heading) {
      startSection(heading[1]!.length, withoutClosingHashes(heading[2]!), lineNo);
      return true;
    }

    const indentedMarker = MKDOCS_ADMONITION.exec(trimmed) ?? MKDOCS_TAB.exec(trimmed);
    const marker = indentedMarker ?? docusaurusAdmonition(trimmed) ?? (quoted ? CALLOUT.exec(trimmed) : null);
    if (marker) {
      flush();
      if (indentedMarker) indentedBodies.push({ markerIndent: rawIndent });
      const title = ownTitle(marker);
      if (title) pushText('paragraph', lineNo, title);
      return true;
    }

    if ((HTML_ONLY_LINE.test(content) && !IMAGE_WITH_ALT.test(content)) || REFERENCE_DEFINITION.test(content) || MDX_IMPORT.test(content)) return true;

    const item = LIST_ITEM.exec(content);
    if (item) {
      flush();
      block = { kind: 'list-item', line: lineNo, indent: item[1]!.length, lines: [item[2]!], gap: false };
      return true;
    }
    return false;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = firstLine + i;

    const lifted = fence ? undefined : codeBlocks.get(i);
    if (lifted) {
      flush();
      tableHeader = null;
      pushCode(lineNo, lifted.lang, lifted.code.split(/\r?\n/));
      i = lifted.lastLine;
      continue;
    }

    const unindented = unindent(raw);
    const quoted = QUOTE_MARKERS.exec(unindented);
    const content = quoted ? unindented.slice(quoted[0].length) : unindented;

    if (fence) {
      const containerEnded = (fence.quoted && !quoted) || indentedBodies.length < fence.depth;
      if (!containerEnded && !fence.closer.test(content)) {
        fence.lines.push(content.slice(Math.min(fence.indent, indentOf(content))));
        continue;
      }
      pushCode(fence.line, fence.lang, fence.lines);
      fence = null;
      if (!containerEnded) continue;
    }

    if (!content.trim()) {
      tableHeader = null;
      if (block?.kind === 'list-item') block.gap = true;
      else flush();
      continue;
    }

    if (tableHeader) {
      if (content.includes('|')) {
        push({ kind: 'table-row', line: lineNo, header: tableHeader, cells: rowCells(lineNo, content, inline) });
        continue;
      }
      tableHeader = null;
    }

    const trimmed = content.trim();
    const mayBeBlock = BLOCK_START.test(trimmed);
    const fenceOpen = mayBeBlock ? fenceOpening(content) : null;
    if (fenceOpen) {
      flush();
      fence = openFence(fenceOpen, lineNo, quoted !== null, indentedBodies.length);
      continue;
    }
    if (mayBeBlock && readBlockSyntax(content, trimmed, quoted !== null, indentOf(raw), lineNo)) continue;

    if (block) {
      const indented = indentOf(content) > block.indent;
      if (block.kind === 'paragraph' || !block.gap || indented) {
        block.lines.push(content);
        continue;
      }
      flush();
    }
    block = { kind: 'paragraph', line: lineNo, indent: 0, lines: [content], gap: false };
  }
  if (fence) {
    pushCode(fence.line, fence.lang, fence.lines);
    closeSection();
    return { sections, h1, unclosedFenceLine: fence.line, capped };
  }
  closeSection();
  return { sections, h1, capped };
}
