import { basename } from 'node:path';
import { detectLang, type Lang } from '../lang.js';
import { formatProblem, type Problem } from '../problem.js';
import { fail, ok, type Result } from '../result.js';
import { walkFolder } from './files.js';
import { splitFrontMatter } from './front-matter.js';
import { LIMITS } from './limits.js';
import { parseMarkdown } from './markdown.js';
import { readTextFile } from './text-file.js';
import type { Note } from './note.js';

export interface Knowledge {
  dir: string;
  notes: Note[];
  /** Notes skipped or loaded with a caveat; reported, never fatal. */
  problems: Problem[];
}

const NOTE_FILE = /\.(md|markdown|txt)$/i;

/** Plain-text exports of blog notes (`.txt`) count only when they open with front matter. */
const isNoteSource = (file: string, source: string) => !/\.txt$/i.test(file) || /^---\s*\r?\n/.test(source);

/** A folder named after a language (`zh`, `zh-cn`, `en`) decides a note's language when its front matter does not. */
function langFromPath(path: string): Lang | undefined {
  for (const part of path.split('/').slice(0, -1)) {
    const p = part.toLowerCase();
    if (p === 'zh' || p.startsWith('zh-') || p.startsWith('zh_')) return 'zh';
    if (p === 'en' || p.startsWith('en-') || p.startsWith('en_')) return 'en';
  }
  return undefined;
}

/** C0 and C1 control characters but tab and newline: in a chat they show as nothing, or garble what follows. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

/**
 * Removes control characters from all a note shows, after its markup is read (an entity such as `&#27;` is
 * one too). Returns how many there were and the line of the first.
 */
function removeControls(note: Note): { count: number; line: number } | undefined {
  let count = 0;
  let first: number | undefined;
  const clean = (text: string, line: number) => {
    if (!CONTROL.test(text)) return text;
    const cleaned = text.replace(CONTROLS, '');
    count += text.length - cleaned.length;
    first ??= line;
    return cleaned;
  };
  // Every row of a table shares its header: clean it once.
  const headers = new Map<string[], string[]>();
  note.title = clean(note.title, 1);
  note.tags = note.tags.map((tag) => clean(tag, 1));
  for (const section of note.sections) {
    section.headings = section.headings.map((heading) => clean(heading, section.line));
    for (const p of section.passages) {
      if (p.kind === 'code') p.code = clean(p.code, p.line);
      else if (p.kind === 'table-row') {
        if (!headers.has(p.header)) headers.set(p.header, p.header.map((cell) => clean(cell, p.line)));
        p.header = headers.get(p.header)!;
        p.cells = p.cells.map((cell) => clean(cell, p.line));
      } else p.text = clean(p.text, p.line);
    }
  }
  return first === undefined ? undefined : { count, line: first };
}

/** "line 4", "lines 4, 9", or the first three lines and how many more. */
const linesOf = (lines: number[]) =>
  `line${lines.length === 1 ? '' : 's'} ${lines.length <= 3 ? lines.join(', ') : `${lines.slice(0, 3).join(', ')} and ${lines.length - 3} more`}`;

