/** How long one message may be, a question or a command to look up: longer is refused, not read. */
export const MAX_QUESTION_LENGTH = 2000;

// Control characters (C0 and C1, DEL) other than tab and newline never belong in what a person types.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** What a person typed, ready to read: control characters turned to spaces, the ends trimmed. */
export const cleanInput = (text: string): string => text.replace(CONTROL, ' ').trim();

/** Text echoed back beside its answer, cut to the length a message may have so a pasted blob never comes back whole. */
export const echoed = (text: string): string => (text.length > MAX_QUESTION_LENGTH ? `${text.slice(0, MAX_QUESTION_LENGTH)}…` : text);
