import type { Store, TipDay } from '../store/store.js';
import type { Tip } from './tip.js';

/** FNV-1a: a cheap, stable hash, so a cycle's order is the same in every process that computes it. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Which tip a channel gets on a day. The same tip all day; the next day a tip not yet used in the channel's
 * current cycle, in an order shuffled per channel and cycle; once every tip has been used, a new cycle in a
 * new order. Tips are read afresh on each choice, so tips added later join the current cycle and removed
 * ones are skipped.
 */
export class TipRotation {
  constructor(
    private readonly store: Store,
    private readonly tips: () => readonly Tip[],
  ) {}

  async tipFor(channel: string, day: string, now = Date.now()): Promise<{ tip: Tip; day: TipDay } | undefined> {
    const tips = this.tips();
    const record = await this.store.chooseTip(
      channel,
      day,
      ({ cycle, used }) => {
        const fresh = tips.filter((t) => !used.has(t.id));
        const round = fresh.length > 0 ? cycle : cycle + 1;
        const candidates = fresh.length > 0 ? fresh : tips;
        const order = (t: Tip) => hash(`${channel}\u0000${round}\u0000${t.id}`);
        const next = candidates.reduce<Tip | undefined>((best, t) => (!best || order(t) < order(best) ? t : best), undefined);
        return next && { tipId: next.id, cycle: round };
      },
      now,
    );
    const tip = record && tips.find((t) => t.id === record.tipId);
    return tip && record ? { tip, day: record } : undefined;
  }
}