/** Parses one note's source. `path` is the note's name in messages and citations. */
export function parseNote(path: string, source: string): { note?: Note; problems: Problem[] } {
  const split = splitFrontMatter(source);
  if (!split.ok) return { problems: [{ file: path, severity: 'error', ...split.error }] };
  const { frontMatter, fieldProblems, body, bodyLine } = split.value;
  if (frontMatter.draft) return { problems: [] };
  const problems: Problem[] = fieldProblems.map((p) => ({ file: path, severity: 'warning', ...p }));

  const knownLang = frontMatter.lang ?? langFromPath(path);
  const parse = (lang: Lang | undefined) => parseMarkdown(body, bodyLine, { url: frontMatter.url, lang });
  let parsed = parse(knownLang);
  const title = frontMatter.title ?? parsed.h1 ?? basename(path).replace(NOTE_FILE, '');
  const sample = parsed.sections.flatMap((s) => s.passages.map((p) => ('text' in p ? p.text : ''))).join(' ').slice(0, 4000);
  const lang = knownLang ?? detectLang(`${title} ${sample}`);
  // Without a known language the note was read with English words for Hugo's heading shortcodes.
  if (lang !== (knownLang ?? 'en')) parsed = parse(lang);
  if (parsed.unclosedFenceLine !== undefined) {
    problems.push({
      file: path,
      line: parsed.unclosedFenceLine,
      severity: 'warning',
      message: 'code fence is never closed; the rest of the note was read as code',
    });
  }
  const { passages, headings } = parsed.capped;
  if (passages.length > 0) {
    const message = `${passages.length === 1 ? 'a passage' : `${passages.length} passages`} longer than ${LIMITS.passageChars} characters split or cut (${linesOf(passages)})`;
    problems.push({ file: path, line: passages[0]!, severity: 'warning', message });
  }
  if (headings.length > 0) {
    const message = `${headings.length === 1 ? 'a heading' : `${headings.length} headings`} longer than ${LIMITS.headingChars} characters cut (${linesOf(headings)})`;
    problems.push({ file: path, line: headings[0]!, severity: 'warning', message });
  }
  const sections = parsed.sections.slice(0, LIMITS.sectionsPerNote);
  if (parsed.sections.length > sections.length) {
    const message = `the note has ${parsed.sections.length} sections; only the first ${LIMITS.sectionsPerNote} were read, split it into smaller notes`;
    problems.push({ file: path, line: parsed.sections[LIMITS.sectionsPerNote]!.line, severity: 'warning', message });
  }
  for (const section of sections) {
    if (section.headings[0] === title) section.headings.shift();
  }
  const note: Note = {
    path,
    title,
    tags: frontMatter.tags,
    lang,
    sections,
    ...(frontMatter.url ? { url: frontMatter.url } : {}),
    ...(frontMatter.date ? { date: frontMatter.date } : {}),
  };
  const controls = removeControls(note);
  if (controls) {
    const message = `${controls.count} control character${controls.count === 1 ? '' : 's'} removed (first on line ${controls.line})`;
    problems.push({ file: path, line: controls.line, severity: 'warning', message });
  }
  return { note, problems };
}

/**
 * Loads every note under `dir`. One broken note or folder entry never stops the others: it is listed in
 * `problems` with its file and line. Only a folder that is missing, not a folder, or holds no usable note is
 * an error, because a bot with nothing to say should not start.
 */
export function loadKnowledge(dir: string): Result<Knowledge> {
  const advice = 'Point KNOWLEDGE_DIR or --knowledge at a folder of markdown notes.';
  const listing = walkFolder(dir, NOTE_FILE);
  if (!listing.ok) return fail(`Knowledge folder ${dir} ${listing.error}. ${advice}`);
  const { files } = listing.value;
  const problems = [...listing.value.problems];
  const firstProblem = () => (problems[0] ? ` First problem: ${formatProblem(problems[0])}.` : '');
  if (files.length === 0) return fail(`Knowledge folder ${dir} holds no markdown notes (*.md, *.markdown, or *.txt with front matter).${firstProblem()} ${advice}`);

  const notes: Note[] = [];
  for (const { name, real } of files) {
    const source = readTextFile(real);
    if (!source.ok) {
      problems.push({ file: name, severity: 'error', ...source.error });
      continue;
    }
    if (!isNoteSource(name, source.value)) continue;
    const result = parseNote(name, source.value);
    problems.push(...result.problems);
    if (result.note && result.note.sections.length > 0) notes.push(result.note);
  }
  if (notes.length === 0) {
    return fail(`None of the ${files.length} notes in ${dir} could be used (drafts, empty or broken).${firstProblem() || ' All are drafts or empty.'} ${advice}`);
  }
  return ok({ dir, notes, problems });
}
