import { z } from 'zod';
import type { Note, Section } from './note.js';

/**
 * A link from a command or tip to what explains it further: a note section (`en/07-deployment.md#Rolling
 * update`, the heading as written) or a catalog command (`kubectl rollout history`). Data files name
 * targets by what people can read in the notes; `resolveRef` turns them into something a reply can cite.
 */
export const RefSchema = z
  .string()
  .trim()
  .regex(/^((zh|en)\/[^#]+\.md#.+|(kubectl|docker) [a-z][a-z0-9 -]*)$/, 'must be "zh|en/<note>.md#<heading>" or "kubectl|docker <command>"');
export type Ref = z.infer<typeof RefSchema>;

export type RefTarget =
  | { kind: 'section'; note: Note; section: Section }
  | { kind: 'command'; command: string };

/**
 * Finds what a ref points at among the loaded notes and command names (`kubectl rollout undo`). Undefined
 * when the target is gone, e.g. a heading was renamed: callers skip the link rather than cite nothing.
 */
export function resolveRef(ref: Ref, notesByPath: ReadonlyMap<string, Note>, commands: ReadonlySet<string>): RefTarget | undefined {
  const hash = ref.indexOf('#');
  if (hash < 0) return commands.has(ref) ? { kind: 'command', command: ref } : undefined;
  const path = ref.slice(0, hash);
  const heading = ref.slice(hash + 1);
  const note = notesByPath.get(path);
  const section = note?.sections.find((s) => s.headings.at(-1) === heading);
  return note && section ? { kind: 'section', note, section } : undefined;
}
