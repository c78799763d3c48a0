/**
 * What every chat platform adapter implements. An adapter turns platform events into `Bot.handle` calls and
 * renders the replies; it knows nothing about search or notes.
 */
export interface Adapter {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
