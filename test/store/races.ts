import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { EVENT_LEASE_MS } from '../../src/store/backend.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/store.js';
import { compileForChild } from '../support/compile.js';
import { quietLog, serverEngine, urlFor } from './engines.js';

const ROUNDS = 200;
const DAY = '2026-05-04';
const LEASE_MS = 60_000;

async function open(url: string): Promise<Store> {
  const store = await openPostgresStore(url, quietLog);
  if (!store.ok) throw new Error(store.error);
  return store.value;
}

/** Calls `attempt` until it resolves, for a store whose connections were just cut; how many calls failed. */
async function untilItWorks<T>(attempt: () => Promise<T>): Promise<{ value: T; failed: number }> {
  for (let failed = 0; ; failed++) {
    try {
      return { value: await attempt(), failed };
    } catch (error) {
      if (failed > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Several replicas on one real server: stores with separate pools, a killed process, connections cut. */
export function serverRaces(url: string): void {
  describe('PostgreSQL server: replicas racing for the same state', () => {
    let engine: Awaited<ReturnType<typeof serverEngine>>;
    beforeAll(async () => {
      engine = await serverEngine(url);
      console.info(`Store races: running on ${engine.name}`);
    });
    afterAll(() => engine?.dispose());

    it('migrates once when four replicas start on an empty schema together', async () => {
      const schema = await engine.schema();
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(urlFor(url, schema), quietLog)));
      expect(stores.map((s) => (s.ok ? 'ok' : s.error))).toEqual(['ok', 'ok', 'ok', 'ok']);
      const versions = await engine.admin.query(`SELECT version FROM ${schema}.store_migrations`);
      expect(versions.rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      await Promise.all(stores.map((s) => s.ok && s.value.close()));
    });

    it(`gives each tip-day, digest week, event and thread to exactly one of two stores, ${ROUNDS} times`, async () => {
      const schema = await engine.schema();
      const [a, b] = [await open(urlFor(url, schema)), await open(urlFor(url, schema))];
      const tipWinners: number[] = [];
      const tipsChosen: string[] = [];
      const digestWinners: number[] = [];
      const eventWinners: number[] = [];
      const threadsSeen: boolean[] = [];
      // Rounds run 20 at a time, so each store's pool has several connections contending at once.
      for (let batch = 0; batch < ROUNDS; batch += 20) {
        await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const n = batch + i;
            const channel = `race-${n}`;
            const race = async (store: Store, tip: string) => {
              const chosen = await store.chooseTip(channel, DAY, () => ({ tipId: tip, cycle: 1 }), 0);
              return { chosen: chosen!.tipId, claimed: await store.claimPost(channel, DAY, 1_000, 1_000 + LEASE_MS) };
            };
            const [ta, tb] = await Promise.all([race(a, 'tip-a'), race(b, 'tip-b')]);
            tipWinners.push(Number(ta.claimed) + Number(tb.claimed));
            tipsChosen.push(ta.chosen === tb.chosen ? 'same' : `${ta.chosen} vs ${tb.chosen}`);
            // A week never seen: both claims race to create its row, and one of them finds it taken.
            const [da, db] = await Promise.all([a.claimDigest(channel, '2026-W19', 1_000, 1_000 + LEASE_MS), b.claimDigest(channel, '2026-W19', 1_000, 1_000 + LEASE_MS)]);
            digestWinners.push(Number(da) + Number(db));
            const [ea, eb] = await Promise.all([a.claimEvent(`slack:C:${n}`, 1_000), b.claimEvent(`slack:C:${n}`, 1_000)]);
            eventWinners.push(Number(ea) + Number(eb));
            await Promise.all([a.rememberThread('C', `t${n}`, 1_000), b.rememberThread('C', `t${n}`, 1_001)]);
            threadsSeen.push((await a.isBotThread('C', `t${n}`)) && (await b.isBotThread('C', `t${n}`)));
          }),
        );
      }
      expect(tipWinners).toEqual(Array(ROUNDS).fill(1));
      expect(tipsChosen).toEqual(Array(ROUNDS).fill('same'));
      expect(digestWinners).toEqual(Array(ROUNDS).fill(1));
      expect(eventWinners).toEqual(Array(ROUNDS).fill(1));
      expect(threadsSeen).toEqual(Array(ROUNDS).fill(true));
      const counted = await engine.admin.query(`SELECT (SELECT COUNT(*) FROM ${schema}.tip_days) AS tips, (SELECT COUNT(*) FROM ${schema}.digest_weeks) AS digests, (SELECT COUNT(*) FROM ${schema}.seen_events) AS events, (SELECT COUNT(*) FROM ${schema}.bot_threads) AS threads`);
      expect(counted.rows[0]).toEqual({ tips: String(ROUNDS), digests: String(ROUNDS), events: String(ROUNDS), threads: String(ROUNDS) });
      expect([a.stats().failedLookups, b.stats().failedLookups]).toEqual([0, 0]);
      await Promise.all([a.close(), b.close()]);
    }, 120_000);

    it('allows exactly the limit and tells the person once when two stores count one person at once', async () => {
      const schema = await engine.schema();
      const [a, b] = [await open(urlFor(url, schema)), await open(urlFor(url, schema))];
      const REQUESTS = 40;
      const LIMIT = 20;
      // Stamps taken before waiting for the lock, so they reach the database out of order, as on replicas.
      const decisions = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => (i % 2 ? a : b).countRequest('person-1', 1_000 + ((i * 7) % REQUESTS), 60_000, LIMIT)));
      const tally = (decision: string) => decisions.filter((d) => d === decision).length;
      expect({ allowed: tally('allowed'), notice: tally('notice'), quiet: tally('quiet') }).toEqual({ allowed: LIMIT, notice: 1, quiet: REQUESTS - LIMIT - 1 });
      const hits = await engine.admin.query(`SELECT COUNT(*) AS n FROM ${schema}.rate_hits`);
      expect(hits.rows[0]).toEqual({ n: String(LIMIT) });
      expect([a.stats().failedLookups, b.stats().failedLookups]).toEqual([0, 0]);
      await Promise.all([a.close(), b.close()]);
    }, 60_000);

    it('leaves a killed process its claims until their leases run out, then lets the next replica take them', async () => {
      const schema = await engine.schema();
      const compiled = compileForChild(join(packageRoot, 'src/store/postgres.ts'));
      const now = Date.now();
      const child = spawn(process.execPath, [join(packageRoot, 'test/store/claim-child.mjs'), compiled.entry, urlFor(url, schema), 'ops', DAY, 'discord:message:1', String(now), String(now + LEASE_MS)]);
      try {
        const line = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
        expect(JSON.parse(String(line.value))).toEqual({ tip: true, event: true });
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
        const next = await open(urlFor(url, schema));
        expect(await next.claimPost('ops', DAY, now + 1_000, now + 1_000 + LEASE_MS)).toBe(false);
        expect(await next.claimEvent('discord:message:1', now + 1_000)).toBe(false);
        expect(await next.claimPost('ops', DAY, now + LEASE_MS, now + 2 * LEASE_MS)).toBe(true);
        expect(await next.claimEvent('discord:message:1', now + EVENT_LEASE_MS)).toBe(true);
        expect(await next.tipDay('ops', DAY)).toMatchObject({ tipId: 'from-the-child', attempts: 2 });
        await next.close();
      } finally {
        child.kill('SIGKILL');
        compiled.remove();
      }
    }, 60_000);

    it('recovers when the server cuts its connections mid-run: no question lost, no tip claimed twice', async () => {
      const schema = await engine.schema();
      const name = `k8s-notes-bot-cut-${process.pid}`;
      const store = await open(urlFor(url, schema, name));
      await store.chooseTip('ops', DAY, () => ({ tipId: 'a', cycle: 1 }), 0);
      // Several connections open, so the cut hits idle and busy ones alike.
      await Promise.all(Array.from({ length: 5 }, (_, i) => store.isBotThread('C', `warm${i}`)));
      const cut = async () =>
        (await engine.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name])).rowCount ?? 0;

      for (let i = 0; i < 20; i++) store.logQuestion({ question: `before ${i}`, lang: 'en', answered: false, at: i });
      expect(await cut()).toBeGreaterThan(0);
      for (let i = 0; i < 20; i++) store.logQuestion({ question: `after ${i}`, lang: 'en', answered: false, at: 100 + i });
      // Claims right after the cut may fail; a failed claim is no claim, and exactly one claim ever succeeds.
      const claims: boolean[] = [];
      const first = await untilItWorks(async () => claims.push(await store.claimPost('ops', DAY, 1_000, 1_000 + LEASE_MS)));
      claims.push(await store.claimPost('ops', DAY, 2_000, 2_000 + LEASE_MS));
      expect(claims).toEqual([true, false]);

      expect(await cut()).toBeGreaterThan(0);
      // Answers go on: an event claim or thread lookup that fails falls back instead of throwing.
      expect(await store.claimEvent('slack:C:1', 1_000)).toBe(true);
      await untilItWorks(() => store.rememberThread('C', 'after-the-cut', 1_000));
      await untilItWorks(async () => {
        await store.flush();
        if (store.stats().pending > 0) throw new Error('questions still waiting');
      });
      expect(await engine.admin.query(`SELECT COUNT(*) AS n FROM ${schema}.questions`).then((r) => r.rows[0])).toEqual({ n: '40' });
      expect(store.stats()).toMatchObject({ pending: 0, lost: 0 });
      expect(await store.isBotThread('C', 'after-the-cut')).toBe(true);
      console.info(`Store races: after the cuts, ${first.failed} tip claim(s) failed and were retried; ${store.stats().failedWrites} log write(s) and ${store.stats().failedLookups} lookup(s) failed and were recovered`);
      await store.close();
    }, 60_000);
  });
}
