import { parseEnv } from 'node:util';

/** A line of a `.env` file that does not set anything the way it looks like it should, and why. */
export interface EnvLineProblem {
  line: number;
  message: string;
}

/** What a `.env` file sets, the line each name is on, and every line that could not be read. */
export interface EnvFile {
  values: Record<string, string>;
  lines: Map<string, number>;
  problems: EnvLineProblem[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUOTES = new Set(['"', "'", '`']);
// Tab is ordinary whitespace; every other control character is a sign of a corrupt or binary file.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** A name is shown in a report so the line can be found; anything longer is not a name, and may be a secret. */
const shownName = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Reads one setting line, `NAME=value`, `export NAME=value`, with the value bare, quoted or followed by a
 * `# comment`. The line is split here so no line can run into the next one (Node 20's `parseEnv` reads a
 * line without `=` as the start of the next line's name); the value itself is read by `parseEnv`.
 */
function readLine(text: string): { name: string; value: string } | { problem: string } | undefined {
  const line = text.trim();
  if (line === '' || line.startsWith('#')) return undefined;
  if (CONTROL.test(text)) return { problem: 'holds control characters; a .env file is plain text, one NAME=value per line' };
  const eq = line.indexOf('=');
  if (eq < 0) {
    const word = /^[^\s:]+/.exec(line)?.[0] ?? '';
    // A lone name, or an upper-case one before its value, is a setting missing its "="; other words are not a setting.
    const meantAsSetting = NAME.test(word) && (word === line || /^[A-Z][A-Z0-9_]*$/.test(word));
    if (!meantAsSetting) return { problem: 'is not a setting: expected NAME=value, a # comment or a blank line' };
    return { problem: `${word} has no "=": write ${word}=value` };
  }
  const name = line.slice(0, eq).replace(/^export\s+/, '').trim();
  if (!NAME.test(name)) return { problem: `"${shownName(name)}" is not a variable name: use letters, digits and _ (NAME=value)` };
  const value = line.slice(eq + 1).trim();
  const quote = value[0];
  if (quote !== undefined && QUOTES.has(quote)) {
    const close = value.indexOf(quote, 1);
    if (close < 0) return { problem: `the ${quote} quote of ${name} is not closed on this line (values are one line; write \\n for a line break)` };
    if (!/^\s*(#.*)?$/.test(value.slice(close + 1))) return { problem: `${name} has text after its closing ${quote} quote; put the whole value inside the quotes` };
  } else if (/(^|[^\s])#/.test(value)) {
    return { problem: `# starts a comment, so the value of ${name} would be cut there; quote the value ("...") if # belongs to it` };
  }
  const parsed = parseEnv(`${name}=${value}`)[name];
  if (parsed === undefined) return { problem: `the value of ${name} cannot be read` };
  // A shell would expand these; here they stay as written (DATA_DIR=~/bot makes a folder named "~"). Single quotes say "as written".
  if (quote !== "'" && /\$\{?[A-Za-z_]/.test(parsed)) return { problem: `the value of ${name} holds a $VARIABLE, which .env does not expand; write the value out, or single-quote it if the $ belongs to it` };
  if (quote !== "'" && /^~(\/|$)/.test(parsed)) return { problem: `the value of ${name} starts with ~, which .env does not expand; write the full path` };
  return { name, value: parsed };
}

/** Reads the text of a `.env` file, line by line; a line that cannot be read never affects another. */
export function parseEnvFile(text: string): EnvFile {
  const values: Record<string, string> = {};
  const lines = new Map<string, number>();
  const problems: EnvLineProblem[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((content, index) => {
      const line = index + 1;
      const read = readLine(content);
      if (read === undefined) return;
      if ('problem' in read) {
        problems.push({ line, message: read.problem });
        return;
      }
      const first = lines.get(read.name);
      if (first !== undefined) {
        problems.push({ line, message: `${read.name} is set again (first on line ${first}); keep one` });
        return;
      }
      values[read.name] = read.value;
      lines.set(read.name, line);
    });
  return { values, lines, problems };
}
