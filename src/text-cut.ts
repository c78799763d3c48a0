/**
 * Cutting text to a platform's length limits, shared by every renderer. Limits count UTF-16 code units (what
 * JavaScript's `length`, Slack and Discord count), so a cut may fall between the two halves of a surrogate
 * pair (an emoji, a rare CJK character); both functions move such a cut one unit back, and no piece or
 * truncation ever ends in half a character.
 */

const isHighSurrogate = (text: string, index: number) => /[\ud800-\udbff]/.test(text.charAt(index));

/** `at`, or one less when cutting there would split a surrogate pair. */
const safeCut = (text: string, at: number) => (at > 0 && isHighSurrogate(text, at - 1) ? at - 1 : at);

/** Cuts to at most `max` characters, an ellipsis marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeCut(text, max - 1))}…`;
}

/**
 * Splits text into pieces of at most `max` characters, losing only the whitespace at a cut: at the last line
 * break that keeps a piece over half full, else the last space, else at the limit. Indentation after a line
 * break is kept (code stays readable); pieces that are only whitespace are dropped.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    // The character just past the window counts: a break there ends a full piece.
    const window = rest.slice(0, max + 1);
    const newline = window.lastIndexOf('\n');
    const space = window.lastIndexOf(' ');
    if (newline > max / 2) {
      pieces.push(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
    } else if (space > max / 2) {
      pieces.push(rest.slice(0, space).replace(/ +$/, ''));
      rest = rest.slice(space).replace(/^ +/, '');
    } else {
      const cut = safeCut(rest, max);
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
  }
  pieces.push(rest);
  return pieces.filter((piece) => piece.trim() !== '');
}
