import { botUser, humanUser, IDS, messageObject, snowflake } from './fake-discord.js';

/** Gateway payloads shaped like Discord's, for the fake to dispatch. */

export interface Where {
  /** A DM instead of the guild's #general. */
  dm?: boolean;
  locale?: string;
}

/** Interaction tokens are long opaque strings; tests check that none reaches a log. */
export const interactionToken = (): string => `aW50ZXJhY3Rpb24-${snowflake()}-secret`;

function interactionBase(type: number, { dm = false, locale = 'en-US' }: Where) {
  const context = dm
    ? { channel_id: IDS.dmChannel, channel: { id: IDS.dmChannel, type: 1, recipients: [humanUser] }, user: humanUser, context: 1 }
    : {
        guild_id: IDS.guild,
        channel_id: IDS.channel,
        channel: { id: IDS.channel, type: 0, guild_id: IDS.guild, name: 'general' },
        member: { user: humanUser, roles: [], permissions: '0', joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
        guild_locale: 'en-US',
        context: 0,
      };
  return {
    id: snowflake(),
    application_id: IDS.application,
    type,
    token: interactionToken(),
    version: 1,
    locale,
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: { '0': IDS.guild },
    attachment_size_limit: 8_000_000,
    ...context,
  };
}

type OptionValue = string | boolean;

const commandOption = (name: string, value: OptionValue, focused = false) => ({
  name,
  type: typeof value === 'boolean' ? 5 : 3,
  value,
  ...(focused ? { focused: true } : {}),
});

/** INTERACTION_CREATE for a slash command (type 2). */
export function slashCommand(name: string, options: Record<string, OptionValue>, where: Where = {}) {
  return {
    ...interactionBase(2, where),
    data: { id: snowflake(), name, type: 1, options: Object.entries(options).map(([n, v]) => commandOption(n, v)) },
  };
}

/** INTERACTION_CREATE for autocomplete (type 4) while the person types `partial` into `query`. */
export function autocomplete(name: string, partial: string, where: Where = {}) {
  return {
    ...interactionBase(4, where),
    data: { id: snowflake(), name, type: 1, options: [commandOption('query', partial, true)] },
  };
}

/** INTERACTION_CREATE for a button press (type 3) under a message the bot sent. */
export function buttonPress(customId: string, where: Where & { ephemeral?: boolean } = {}) {
  const base = interactionBase(3, where);
  return {
    ...base,
    data: { custom_id: customId, component_type: 2 },
    message: messageObject(base.channel_id, { flags: where.ephemeral ? 64 : 0 }),
  };
}

/** MESSAGE_CREATE from a person: in #general (mentioning the bot when `mention` is set) or in a DM. */
export function messageCreate(content: string, { dm = false, mention = !dm }: { dm?: boolean; mention?: boolean } = {}) {
  return {
    ...messageObject(dm ? IDS.dmChannel : IDS.channel, { content, mentions: mention ? [botUser] : [] }, humanUser),
    // Discord names the channel's type in MESSAGE_CREATE; discord.js needs it to build an uncached DM channel.
    channel_type: dm ? 1 : 0,
    ...(dm ? {} : { guild_id: IDS.guild, member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 } }),
  };
}
