import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, HTTPError } from 'discord.js';
import type { DiscordConfig } from './config.js';

/**
 * Interaction and webhook URLs carry the interaction's token in their path, and discord.js puts URLs into
 * its errors: every URL or message that reaches a log goes through this first.
 */
export const scrubTokens = (text: string): string => text.replace(/\/(interactions|webhooks)\/(\d+)\/[^/\s?]+/g, '/$1/$2/[redacted]');

/** What a log may say about a failed Discord call: status, Discord's code and message, the request; no token. */
export function describeDiscordError(error: unknown): { status?: number; code?: number | string; request?: string; err: string } {
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    const request = `${error.method.toUpperCase()} ${scrubTokens(new URL(error.url).pathname)}`;
    return { status: error.status, ...(error instanceof DiscordAPIError ? { code: error.code } : {}), request, err: scrubTokens(error.message) };
  }
  if (error instanceof DiscordjsError) return { code: error.code, err: scrubTokens(error.message) };
  return { err: scrubTokens(error instanceof Error ? error.message : String(error)) };
}

const isUnauthorized = (error: unknown) =>
  (error instanceof DiscordAPIError && error.status === 401) || (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid);

/** The start-up failure as a message that says what to fix. */
export function explainLoginFailure(error: unknown): string {
  if (isUnauthorized(error)) {
    return 'Discord rejected DISCORD_TOKEN. Copy a fresh token from Developer Portal > your application > Bot > Reset Token.';
  }
  return `Could not connect to Discord: ${describeDiscordError(error).err}. Check the network and DISCORD_API_URL, then start again.`;
}

/** A failed command registration as a message that says what to fix. */
export function explainRegistrationFailure(error: unknown, config: DiscordConfig): string {
  if (isUnauthorized(error)) return explainLoginFailure(error);
  if (error instanceof DiscordAPIError && (error.status === 403 || error.status === 404)) {
    const where = config.guildId
      ? `DISCORD_APPLICATION_ID ${config.applicationId} and DISCORD_GUILD_ID ${config.guildId}: is the bot in that server, invited with the applications.commands scope?`
      : `DISCORD_APPLICATION_ID ${config.applicationId}: is it the id of the application the token belongs to?`;
    return `Discord refused to register the commands (${error.status}: ${scrubTokens(error.message)}). Check ${where}`;
  }
  return `Registering the Discord commands failed: ${describeDiscordError(error).err}`;
}
