import type { Lang } from '../lang.js';

/**
 * The smallest piece of a note that can answer a question. Answers quote one passage rather than a whole
 * section, so each kind keeps the structure an adapter needs to show it well.
 */
export type Passage =
  | { kind: 'paragraph' | 'list-item'; line: number; text: string }
  | { kind: 'code'; line: number; lang: string; code: string }
  | { kind: 'table-row'; line: number; header: string[]; cells: string[] };

export interface Section {
  /** Headings from the note's top level down to this section; empty for text before the first heading. */
  headings: string[];
  line: number;
  passages: Passage[];
}

export interface Note {
  /** Path relative to the knowledge folder, with forward slashes: what sources cite. */
  path: string;
  title: string;
  tags: string[];
  lang: Lang;
  url?: string;
  date?: string;
  sections: Section[];
}
