import { z } from 'zod';
import { fail, ok, type Result } from '../result.js';
import { LIMITS } from './limits.js';
import { yaml } from './yaml.js';

const BOOLEAN_WORD = /^(true|false|yes|no|on|off)$/i;

/**
 * Hugo-style front matter. Each field is checked on its own, so one bad field costs only itself; unknown keys
 * (toc, authors, series, ...) are ignored. An empty field (`tags:`) is as good as none.
 */
export const FrontMatterSchema = z.object({
  title: z
    .string({ error: 'must be text, like title: "Deployments and rollouts" (quote a title that is a number)' })
    .trim()
    .min(1, 'must not be empty')
    .max(LIMITS.headingChars, `must be at most ${LIMITS.headingChars} characters`)
    .nullish()
    .transform((t) => t ?? undefined),
  tags: z
    .union([z.array(z.string()), z.string()], { error: 'must be a list of words, like tags: ["k8s", "deployment"] (quote a tag that is a number)' })
    .nullish()
    .transform((t) => (t == null ? [] : Array.isArray(t) ? t : [t])),
  date: z
    .union([z.iso.datetime({ offset: true, local: true }), z.iso.date()], { error: 'must be a date, like 2026-11-24 or 2026-11-24T10:00:00+08:00' })
    .nullish()
    .transform((d) => d ?? undefined),
  // Hugo reads YAML 1.1, where yes/no/on/off are booleans too: `draft: yes` must keep a draft out.
  draft: z
    .union([z.boolean(), z.string().regex(BOOLEAN_WORD).transform((w) => /^(true|yes|on)$/i.test(w))], { error: 'must be true or false' })
    .nullish()
    .transform((d) => d ?? false),
  lang: z
    .string({ error: 'must be zh or en' })
    .trim()
    .toLowerCase()
    .regex(/^(zh|en)([-_][a-z\d]+)*$/, 'must be zh or en (zh-CN, en-US and the like also do)')
    .transform((l) => (l.startsWith('zh') ? 'zh' : 'en') as 'zh' | 'en')
    .nullish()
    .transform((l) => l ?? undefined),
  // Answers send it out as a link: only a web address may be followed from a chat.
  url: z
    .url({ protocol: /^https?$/, error: 'must be a web address starting with http:// or https://' })
    .transform((u) => new URL(u).href)
    .nullish()
    .transform((u) => u ?? undefined),
});
export type FrontMatter = z.infer<typeof FrontMatterSchema>;

export interface LocatedError {
  line: number;
  message: string;
}

export interface SplitNote {
  frontMatter: FrontMatter;
  /** Fields that were dropped, each with its line and why; the note is read without them. */
  fieldProblems: LocatedError[];
  /** The markdown after the front matter. */
  body: string;
  /** 1-based line of the file where `body` starts. */
  bodyLine: number;
}

const OPEN = /^---\s*$/;
const CLOSE = /^(---|\.\.\.)\s*$/;
const FIELDS = Object.keys(FrontMatterSchema.shape) as (keyof typeof FrontMatterSchema.shape)[];

/**
 * Separates the front matter and checks it field by field. Front matter that cannot be read as YAML at all
 * fails (whether the note is a draft is then unknown); a note without any is all body.
 */
export function splitFrontMatter(source: string): Result<SplitNote, LocatedError> {
  const lines = source.split(/\r?\n/);
  if (!OPEN.test(lines[0] ?? '')) return ok({ frontMatter: FrontMatterSchema.parse({}), fieldProblems: [], body: source, bodyLine: 1 });

  const end = lines.findIndex((line, i) => i > 0 && CLOSE.test(line));
  if (end < 0) return fail({ line: 1, message: 'front matter opened with "---" is never closed' });

  const yamlText = lines.slice(1, end).join('\n');
  if (yamlText.length > LIMITS.frontMatterChars) {
    return fail({ line: 1, message: `front matter is ${yamlText.length} characters long, over the ${LIMITS.frontMatterChars} it may have` });
  }
  const { isMap, isScalar, LineCounter, parseDocument } = yaml();
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter });
  // yaml counts lines from the front matter's first line, the file from the "---" above it.
  const fileLine = (offset: number | undefined) => (offset === undefined ? 1 : 1 + counter.linePos(offset).line);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const reason = yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return fail({ line: 1 + (yamlError.linePos?.[0].line ?? 1), message: `invalid YAML in front matter: ${reason}` });
  }

  const body = { body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 };
  if (doc.contents === null) return ok({ frontMatter: FrontMatterSchema.parse({}), fieldProblems: [], ...body });
  if (!isMap(doc.contents)) {
    const problem = { line: fileLine(doc.contents.range?.[0]), message: 'front matter must be fields, like title: ...; it was ignored' };
    return ok({ frontMatter: FrontMatterSchema.parse({}), fieldProblems: [problem], ...body });
  }

  let values: Record<string, unknown>;
  try {
    values = doc.toJS() as Record<string, unknown>;
  } catch (error) {
    // Aliases are resolved only here: one to no anchor, or so many that they would fill memory.
    return fail({ line: 1, message: `invalid YAML in front matter: ${(error as Error).message.split(':')[0]}` });
  }
  const fieldProblems: LocatedError[] = [];
  const kept: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const checked = FrontMatterSchema.shape[field].safeParse(values[field]);
    if (checked.success) {
      kept[field] = values[field];
      continue;
    }
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === field);
    const key = isScalar(pair?.key) ? pair.key : undefined;
    fieldProblems.push({ line: fileLine(key?.range?.[0]), message: `front matter field "${field}" ${checked.error.issues[0]!.message}; it was ignored` });
  }
  fieldProblems.sort((a, b) => a.line - b.line);
  return ok({ frontMatter: FrontMatterSchema.parse(kept), fieldProblems, ...body });
}
