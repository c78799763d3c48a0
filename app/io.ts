/** The streams and environment a run uses; tests pass their own. */
export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** When `start` serves chat platforms: resolves when it should stop. Default: SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
}

/** Colour only for a person at a terminal, and never when they asked for none (https://no-color.org). */
export const colorFor = (io: Io): boolean => io.stdout.isTTY === true && !io.env.NO_COLOR;
