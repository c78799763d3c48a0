import type { Io } from './io.js';

/**
 * Subcommands a platform adds to the command line (`k8s-notes-bot discord register`), with their usage; run by
 * `runPlatformCommand`. Here rather than beside it, so the help loads no platform's settings.
 */
export const PLATFORM_COMMANDS: Readonly<Record<string, string>> = {
  discord: 'discord register     register the Discord slash commands (guild or global)',
};

export const USAGE = `Usage: k8s-notes-bot [command] [options]

Commands:
  start                run every configured chat platform with the tip of the day; with
                       none configured, the terminal chat (the default)
  chat                 interactive terminal chat
${Object.values(PLATFORM_COMMANDS).map((usage) => `  ${usage}\n`).join('')}  ask [question]       print the answer to one question; with no question and piped
                       input, answer one question per line as JSON lines
  kubectl [query]      look up a kubectl command by name, typo, intent (zh/en) or a
                       pasted command line; piped input works as for ask
  docker [query]       the same for docker commands
  tip                  print (and record) the tip of the day for a channel
  gaps                 the questions asked most often that the notes could not answer
  digest               the maintainers' digest: the most asked questions the notes could
                       not answer, the answers voted down, answered/not-found counts
  reload               make the bot running on this DATA_DIR read its notes again (as
                       SIGHUP does; a running bot also reloads when a note changes)

Options:
  --knowledge DIR      use the notes in DIR instead of KNOWLEDGE_DIR / the shipped notes
  --json               print the answer as one JSON object (ask, kubectl, docker, tip, gaps,
                       digest)
  --explain            ask: also show how the question was read and why the top
                       candidates scored as they did (an "explain" field with --json)
  --channel C          tip: the channel whose rotation to use (default: console)
  --date YYYY-MM-DD    tip: the day (default: today in DAILY_TIP_TZ)
  --lang zh|en         tip, digest: the language (default: DAILY_TIP_LANG)
  --days N             gaps, digest: how many days back to look (default: 30 for gaps,
                       7 for digest)
  -h, --help           show this help
`;

/** A command line that cannot be run: says why, shows the usage, and gives exit code 2. */
export function usageError(io: Io, message: string): number {
  io.stderr.write(`${message}\n\n${USAGE}`);
  return 2;
}
