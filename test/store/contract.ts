import { describe, expect, it } from 'vitest';
import { CONVERSATION_MEMORY_MS, RATE_HIT_MEMORY_MS } from '../../src/store/backend.js';
import type { Store } from '../../src/store/store.js';
import type { Engine, Place } from './engines.js';

const DAY = '2026-05-04';

/**
 * What every Store must do, whichever database holds it. `engine` is called once the suite runs, since
 * some engines take seconds to start.
 */
export function storeContract(engine: () => Engine): void {
  const withStore = async (body: (store: Store, place: Place) => Promise<void>) => {
    const place = await engine().place();
    const store = await place.open();
    try {
      await body(store, place);
    } finally {
      await store.close();
    }
  };

  describe('tip days', () => {
    it('chooses one tip per channel and day, and the next day one not yet used in the cycle', () =>
      withStore(async (store) => {
        const seen: string[][] = [];
        const pick = (tips: string[]) => (state: { cycle: number; used: ReadonlySet<string> }) => {
          seen.push([...state.used].sort());
          const fresh = tips.filter((t) => !state.used.has(t));
          return fresh.length ? { tipId: fresh[0]!, cycle: state.cycle } : { tipId: tips[0]!, cycle: state.cycle + 1 };
        };
        expect(await store.chooseTip('ops', '2026-05-04', pick(['a', 'b']), 0)).toMatchObject({ tipId: 'a', cycle: 1, attempts: 0 });
        expect(await store.chooseTip('ops', '2026-05-04', pick(['b']), 1)).toMatchObject({ tipId: 'a' });
        expect(await store.chooseTip('ops', '2026-05-05', pick(['a', 'b']), 2)).toMatchObject({ tipId: 'b', cycle: 1 });
        expect(await store.chooseTip('ops', '2026-05-06', pick(['a', 'b']), 3)).toMatchObject({ tipId: 'a', cycle: 2 });
        expect(await store.chooseTip('dev', '2026-05-06', pick(['a', 'b']), 3)).toMatchObject({ tipId: 'a', cycle: 1 });
        expect(seen).toEqual([[], ['a'], ['a', 'b'], []]);
        expect(await store.chooseTip('ops', '2026-05-07', () => undefined, 4)).toBeUndefined();
        expect(await store.tipDay('ops', '2026-05-07')).toBeUndefined();
      }));

    it('claims a day once until the lease runs out, and never after it was posted', () =>
      withStore(async (store) => {
        await store.chooseTip('ops', DAY, () => ({ tipId: 'a', cycle: 1 }), 0);
        expect(await store.claimPost('ops', DAY, 100, 200)).toBe(true);
        expect(await store.claimPost('ops', DAY, 150, 250)).toBe(false);
        expect(await store.claimPost('ops', DAY, 200, 300)).toBe(true);
        await store.markPosted('ops', DAY, 210);
        expect(await store.claimPost('ops', DAY, 10_000, 10_100)).toBe(false);
        expect(await store.tipDay('ops', DAY)).toEqual({ channel: 'ops', day: DAY, tipId: 'a', cycle: 1, postedAt: 210, attempts: 2 });
      }));

    it('lets a released claim be taken again at once, and claims nothing for a day never chosen', () =>
      withStore(async (store) => {
        await store.chooseTip('ops', DAY, () => ({ tipId: 'a', cycle: 1 }), 0);
        expect(await store.claimPost('ops', DAY, 100, 60_100)).toBe(true);
        await store.releasePost('ops', DAY);
        expect(await store.claimPost('ops', DAY, 101, 60_101)).toBe(true);
        expect(await store.claimPost('ops', '2026-05-05', 100, 200)).toBe(false);
      }));
  });

  describe('question log and feedback', () => {
    it('keeps what it was told across reopening, written in the background and flushed on close', () =>
      withStore(async (store, place) => {
        store.logQuestion({ question: 'How to mount NFS?', lang: 'en', answered: false, at: 1_000 });
        store.recordFeedback({ answerId: 'nfs.md#L3', vote: -1, channel: 'C1', at: 1_001 });
        await store.close();
        const again = await place.open();
        expect(await again.gaps(0, 10)).toEqual([{ question: 'How to mount NFS?', count: 1, lastAskedAt: 1_000 }]);
        expect([await place.count('questions'), await place.count('feedback')]).toEqual([1, 1]);
        expect(again.stats()).toEqual({ pending: 0, failedWrites: 0, lost: 0, failedLookups: 0 });
        await again.close();
      }));

    it('groups unanswered questions that differ only in case and punctuation, most asked first', () =>
      withStore(async (store) => {
        const ask = (question: string, answered: boolean, at: number) => store.logQuestion({ question, lang: 'en', answered, at });
        ask('How to mount NFS?', false, 10);
        ask('how to mount nfs', false, 20);
        ask('istio sidecar', false, 30);
        ask('apiserver port', true, 40);
        ask('old question', false, 1);
        await store.flush();
        expect(await store.gaps(5, 10)).toEqual([
          { question: 'how to mount nfs', count: 2, lastAskedAt: 20 },
          { question: 'istio sidecar', count: 1, lastAskedAt: 30 },
        ]);
        expect(await store.gaps(5, 1)).toHaveLength(1);
      }));

    it('writes a burst of entries, with and without the optional fields, in few batches', () =>
      withStore(async (store, place) => {
        for (let i = 0; i < 300; i++) {
          store.logQuestion({ question: `q${i % 7}`, lang: i % 2 ? 'zh' : 'en', answered: i % 3 === 0, at: i, ...(i % 5 ? { channel: 'C', user: 'U', topSource: 'a.md#L1' } : {}) });
          if (i % 10 === 0) store.recordFeedback({ answerId: `a${i}`, vote: 1, at: i, ...(i % 20 ? { user: 'U' } : {}) });
        }
        await store.flush();
        expect([await place.count('questions'), await place.count('feedback')]).toEqual([300, 30]);
        expect((await store.gaps(0, 10)).reduce((sum, g) => sum + g.count, 0)).toBe(200);
      }));
  });

  describe('event ledger', () => {
    it('claims an event once while it is answered, and remembers it for its TTL once handled', () =>
      withStore(async (store) => {
        expect(await store.claimEvent('Ev1', 1_000)).toBe(true);
        expect(await store.claimEvent('Ev1', 2_000)).toBe(false);
        await store.completeEvent('Ev1', 3_000, 600_000);
        expect(await store.claimEvent('Ev1', 500_000)).toBe(false);
        expect(await store.claimEvent('Ev1', 3_000 + 600_001)).toBe(true);
      }));

    it('lets the retry of an event whose handler died or failed be answered', () =>
      withStore(async (store) => {
        expect(await store.claimEvent('crashed', 0)).toBe(true); // never completed: the process died
        expect(await store.claimEvent('crashed', 30_000)).toBe(false); // still within the lease
        expect(await store.claimEvent('crashed', 5 * 60_000)).toBe(true); // the platform's retry minutes later
        expect(await store.claimEvent('failed', 0)).toBe(true);
        await store.releaseEvent('failed');
        expect(await store.claimEvent('failed', 1)).toBe(true);
      }));

    it('keeps each event for its own TTL, whatever TTL later events use', () =>
      withStore(async (store) => {
        await store.claimEvent('discord:1', 0);
        await store.completeEvent('discord:1', 0, 3_600_000);
        await store.claimEvent('slack:1', 60_000);
        await store.completeEvent('slack:1', 60_000, 60_000);
        expect(await store.claimEvent('discord:1', 1_800_000)).toBe(false);
        expect(await store.claimEvent('slack:1', 1_800_000)).toBe(true);
      }));
  });

  describe('conversations', () => {
    it('reads back the last turn remembered at or after the cut-off, across reopening', () =>
      withStore(async (store, place) => {
        await store.rememberTurn('slack:C1:171.1', '{"topic":"Deployment"}', 1_000);
        await store.close();
        const again = await place.open();
        expect(await again.lastTurn('slack:C1:171.1', 1_000)).toBe('{"topic":"Deployment"}');
        expect(await again.lastTurn('slack:C1:171.1', 0)).toBe('{"topic":"Deployment"}');
        expect(await again.lastTurn('slack:C1:171.1', 1_001)).toBeUndefined();
        expect(await again.lastTurn('slack:C1:171.2', 0)).toBeUndefined();
        await again.close();
      }));

    it('replaces the previous turn, never with one remembered earlier, and keeps conversations apart', () =>
      withStore(async (store, place) => {
        await store.rememberTurn('dm:U1', 'first', 100);
        await store.rememberTurn('dm:U2', 'other', 150);
        await store.rememberTurn('dm:U1', 'second', 200);
        await store.rememberTurn('dm:U1', 'late and older', 190); // a slower replica finishing after
        expect(await store.lastTurn('dm:U1', 0)).toBe('second');
        expect(await store.lastTurn('dm:U2', 0)).toBe('other');
        expect(await store.lastTurn('dm:U2', 151)).toBeUndefined();
        expect(await place.count('conversations')).toBe(2);
      }));

    it('keeps a turn of 4 KB, and forgets the conversation rather than keep a longer turn', () =>
      withStore(async (store, place) => {
        const fits = '部'.repeat(1365) + 'x'; // 4095 + 1 bytes in UTF-8
        await store.rememberTurn('dm:U1', fits, 100);
        expect(await store.lastTurn('dm:U1', 0)).toBe(fits);
        await store.rememberTurn('dm:U1', '部'.repeat(1366), 200); // 4098 bytes
        expect(await store.lastTurn('dm:U1', 0)).toBeUndefined();
        expect(await place.count('conversations')).toBe(0);
        expect(store.stats().failedLookups).toBe(0);
      }));
  });

  describe('digest weeks', () => {
    const WEEK = '2026-W19';

    it('claims a week never seen, once until the lease runs out, and never after it was posted', () =>
      withStore(async (store) => {
        expect(await store.digestPostedAt('ops', WEEK)).toBeUndefined();
        expect(await store.claimDigest('ops', WEEK, 100, 200)).toBe(true);
        expect(await store.claimDigest('ops', WEEK, 150, 250)).toBe(false);
        expect(await store.claimDigest('ops', WEEK, 200, 300)).toBe(true); // the first attempt's lease ran out
        await store.markDigestPosted('ops', WEEK, 210);
        expect(await store.claimDigest('ops', WEEK, 10_000, 10_100)).toBe(false);
        await store.releaseDigest('ops', WEEK); // a late release after the post changes nothing
        expect(await store.claimDigest('ops', WEEK, 10_001, 10_101)).toBe(false);
        expect(await store.digestPostedAt('ops', WEEK)).toBe(210);
      }));

    it('lets a released claim be taken again at once, and keeps channels and weeks apart', () =>
      withStore(async (store) => {
        expect(await store.claimDigest('ops', WEEK, 100, 60_100)).toBe(true);
        expect(await store.claimDigest('dev', WEEK, 100, 60_100)).toBe(true);
        expect(await store.claimDigest('ops', '2026-W20', 100, 60_100)).toBe(true);
        await store.releaseDigest('ops', WEEK);
        expect(await store.claimDigest('ops', WEEK, 101, 60_101)).toBe(true);
        expect(await store.claimDigest('dev', WEEK, 101, 60_101)).toBe(false);
        await store.markDigestPosted('dev', WEEK, 500);
        expect([await store.digestPostedAt('dev', WEEK), await store.digestPostedAt('ops', WEEK), await store.digestPostedAt('ops', '2026-W20')]).toEqual([500, undefined, undefined]);
      }));

    it('records a post even for a week whose claim row is missing, so it is not posted again', () =>
      withStore(async (store) => {
        await store.markDigestPosted('ops', WEEK, 300);
        expect(await store.claimDigest('ops', WEEK, 400, 500)).toBe(false);
        expect(await store.digestPostedAt('ops', WEEK)).toBe(300);
      }));
  });

  describe('activity and answers voted down', () => {
    it('counts answered and unanswered questions asked in [since, until)', () =>
      withStore(async (store) => {
        const ask = (answered: boolean, at: number) => store.logQuestion({ question: `q${at}`, lang: 'en', answered, at });
        ask(true, 99);
        ask(true, 100);
        ask(false, 150);
        ask(false, 160);
        ask(true, 199);
        ask(false, 200);
        await store.flush();
        expect(await store.activity(100, 200)).toEqual({ answered: 2, notFound: 2 });
        expect(await store.activity(0, 1_000)).toEqual({ answered: 3, notFound: 3 });
        expect(await store.activity(300, 400)).toEqual({ answered: 0, notFound: 0 });
      }));

    it("counts each voter's latest vote in the period once, votes without a voter each, most voted down first", () =>
      withStore(async (store) => {
        const vote = (answerId: string, v: 1 | -1, at: number, voter?: string) => store.recordFeedback({ answerId, vote: v, at, ...(voter ? { voter } : {}) });
        // a.md: three people against, one who changed their mind to 👍; a 👍 after the period does not count.
        vote('a.md#L1', -1, 110, 'v1');
        vote('a.md#L1', 1, 120, 'v1');
        vote('a.md#L1', -1, 130, 'v2');
        vote('a.md#L1', -1, 131, 'v3');
        vote('a.md#L1', -1, 132, 'v4');
        vote('a.md#L1', 1, 250, 'v5');
        // b.md: one person's 👎 twice is one 👎, against one 👍: not net negative.
        vote('b.md#L2', -1, 110, 'v1');
        vote('b.md#L2', -1, 115, 'v1');
        vote('b.md#L2', 1, 120, 'v2');
        // c.md: a 👍 turned 👎 (the latest wins).
        vote('c.md#L3', 1, 105, 'v1');
        vote('c.md#L3', -1, 150, 'v1');
        // d.md: two votes without a voter count twice.
        vote('d.md#L4', -1, 140);
        vote('d.md#L4', -1, 141);
        vote('d.md#L4', 1, 142, 'v1');
        // e.md: voted down only outside the period; f.md: a 👎 before the period, a 👍 by the same voter in it.
        vote('e.md#L5', -1, 50, 'v1');
        vote('e.md#L5', -1, 200, 'v2');
        vote('f.md#L6', -1, 50, 'v1');
        vote('f.md#L6', 1, 150, 'v1');
        const ask = (question: string, topSource: string, at: number) => store.logQuestion({ question, lang: 'en', answered: true, topSource, at });
        ask('how do I roll back?', 'a.md#L1', 90);
        ask('rollback a deployment', 'a.md#L1', 180);
        ask('asked after the period', 'a.md#L1', 300);
        ask('default port?', 'd.md#L4', 10);
        await store.flush();
        expect(await store.downVoted(100, 200, 10)).toEqual([
          { answerId: 'a.md#L1', question: 'rollback a deployment', down: 3, up: 1 },
          { answerId: 'd.md#L4', question: 'default port?', down: 2, up: 1 },
          { answerId: 'c.md#L3', down: 1, up: 0 },
        ]);
        expect((await store.downVoted(100, 200, 2)).map((d) => d.answerId)).toEqual(['a.md#L1', 'd.md#L4']);
        expect(await store.downVoted(300, 400, 10)).toEqual([]);
      }));
  });

  describe('rate limits', () => {
    const WINDOW = 1_000;

    it('allows up to the limit in the window, then tells the person once and stays quiet', () =>
      withStore(async (store, place) => {
        const count = (now: number) => store.countRequest('p1', now, WINDOW, 3);
        expect([await count(0), await count(10), await count(20)]).toEqual(['allowed', 'allowed', 'allowed']);
        expect([await count(30), await count(40), await count(999)]).toEqual(['notice', 'quiet', 'quiet']);
        expect(await place.count('rate_hits')).toBe(3); // refused requests are not counted
      }));

    it('allows again once the oldest hits age out, and gives a later block a notice of its own', () =>
      withStore(async (store) => {
        const count = (now: number) => store.countRequest('p1', now, WINDOW, 2);
        expect([await count(0), await count(10), await count(20), await count(999)]).toEqual(['allowed', 'allowed', 'notice', 'quiet']);
        // The window is (now - 1000, now]: the hit at 0 has left it at 1000, the one at 10 has not.
        expect(await count(1_000)).toBe('allowed');
        expect([await count(1_001), await count(1_009)]).toEqual(['notice', 'quiet']);
        expect(await count(1_010)).toBe('allowed');
      }));

    it('lets hits age out whatever was refused meanwhile, since refusals are not hits', () =>
      withStore(async (store) => {
        const count = (now: number) => store.countRequest('p1', now, WINDOW, 2);
        expect([await count(0), await count(1)]).toEqual(['allowed', 'allowed']);
        for (let now = 2; now < 1_000; now += 50) await count(now);
        expect([await count(1_001), await count(1_002)]).toEqual(['allowed', 'allowed']);
        expect(await count(1_003)).toBe('notice');
      }));

    it('counts each person apart', () =>
      withStore(async (store) => {
        const count = (person: string, now: number) => store.countRequest(person, now, WINDOW, 1);
        expect([await count('p1', 0), await count('p1', 1), await count('p1', 2)]).toEqual(['allowed', 'notice', 'quiet']);
        expect([await count('p2', 3), await count('p2', 4)]).toEqual(['allowed', 'notice']);
        expect(await count('p3', 5)).toBe('allowed');
      }));

    it('counts a hit stamped later than the request, so a request that waited cannot slip past the limit', () =>
      withStore(async (store) => {
        expect(await store.countRequest('p1', 500, WINDOW, 1)).toBe('allowed');
        expect(await store.countRequest('p1', 499, WINDOW, 1)).toBe('notice');
      }));

    it('prunes hits older than an hour and notices whose window has freed, and keeps the rest', () =>
      withStore(async (store, place) => {
        const now = 10 * RATE_HIT_MEMORY_MS;
        const count = (person: string, at: number) => store.countRequest(person, at, WINDOW, 1);
        expect([await count('old', now - RATE_HIT_MEMORY_MS - 1), await count('old', now - RATE_HIT_MEMORY_MS)]).toEqual(['allowed', 'notice']);
        expect(await count('an hour', now - RATE_HIT_MEMORY_MS)).toBe('allowed'); // exactly an hour old: kept
        expect([await count('blocked', now - 500), await count('blocked', now - 400)]).toEqual(['allowed', 'notice']);
        expect(await store.prune(now, 5 * RATE_HIT_MEMORY_MS)).toEqual({ events: 0, threads: 0, conversations: 0, rateLimits: 2 });
        expect([await place.count('rate_hits'), await place.count('rate_notices')]).toEqual([2, 1]);
        expect(await count('blocked', now - 300)).toBe('quiet'); // the block still in force kept its notice
        expect(await store.prune(now, 5 * RATE_HIT_MEMORY_MS)).toEqual({ events: 0, threads: 0, conversations: 0, rateLimits: 0 });
      }));
  });

  describe('bot threads and housekeeping', () => {
    it('remembers the threads the bot answered in, across reopening', () =>
      withStore(async (store, place) => {
        await store.rememberThread('C1', '171.1', 0);
        await store.rememberThread('C1', '171.1', 5);
        await store.close();
        const again = await place.open();
        expect(await again.isBotThread('C1', '171.1')).toBe(true);
        expect(await again.isBotThread('C1', '171.2')).toBe(false);
        expect(await again.isBotThread('C2', '171.1')).toBe(false);
        expect(await place.count('bot_threads')).toBe(1);
        await again.close();
      }));

    it('prunes expired events and threads quiet for too long, and keeps the rest', () =>
      withStore(async (store, place) => {
        const day = 86_400_000;
        await store.claimEvent('done', 0);
        await store.completeEvent('done', 0, 1_000);
        await store.claimEvent('in-flight', 10 * day - 1_000); // its lease runs a little past the prune
        await store.rememberThread('C', 'quiet', 0);
        await store.rememberThread('C', 'revived', 0);
        await store.rememberThread('C', 'revived', 9 * day); // answered again: kept as long as it is in use
        expect(await store.prune(10 * day, 5 * day)).toEqual({ events: 1, threads: 1, conversations: 0, rateLimits: 0 });
        expect(await store.isBotThread('C', 'quiet')).toBe(false);
        expect(await store.isBotThread('C', 'revived')).toBe(true);
        expect(await store.claimEvent('in-flight', 10 * day)).toBe(false);
        expect([await place.count('seen_events'), await place.count('bot_threads')]).toEqual([1, 1]);
        expect(await store.prune(10 * day, 5 * day)).toEqual({ events: 0, threads: 0, conversations: 0, rateLimits: 0 });
      }));

    it('prunes conversation turns older than a day, and keeps the rest', () =>
      withStore(async (store, place) => {
        const now = 10 * CONVERSATION_MEMORY_MS;
        await store.rememberTurn('old', 'turn', now - CONVERSATION_MEMORY_MS - 1);
        await store.rememberTurn('a day', 'turn', now - CONVERSATION_MEMORY_MS);
        await store.rememberTurn('recent', 'turn', now - 60_000);
        expect(await store.prune(now, CONVERSATION_MEMORY_MS)).toEqual({ events: 0, threads: 0, conversations: 1, rateLimits: 0 });
        expect([await store.lastTurn('old', 0), await store.lastTurn('a day', 0), await store.lastTurn('recent', 0)]).toEqual([undefined, 'turn', 'turn']);
        expect(await place.count('conversations')).toBe(2);
      }));
  });
}
