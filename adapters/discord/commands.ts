import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  REST,
  Routes,
  type APIApplicationCommandBooleanOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { z } from 'zod';
import { MAX_QUESTION_LENGTH } from '../../src/input.js';
import type { Logger } from '../../src/log.js';
import { fail, ok, type Result } from '../../src/result.js';
import type { DiscordConfig } from './config.js';
import { describeDiscordError, explainRegistrationFailure } from './errors.js';

/** A lookup query is a command path or a pasted command line, never an essay. */
export const MAX_QUERY_LENGTH = 200;

const privateOption: APIApplicationCommandBooleanOption = {
  type: ApplicationCommandOptionType.Boolean,
  name: 'private',
  name_localizations: { 'zh-CN': '仅自己可见' },
  description: 'Show the answer only to you',
  description_localizations: { 'zh-CN': '只有你能看到这条回答' },
  required: false,
};

/** Every command works in servers that installed the bot and in DMs with it. */
const EVERYWHERE = {
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

const lookupCommand = (tool: 'kubectl' | 'docker'): RESTPostAPIChatInputApplicationCommandsJSONBody => ({
  ...EVERYWHERE,
  type: ApplicationCommandType.ChatInput,
  name: tool,
  name_localizations: { 'zh-CN': `${tool}命令` },
  description: `Look up a ${tool} command: flags, examples, what a pasted command line does`,
  description_localizations: { 'zh-CN': `查询 ${tool} 命令：参数、示例，以及一条命令行的含义` },
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'query',
      name_localizations: { 'zh-CN': '查询' },
      description: `A ${tool} command, a command line, or what you want to do`,
      description_localizations: { 'zh-CN': `${tool} 命令、完整命令行，或你想做的事` },
      required: true,
      autocomplete: true,
      max_length: MAX_QUERY_LENGTH,
    },
    privateOption,
  ],
});

/**
 * The application commands, English with zh-CN localizations. They carry their own text, which is why the
 * gateway needs no privileged intent.
 */
export const DISCORD_COMMANDS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    ...EVERYWHERE,
    type: ApplicationCommandType.ChatInput,
    name: 'k8s',
    name_localizations: { 'zh-CN': '提问' },
    description: "Ask the team's container and Kubernetes notes",
    description_localizations: { 'zh-CN': '向团队的容器与 Kubernetes 笔记提问' },
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        name_localizations: { 'zh-CN': '问题' },
        description: 'Your question, in Chinese or English',
        description_localizations: { 'zh-CN': '你的问题，中文或英文都可以' },
        required: true,
        max_length: MAX_QUESTION_LENGTH,
      },
      privateOption,
    ],
  },
  lookupCommand('kubectl'),
  lookupCommand('docker'),
  {
    ...EVERYWHERE,
    type: ApplicationCommandType.ChatInput,
    name: 'tip',
    name_localizations: { 'zh-CN': '每日提示' },
    description: "Today's container and Kubernetes tip",
    description_localizations: { 'zh-CN': '今天的容器与 Kubernetes 小提示' },
    options: [privateOption],
  },
];

/** A slash command as the adapter reads it from an interaction's options. */
export const CommandInputSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('k8s'), question: z.string().trim().min(1), private: z.boolean().default(false) }),
  z.object({ name: z.literal('kubectl'), query: z.string().trim().min(1), private: z.boolean().default(false) }),
  z.object({ name: z.literal('docker'), query: z.string().trim().min(1), private: z.boolean().default(false) }),
  z.object({ name: z.literal('tip'), private: z.boolean().default(false) }),
]);

/**
 * Replaces the application's commands with `DISCORD_COMMANDS` in one bulk overwrite: in `DISCORD_GUILD_ID`
 * when set (updates show at once), otherwise globally. Running it again changes nothing, so it is safe after
 * every deploy.
 */
export async function registerDiscordCommands(config: DiscordConfig, log: Logger): Promise<Result<{ scope: 'guild' | 'global'; count: number }>> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const scope = config.guildId ? 'guild' : 'global';
  const route = config.guildId ? Routes.applicationGuildCommands(config.applicationId, config.guildId) : Routes.applicationCommands(config.applicationId);
  try {
    const saved = await rest.put(route, { body: DISCORD_COMMANDS });
    const count = Array.isArray(saved) ? saved.length : DISCORD_COMMANDS.length;
    log.info({ scope, count, ...(config.guildId ? { guild: config.guildId } : {}) }, 'Discord commands registered');
    return ok({ scope, count });
  } catch (error) {
    log.error({ scope, ...describeDiscordError(error) }, 'registering the Discord commands failed');
    return fail(explainRegistrationFailure(error, config));
  }
}
