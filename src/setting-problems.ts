import type { z } from 'zod';

/** A setting that is missing or bad, and what it expects, in words a person can act on. */
export interface SettingProblem {
  name: string;
  message: string;
}

/** Settings whose values must never be echoed back, even in an error message. */
const SECRET = /TOKEN|SECRET|PASSWORD|KEY/i;
/** A Slack or Discord token pasted into the wrong setting is still a token; a URL may carry a password. */
const LOOKS_LIKE_TOKEN = /xox[abposr]-|xapp-|[\w-]{20,}\.[\w-]{5,}\.[\w-]{20,}|\/\/[^/@\s]*:[^/@\s]*@|password=/i;

/** Whether a value read from a setting looks like a credential, which no message may echo. */
export const looksSecret = (value: string): boolean => LOOKS_LIKE_TOKEN.test(value);
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** The problems a settings schema found, one per variable: its first complaint is the one to fix. */
export function settingProblems(error: z.ZodError): SettingProblem[] {
  const seen = new Set<string>();
  return error.issues.flatMap((issue) => {
    const name = String(issue.path[0]);
    if (seen.has(name)) return [];
    seen.add(name);
    return [{ name, message: issue.message }];
  });
}

// A value is echoed so the person sees what was read; a pasted blob is cut and control characters shown as spaces.
const shown = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value).replace(CONTROL, ' ');

/** One message naming every problem, each with the value that was read unless it is a secret. */
export function formatSettingProblems(title: string, problems: readonly SettingProblem[], env: NodeJS.ProcessEnv): string {
  const lines = problems.map(({ name, message }) => {
    const value = env[name];
    const hidden = SECRET.test(name) || looksSecret(value ?? '');
    const got = typeof value !== 'string' || value.trim() === '' ? '' : hidden ? ' (value hidden)' : ` (got ${shown(value)})`;
    return `  - ${name}: ${message}${got}`;
  });
  return `${title}\n${lines.join('\n')}`;
}
