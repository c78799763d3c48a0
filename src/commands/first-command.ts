const SEPARATORS = ['&&', '||', ';', '|', '&', '\n'];

/**
 * The first command of a pasted shell line, and what was left off from its first separator on (`;`, `&&`,
 * `||`, `|`, `&` or a line break): that is another command, not part of this one. Separators inside quotes or
 * after a backslash belong to an argument (`-l 'app in (a|b)'`), as the shell reads them.
 */
export function firstCommand(line: string): { command: string; ignored?: string } {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (SEPARATORS.some((s) => line.startsWith(s, i))) {
      const ignored = line.slice(i).trim();
      // A trailing `;` or `&` leaves nothing out worth a note.
      return { command: line.slice(0, i).trim(), ...(/[^;&|\s]/.test(ignored) ? { ignored } : {}) };
    }
  }
  return { command: line.trim() };
}
