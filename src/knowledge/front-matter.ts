import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { LangSchema } from '../lang.js';
import { fail, ok, type Result } from '../result.js';

/** Hugo-style front matter. Unknown keys (toc, authors, series, ...) are allowed and ignored. */
export const FrontMatterSchema = z.looseObject({
  title: z.string().trim().min(1, 'must not be empty').optional(),
  tags: z
    .union([z.array(z.coerce.string()), z.string()])
    .nullish()
    .transform((t) => (t == null ? [] : Array.isArray(t) ? t : [t])),
  date: z.union([z.string(), z.date()]).nullish().transform((d) => (d instanceof Date ? d.toISOString() : (d ?? undefined))),
  draft: z.boolean().nullish().transform((d) => d ?? false),
  lang: LangSchema.nullish().transform((l) => l ?? undefined),
  url: z.url().nullish().transform((u) => u ?? undefined),
});
export type FrontMatter = z.infer<typeof FrontMatterSchema>;

export interface SplitNote {
  frontMatter: FrontMatter;
  /** The markdown after the front matter. */
  body: string;
  /** 1-based line of the file where `body` starts. */
  bodyLine: number;
}

export interface LocatedError {
  line: number;
  message: string;
}

const OPEN = /^---\s*$/;
const CLOSE = /^(---|\.\.\.)\s*$/;

/** Separates and validates the front matter; a note without any is all body. */
export function splitFrontMatter(source: string): Result<SplitNote, LocatedError> {
  const lines = source.split(/\r?\n/);
  if (!OPEN.test(lines[0] ?? '')) return ok({ frontMatter: FrontMatterSchema.parse({}), body: source, bodyLine: 1 });

  const end = lines.findIndex((line, i) => i > 0 && CLOSE.test(line));
  if (end < 0) return fail({ line: 1, message: 'front matter opened with "---" is never closed' });

  const yamlText = lines.slice(1, end).join('\n');
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = 1 + (yamlError.linePos?.[0].line ?? 1);
    // yaml's own position counts from the front matter, not the file: drop it in favour of `line`.
    const reason = yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return fail({ line, message: `invalid YAML in front matter: ${reason}` });
  }

  const parsed = FrontMatterSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const node = key ? doc.get(key, true) : undefined;
    const offset = isNode(node) ? node.range?.[0] : undefined;
    const line = offset === undefined ? 1 : 1 + counter.linePos(offset).line;
    return fail({ line, message: `front matter field "${key}": ${issue.message}` });
  }
  return ok({ frontMatter: parsed.data, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 });
}
