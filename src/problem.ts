/**
 * Something wrong in one file of the knowledge folder (a note, a catalog entry, a tip). `error` means that
 * item was skipped; `warning` means it loaded anyway. Problems are reported, never fatal: one bad file must
 * not take the rest of the knowledge down with it.
 */
export interface Problem {
  file: string;
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

export const formatProblem = (p: Problem): string =>
  `${p.file}:${p.line}: ${p.message}${p.severity === 'error' ? ' (skipped)' : ''}`;
