import { describe, expect, it } from 'vitest';
import { TipRotation } from '../../src/tips/rotation.js';
import type { Tip } from '../../src/tips/tip.js';
import { openTestStore, shippedLibrary, tempFolder } from '../helpers.js';

const tip = (id: string): Tip => ({ id, zh: `提示 ${id}`, en: `Tip ${id}`, try: 'kubectl get pods', see: ['kubectl get'] });
const days = (count: number, start = '2026-01-01') =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(`${start}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
/** The tips chosen day after day, in order, as a scheduler would ask for them. */
async function inTurn<T>(items: readonly string[], choose: (day: string, i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const [i, day] of items.entries()) out.push(await choose(day, i));
  return out;
}


describe('tip rotation', async () => {
  it('gives 60 different tips over 60 days, and the same tip twice on one day', async () => {
    const rotation = new TipRotation(openTestStore(tempFolder({})), () => shippedLibrary().tips);
    const ids = await inTurn(days(60), async (day) => (await rotation.tipFor('team', day))!.tip.id);
    expect(new Set(ids).size).toBe(60);
    expect((await rotation.tipFor('team', '2026-01-15'))!.tip.id).toBe(ids[14]);
  });

  it('uses every tip once per cycle, then starts a new cycle in a new order', async () => {
    const tips = ['a', 'b', 'c', 'd', 'e', 'f'].map(tip);
    const rotation = new TipRotation(openTestStore(tempFolder({})), () => tips);
    const picks = await inTurn(days(12), async (day) => (await rotation.tipFor('team', day))!);
    const first = picks.slice(0, 6).map((p) => p.tip.id);
    const second = picks.slice(6).map((p) => p.tip.id);
    expect([...first].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect([...second].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(second).not.toEqual(first);
    expect(picks.map((p) => p.day.cycle)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
  });

  it('continues the cycle from a second process on the same data folder', async () => {
    const dir = tempFolder({});
    const tips = Array.from({ length: 10 }, (_, i) => tip(`t${i}`));
    const one = new TipRotation(openTestStore(dir), () => tips);
    const two = new TipRotation(openTestStore(dir), () => tips);
    const ids = await inTurn(days(10), async (day, i) => (await (i % 2 === 0 ? one : two).tipFor('team', day))!.tip.id);
    expect(new Set(ids).size).toBe(10);
  });

  it('rotates two channels independently', async () => {
    const tips = Array.from({ length: 8 }, (_, i) => tip(`t${i}`));
    const rotation = new TipRotation(openTestStore(tempFolder({})), () => tips);
    const a = await inTurn(days(8), async (day) => (await rotation.tipFor('alpha', day))!.tip.id);
    const b = await inTurn(days(8), async (day) => (await rotation.tipFor('beta', day))!.tip.id);
    expect(new Set(a).size).toBe(8);
    expect(new Set(b).size).toBe(8);
    expect(a).not.toEqual(b);
  });

  it('lets tips added later join the current cycle and skips removed ones', async () => {
    let tips = ['a', 'b', 'c'].map(tip);
    const rotation = new TipRotation(openTestStore(tempFolder({})), () => tips);
    const [d1, d2, d3, d4, d5] = days(5);
    const firstId = (await rotation.tipFor('team', d1!))!.tip.id;
    const remaining = ['a', 'b', 'c'].filter((id) => id !== firstId);
    tips = [...tips.filter((t) => t.id !== remaining[0]), tip('new')];
    const next = await inTurn([d2!, d3!, d4!, d5!], async (day) => (await rotation.tipFor('team', day))!);
    expect(next.slice(0, 2).map((p) => p.tip.id).sort()).toEqual([remaining[1]!, 'new'].sort());
    expect(next.map((p) => p.day.cycle)).toEqual([1, 1, 2, 2]);
    expect(next.map((p) => p.tip.id)).not.toContain(remaining[0]);
  });
});
