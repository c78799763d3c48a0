import { z } from 'zod';
import { RefSchema } from '../knowledge/refs.js';
import { BilingualSchema, EnTextSchema, ZhTextSchema } from '../lang.js';
import { RESOURCE_SHORT_NAMES } from './resources.js';

export const ToolSchema = z.enum(['kubectl', 'docker']);
export type Tool = z.infer<typeof ToolSchema>;

/** A command's full name (`kubectl rollout undo`) as its tool and path; undefined for another tool's. */
export function splitCommandName(name: string): { tool: Tool; path: string } | undefined {
  const space = name.indexOf(' ');
  const tool = ToolSchema.safeParse(name.slice(0, space));
  return space > 0 && tool.success ? { tool: tool.data, path: name.slice(space + 1) } : undefined;
}

const FlagNameSchema = z.string().regex(/^--[a-z0-9][a-z0-9-]*$/, 'must be a long flag such as --to-revision');

export const FlagSchema = z.strictObject({
  flag: FlagNameSchema,
  short: z.string().regex(/^-[A-Za-z0-9]$/, 'must be a one-letter flag such as -n').optional(),
  ...BilingualSchema.shape,
});
export type Flag = z.infer<typeof FlagSchema>;

export const ExampleSchema = z.strictObject({
  run: z.string().trim().min(1),
  ...BilingualSchema.shape,
});
export type Example = z.infer<typeof ExampleSchema>;

/** One command path of a tool, as a cheat sheet would show it. */
export const CommandSchema = z.strictObject({
  /** The words after the tool's name, e.g. `rollout undo`. */
  path: z.string().regex(/^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)*$/, 'must be lowercase command words such as "rollout undo"'),
  usage: z.string().trim().min(1),
  summary: BilingualSchema,
  /** What people say when they want this command; the lookup searches these beside the summary. */
  intents: z.strictObject({ zh: z.array(ZhTextSchema).min(1), en: z.array(EnTextSchema).min(1) }),
  flags: z.array(FlagSchema).default([]),
  examples: z.array(ExampleSchema).min(2).max(5),
  resources: z
    .array(z.enum(Object.keys(RESOURCE_SHORT_NAMES) as [string, ...string[]]))
    .default([]),
  see: z.array(RefSchema).default([]),
});
export type Command = z.infer<typeof CommandSchema> & { tool: Tool };

/** Options that every command of a tool accepts (kubectl's `-n`, `--context`), listed once. */
export const GlobalFlagsSchema = z.array(FlagSchema);

/** One catalog file: the commands of one tool, and optionally its global flags. */
export const CatalogFileSchema = z.strictObject({
  tool: ToolSchema,
  globalFlags: GlobalFlagsSchema.optional(),
  commands: z.array(z.unknown()).default([]),
});

const FlagPairSchema = z.union([z.tuple([FlagNameSchema]), z.tuple([FlagNameSchema, z.string().regex(/^-[A-Za-z0-9]$/)])]);

/** Every flag each command really accepts (`[long, short?]`), read from the installed binaries by
 * `npm run sync-flags`, so a pasted command line can be told which of its flags do not exist. */
export const FlagListsSchema = z.record(
  ToolSchema,
  z.strictObject({ global: z.array(FlagPairSchema), commands: z.record(z.string(), z.array(FlagPairSchema)) }),
);
export type FlagLists = z.infer<typeof FlagListsSchema>;
