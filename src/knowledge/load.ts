import { readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { detectLang, type Lang } from '../lang.js';
import { fail, ok, type Result } from '../result.js';
import { listFiles } from './files.js';
import { splitFrontMatter } from './front-matter.js';
import { parseMarkdown } from './markdown.js';
import type { Problem } from '../problem.js';
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

/** Parses one note's source. `path` is the note's name in messages and citations. */
export function parseNote(path: string, source: string): { note?: Note; problems: Problem[] } {
  const split = splitFrontMatter(source);
  if (!split.ok) return { problems: [{ file: path, severity: 'error', ...split.error }] };
  const { frontMatter, body, bodyLine } = split.value;
  if (frontMatter.draft) return { problems: [] };

  const knownLang = frontMatter.lang ?? langFromPath(path);
  const parse = (lang: Lang | undefined) => parseMarkdown(body, bodyLine, { url: frontMatter.url, lang });
  let parsed = parse(knownLang);
  const title = frontMatter.title ?? parsed.h1 ?? basename(path).replace(NOTE_FILE, '');
  const sample = parsed.sections.flatMap((s) => s.passages.map((p) => ('text' in p ? p.text : ''))).join(' ').slice(0, 4000);
  const lang = knownLang ?? detectLang(`${title} ${sample}`);
  // Without a known language the note was read with English words for Hugo's heading shortcodes.
  if (lang !== (knownLang ?? 'en')) parsed = parse(lang);
  const problems: Problem[] = [];
  if (parsed.unclosedFenceLine !== undefined) {
    problems.push({
      file: path,
      line: parsed.unclosedFenceLine,
      severity: 'warning',
      message: 'code fence is never closed; the rest of the note was read as code',
    });
  }
  for (const section of parsed.sections) {
    if (section.headings[0] === title) section.headings.shift();
  }
  const note: Note = {
    path,
    title,
    tags: frontMatter.tags,
    lang,
    sections: parsed.sections,
    ...(frontMatter.url ? { url: frontMatter.url } : {}),
    ...(frontMatter.date ? { date: frontMatter.date } : {}),
  };
  return { note, problems };
}

/**
 * Loads every note under `dir`. One broken note never stops the others: it is listed in `problems` with its
 * file and line. Only a folder that is missing or holds no usable note is an error, because a bot with
 * nothing to say should not start.
 */
export function loadKnowledge(dir: string): Result<Knowledge> {
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) return fail(`Knowledge path ${dir} is not a folder. Point KNOWLEDGE_DIR or --knowledge at a folder of markdown notes.`);
    files = listFiles(dir, NOTE_FILE);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    return fail(`Knowledge folder ${dir} ${reason}. Point KNOWLEDGE_DIR or --knowledge at a folder of markdown notes.`);
  }
  if (files.length === 0) return fail(`Knowledge folder ${dir} holds no markdown notes (*.md, *.markdown, or *.txt with front matter). Add notes there or point KNOWLEDGE_DIR elsewhere.`);

  const notes: Note[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const path = relative(dir, file).split(sep).join('/');
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push({ file: path, line: 1, severity: 'error', message: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    if (!isNoteSource(file, source)) continue;
    const result = parseNote(path, source);
    problems.push(...result.problems);
    if (result.note && result.note.sections.length > 0) notes.push(result.note);
  }
  if (notes.length === 0) {
    return fail(`None of the ${files.length} notes in ${dir} could be used (drafts, empty or broken). First problem: ${problems[0] ? `${problems[0].file}:${problems[0].line} ${problems[0].message}` : 'all are drafts or empty'}`);
  }
  return ok({ dir, notes, problems });
}
