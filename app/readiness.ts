import { fail, type Result } from '../src/result.js';
import { within } from '../src/within.js';

/** One condition of being ready: ok, or what is wrong in a few words. */
export type ReadinessCheck = () => Result<void> | Promise<Result<void>>;

/** A check that has not answered by then counts as failed: a probe must not hang on a stuck database. */
export const CHECK_TIMEOUT_MS = 2_000;

/** What `/readyz` answers: ready only when every check is, each named with "ok" or what is wrong. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, string>;
}

async function run(check: ReadinessCheck): Promise<Result<void>> {
  try {
    return (await within(Promise.resolve().then(check), CHECK_TIMEOUT_MS)) ?? fail(`no answer within ${CHECK_TIMEOUT_MS} ms`);
  } catch (error) {
    return fail((error as Error).message);
  }
}

/**
 * Whether the bot should be sent traffic: the conditions start-up adds as it goes (notes, store, each
 * platform), and none once shutdown has begun.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private stopping = false;

  /** Adds (or replaces) the condition `name`; until it is added, `pending` names it as not ready yet. */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Names a condition that start-up has not reached yet, so an early probe says what it waits for. */
  pending(name: string, why: string): void {
    this.checks.set(name, () => fail(why));
  }

  /** From now on the bot is not ready, whatever the checks say: it is shutting down. */
  shutDown(): void {
    this.stopping = true;
  }

  async report(): Promise<ReadinessReport> {
    const names = [...this.checks.keys()];
    const results = await Promise.all([...this.checks.values()].map(run));
    const checks: Record<string, string> = this.stopping ? { shutdown: 'shutting down' } : {};
    names.forEach((name, i) => {
      const result = results[i]!;
      checks[name] = result.ok ? 'ok' : result.error;
    });
    return { ready: !this.stopping && results.every((r) => r.ok), checks };
  }
}
