import { z } from 'zod';
import { RefSchema } from '../knowledge/refs.js';
import { EnTextSchema, ZhTextSchema } from '../lang.js';

/** One tip of the day: a single idea short enough for a chat line or two, something to try, and where it comes from. */
export const TipSchema = z.strictObject({
  /** Stable across edits: the rotation remembers tips by id, so renaming one makes it new again. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case such as "rollout-history-first"'),
  zh: ZhTextSchema.max(160, 'is too long for a chat tip (160 characters at most)'),
  en: EnTextSchema.max(320, 'is too long for a chat tip (320 characters at most)'),
  /** A command or YAML snippet to try, shown as code. */
  try: z.string().trim().min(1),
  see: z.array(RefSchema).min(1),
});
export type Tip = z.infer<typeof TipSchema>;
