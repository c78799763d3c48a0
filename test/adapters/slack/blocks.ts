/** Reading Block Kit messages the fake received, for assertions. */

/** The whole of a posted message as one string, to look for text anywhere in it. */
export const everything = (value: unknown) => JSON.stringify(value);

/** The texts of every section and context in a Block Kit message. */
export function blockTexts(blocks: unknown): string[] {
  return (blocks as { type: string; text?: { text: string }; elements?: { text?: string }[]; fields?: { text: string }[] }[]).flatMap((b) => [
    ...(b.text ? [b.text.text] : []),
    ...(b.fields ?? []).map((f) => f.text),
    ...(b.type === 'context' ? (b.elements ?? []).flatMap((e) => (e.text ? [e.text] : [])) : []),
  ]);
}

/** The action ids of every button in a Block Kit message. */
export function buttons(blocks: unknown): { action_id: string; value: string }[] {
  return (blocks as { type: string; elements?: { type: string; action_id: string; value: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button');
}
