import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AdapterObserver } from '../src/adapter.js';
import type { Bot } from '../src/bot.js';
import type { Library } from '../src/library.js';
import { packageRoot } from '../src/paths.js';
import type { Reply } from '../src/reply.js';
import { IntentSchema, readTyped, type Intent } from '../src/request.js';
import type { Store } from '../src/store/store.js';
import type { TipPoster } from '../src/tips/scheduler.js';
import type { PlatformWatch } from './platforms.js';
import type { ReloadOutcome } from './reload.js';

/** Every metric of the bot's own is named under this prefix; the process metrics keep their usual names. */
const PREFIX = 'k8s_notes_bot_';

/** What a question or lookup came to; labels carry only these words, never what was asked or by whom. */
type Outcome = 'answered' | 'not_found' | 'error';

const OUTCOME: Partial<Record<Reply['kind'], Outcome>> = { answer: 'answered', 'not-found': 'not_found', error: 'error' };

/** Answers take milliseconds from memory; the upper buckets catch a slow store or a rate-limited platform. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const packageVersion = (): string => {
  const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
};

/**
 * The bot's Prometheus metrics, in a registry of their own. The core is not told: each platform's bot and
 * tip poster are wrapped here, adapters report through their observer, and a reload says what it loaded.
 */
export class BotMetrics implements PlatformWatch {
  readonly registry = new Registry();
  private readonly questions: Counter<'platform' | 'lang' | 'outcome'>;
  private readonly lookups: Counter<'platform' | 'tool' | 'outcome'>;
  private readonly latency: Histogram<'platform'>;
  private readonly tipsPosted: Counter<'platform'>;
  private readonly tipsFailed: Counter<'platform'>;
  private readonly reconnects: Counter<'platform'>;
  private readonly rateLimits: Counter<'platform'>;
  private readonly deduplicated: Counter<'platform'>;
  private readonly limited: Counter<'platform'>;
  private readonly notes: Gauge;
  private readonly passages: Gauge;
  private readonly noteProblems: Gauge;
  private readonly reloads: Counter<'outcome'>;

