import { boltMessage } from './bolt-logger.js';

/** What to do about the Web API errors an admin can fix; Slack's error code alone rarely says. */
const HINTS: Record<string, string> = {
  not_in_channel: 'invite the bot to the channel first (/invite @the-bot)',
  channel_not_found: 'check the channel id; for a private channel, invite the bot first',
  is_archived: 'the channel is archived; remove it from SLACK_TIP_CHANNELS',
  missing_scope: 'add the scope to the app (see adapters/slack/manifest.yaml) and reinstall it to the workspace',
  invalid_auth: 'the token is not valid: copy it again from the app settings',
  not_authed: 'no token was sent: check SLACK_BOT_TOKEN',
  token_revoked: 'the token was revoked: reinstall the app and copy the new token',
  account_inactive: 'the app was uninstalled or its account deactivated: reinstall it',
  msg_too_long: 'the message was too long for Slack',
  invalid_blocks: 'Slack rejected the message layout',
};

interface SlackErrorShape {
  code?: string;
  message?: string;
  statusCode?: number;
  data?: { error?: string; needed?: string };
}

/** The Slack error code (`not_in_channel`), when the error came from a Web API response. */
export const slackErrorCode = (error: unknown): string | undefined => (error as SlackErrorShape | undefined)?.data?.error;

/**
 * One line saying what went wrong with a Web API call or a `respond`, and how to fix it when that is known.
 * Never carries a token: the text goes through the same masking as Bolt's own logs.
 */
export function describeSlackError(error: unknown): string {
  const e = (error ?? {}) as SlackErrorShape;
  const code = e.data?.error;
  if (code) {
    const needed = code === 'missing_scope' && e.data?.needed ? ` (needs ${e.data.needed})` : '';
    const hint = HINTS[code];
    return boltMessage([`Slack answered ${code}${needed}${hint ? `: ${hint}` : ''}`]);
  }
  return boltMessage([error instanceof Error ? error.message : String(error)]);
}