  constructor() {
    const registers = [this.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name: PREFIX + name, help, labelNames, registers });
    const gauge = (name: string, help: string) => new Gauge({ name: PREFIX + name, help, registers });
    this.questions = counter('questions_total', 'Questions answered from the notes, by platform, language and outcome.', ['platform', 'lang', 'outcome']);
    this.lookups = counter('lookups_total', 'kubectl and docker command lookups, by platform, tool and outcome.', ['platform', 'tool', 'outcome']);
    this.latency = new Histogram({
      name: `${PREFIX}answer_duration_seconds`,
      help: 'Time from a question or lookup reaching the core to its reply being ready.',
      labelNames: ['platform'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.tipsPosted = counter('tips_posted_total', 'Tips of the day posted to a channel.', ['platform']);
    this.tipsFailed = counter('tip_posts_failed_total', 'Attempts to post a tip of the day that the platform refused (each is retried).', ['platform']);
    this.reconnects = counter('platform_reconnects_total', 'Attempts to reopen a platform connection that was lost.', ['platform']);
    this.rateLimits = counter('rate_limit_waits_total', 'Calls that waited because the platform rate-limited the bot.', ['platform']);
    this.deduplicated = counter('events_deduplicated_total', 'Platform events not answered again because they already were (redeliveries, replays).', ['platform']);
    this.limited = counter('requests_limited_total', 'Requests not answered because the person passed RATE_LIMIT_PER_MINUTE (the first of each stretch gets a private notice).', ['platform']);
    this.notes = gauge('notes_loaded', 'Notes in the library in service.');
    this.passages = gauge('passages_loaded', 'Searchable passages in the library in service.');
    this.noteProblems = gauge('note_load_errors', 'Notes, catalog entries, tips and folder entries skipped or read in part when the library in service was loaded.');
    this.reloads = counter('reloads_total', 'Reloads of the notes, by outcome (ok, unchanged, failed: the old notes kept).', ['outcome']);
    new Gauge({ name: `${PREFIX}build_info`, help: 'The running version of the bot and of Node.js; always 1.', labelNames: ['version', 'node'], registers }).set(
      { version: packageVersion(), node: process.version },
      1,
    );
    collectDefaultMetrics({ register: this.registry });
  }

  /** For a library put in service (the first and each reloaded one). */
  libraryLoaded(library: Library): void {
    this.notes.set(library.notes.length);
    this.passages.set(library.index.passages.length);
    this.noteProblems.set(library.problems.length);
  }

  /** Shows how the store's background writes and fallbacks are going, read from `store` at each scrape. */
  storeLoad(store: Pick<Store, 'stats'>): void {
    const registers = [this.registry];
    type Stat = keyof ReturnType<Store['stats']>;
    new Gauge({
      name: `${PREFIX}store_pending_writes`,
      help: 'Questions and votes waiting to be written to the store.',
      registers,
      collect() {
        this.set(store.stats().pending);
      },
    });
    // The store keeps its own running totals; each scrape shows them as they are.
    const total = (name: string, help: string, stat: Stat) =>
      new Counter({
        name: PREFIX + name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(store.stats()[stat]);
        },
      });
    total('store_failed_writes_total', 'Batches of questions and votes whose write to the store failed (and was retried).', 'failedWrites');
    total('store_lost_writes_total', 'Questions and votes given up on because the store was away too long or the bot stopped.', 'lost');
    total('store_failed_lookups_total', 'Event and thread lookups that failed and were answered by their fallback.', 'failedLookups');
  }

  /** For the outcome of each reload. */
  reloaded(outcome: ReloadOutcome): void {
    this.reloads.inc({ outcome });
  }

  /** `bot`, with each question and lookup counted by outcome and timed, and each request over the rate limit counted. */
  bot(platform: string, bot: Bot): Bot {
    const counted = async (intent: Intent, lang: string | undefined, answer: () => Promise<Reply>): Promise<Reply> => {
      const stopTimer = this.latency.startTimer({ platform });
      const count = (lang: string, outcome: Outcome | undefined) => {
        if (outcome === undefined) return;
        stopTimer();
        if (intent.type === 'lookup') this.lookups.inc({ platform, tool: intent.tool, outcome });
        else if (intent.type === 'ask') this.questions.inc({ platform, lang, outcome });
      };
      try {
        const reply = await answer();
        if (reply.kind === 'limited') this.limited.inc({ platform });
        // Help, tips, votes and "show all" are not questions: none is counted nor timed.
        else count(reply.lang, OUTCOME[reply.kind]);
        return reply;
      } catch (error) {
        count(lang ?? 'unknown', 'error');
        throw error;
      }
    };
    // Each call goes to `bot` at that moment: a live bot answers from whichever library is in service then.
    return {
      handle: (message) => counted(readTyped(message.text).intent, message.lang, () => bot.handle(message)),
      request: (request) => {
        const intent = IntentSchema.safeParse(request);
        return intent.success ? counted(intent.data, request.lang, () => bot.request(request)) : bot.request(request);
      },
      completeCommand: (tool, partial, lang, limit) => bot.completeCommand(tool, partial, lang, limit),
    };
  }

  /** `poster`, with each tip posted or refused counted. */
  poster(platform: string, poster: TipPoster): TipPoster {
    return {
      post: async (channel, reply) => {
        try {
          await poster.post(channel, reply);
        } catch (error) {
          this.tipsFailed.inc({ platform });
          throw error;
        }
        this.tipsPosted.inc({ platform });
      },
    };
  }

  /** What a platform's adapter reports its connection and traffic to. */
  observer(platform: string): AdapterObserver {
    return {
      reconnecting: () => this.reconnects.inc({ platform }),
      rateLimited: () => this.rateLimits.inc({ platform }),
      deduplicated: () => this.deduplicated.inc({ platform }),
    };
  }

  /** The Prometheus text exposition of every metric, and its content type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
