import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../app/cli.js';
import { pidFileOf } from '../../app/pid-file.js';
import { buildInWorker, liveBot, LiveLibrary, type LiveLibraryOptions, type ReloadOutcome } from '../../app/reload.js';
import { createBot } from '../../src/bot.js';
import { packageRoot } from '../../src/paths.js';
import { plainText } from '../../src/reply.js';
import { compileForChild } from '../support/compile.js';
import { tempFolder } from '../helpers.js';

const note = (title: string, body: string) => `---\ntitle: ${title}\nlang: en\n---\n\n# ${title}\n\n## Ports\n\n${body}\n`;
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

// Each reload indexes the shipped glossary again: seconds on a loaded two-core machine.
vi.setConfig({ testTimeout: 30_000 });

const opened: LiveLibrary[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((live) => live.close()));
});

function open(dir: string, extra: Partial<LiveLibraryOptions> = {}) {
  const outcomes: ReloadOutcome[] = [];
  const errors: string[] = [];
  const log = { ...quiet, error: (_: unknown, message: string) => void errors.push(message) } as unknown as LiveLibraryOptions['log'];
  const live = LiveLibrary.open({ dir, dataDir: tempFolder({}), log, onReload: (o) => outcomes.push(o), ...extra });
  if (!live.ok) throw new Error(live.error);
  opened.push(live.value);
  const bot = liveBot(live.value, (library) => createBot(library));
  const ask = async (q: string) => plainText(await bot.handle({ text: q }));
  return { live: live.value, ask, outcomes, errors };
}

/** Resolves once `outcomes` holds `count` entries, or fails after `ms`. */
async function reloads(outcomes: ReloadOutcome[], count: number, ms = 10_000): Promise<ReloadOutcome[]> {
  const until = Date.now() + ms;
  while (outcomes.length < count) {
    if (Date.now() > until) throw new Error(`expected ${count} reloads in ${ms} ms, saw ${JSON.stringify(outcomes)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return outcomes;
}

describe('reloading the notes', () => {
  it('answers from an added, an edited and then without a deleted note', async () => {
    const dir = tempFolder({ 'api.md': note('API server', 'The kube-apiserver listens on port 6443 by default.') });
    const { live, ask } = open(dir);
    expect(await ask('which port does etcd listen on')).not.toContain('2379');
    writeFileSync(join(dir, 'etcd.md'), note('etcd', 'etcd serves its clients on port 2379 and its peers on 2380.'));
    expect(await live.reload('added')).toBe('ok');
    expect(await ask('which port does etcd listen on')).toContain('2379');
    writeFileSync(join(dir, 'etcd.md'), note('etcd', 'In this cluster etcd serves its clients on port 12379.'));
    expect(await live.reload('edited')).toBe('ok');
    expect(await ask('which port does etcd listen on')).toContain('12379');
    rmSync(join(dir, 'etcd.md'));
    expect(await live.reload('deleted')).toBe('ok');
    expect(await ask('which port does etcd listen on')).not.toContain('12379');
    expect(await live.reload('nothing changed')).toBe('unchanged');
  });

  it('keeps the old notes, and says why, when the new folder cannot be loaded at all', async () => {
    const dir = tempFolder({ 'api.md': note('API server', 'The kube-apiserver listens on port 6443 by default.') });
    const { live, ask, errors } = open(dir);
    writeFileSync(join(dir, 'api.md'), '---\ndraft: true\n---\n');
    expect(await live.reload('broken')).toBe('failed');
    expect(errors[0]).toMatch(/^reload failed, still answering from the notes loaded before: None of the 1 notes/);
    expect(await ask('what port does the apiserver use')).toContain('6443');
  });

  it('skips a broken note as a start does, and loads the rest', async () => {
    const dir = tempFolder({ 'api.md': note('API server', 'The kube-apiserver listens on port 6443 by default.') });
    const { live, ask } = open(dir);
    writeFileSync(join(dir, 'etcd.md'), note('etcd', 'etcd serves its clients on port 2379.'));
    writeFileSync(join(dir, 'bad.md'), Buffer.from([0x23, 0x20, 0x00, 0xff]));
    expect(await live.reload('one good, one binary')).toBe('ok');
    expect(live.current.problems.map((p) => p.file)).toEqual(['bad.md']);
    expect(await ask('which port does etcd listen on')).toContain('2379');
  });

  it('notices an edit by itself, once, after the writes settle', async () => {
    const dir = tempFolder({ 'api.md': note('API server', 'The kube-apiserver listens on port 6443 by default.') });
    const { live, ask, outcomes } = open(dir);
    await live.watch(200);
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'etcd.md'), note('etcd', `etcd serves its clients on port 2379 (save ${i}).`));
    expect(await reloads(outcomes, 1)).toEqual(['ok']);
    expect(await ask('which port does etcd listen on')).toContain('2379');
    await new Promise((r) => setTimeout(r, 600));
    expect(outcomes).toEqual(['ok']);
  });

  it('follows a ConfigMap update, which swaps the ..data symlink and touches no note file', async () => {
    // The layout the kubelet gives a ConfigMap volume: each key a symlink through ..data to a dated folder.
    const dir = tempFolder({ '..2026_12_01/api.md': note('API server', 'The kube-apiserver listens on port 6443 by default.') });
    symlinkSync('..2026_12_01', join(dir, '..data'));
    symlinkSync('..data/api.md', join(dir, 'api.md'));
    const { live, ask, outcomes } = open(dir);
    expect(await ask('what port does the apiserver use')).toContain('6443');
    await live.watch(200);
    mkdirSync(join(dir, '..2026_12_02'));
    writeFileSync(join(dir, '..2026_12_02/api.md'), note('API server', 'Our kube-apiserver listens on port 16443.'));
    symlinkSync('..2026_12_02', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    rmSync(join(dir, '..2026_12_01'), { recursive: true });
    expect(await reloads(outcomes, 1)).toEqual(['ok']);
    expect(await ask('what port does the apiserver use')).toContain('16443');
  });
});

describe('reloading in a worker thread', () => {
  let worker: ReturnType<typeof compileForChild>;
  beforeAll(() => {
    worker = compileForChild(join(packageRoot, 'app/library-worker.ts'));
  });
  afterAll(() => worker?.remove());

  it('keeps answering every question from the old notes while the new ones are indexed', async () => {
    const files: Record<string, string> = { 'api.md': note('API server', 'The kube-apiserver listens on port 6443 by default.') };
    // Enough notes that indexing them takes a while, so questions arrive while it runs.
    for (let i = 0; i < 300; i++) files[`filler/${i}.md`] = note(`Filler ${i}`, `Filler note ${i} about pods, services and deployments number ${i}.`.repeat(20));
    const dir = tempFolder(files);
    const { live, ask } = open(dir, { build: buildInWorker(worker.entry) });
    writeFileSync(join(dir, 'api.md'), note('API server', 'Our kube-apiserver listens on port 16443.'));
    let done = false;
    const reloaded = live.reload('edited').finally(() => (done = true));
    const during: string[] = [];
    while (!done) {
      during.push(await ask('what port does the apiserver use'));
      await new Promise((r) => setImmediate(r));
    }
    expect(await reloaded).toBe('ok');
    expect(during.length).toBeGreaterThan(1);
    expect(during.every((answer) => answer.includes('6443'))).toBe(true);
    expect(await ask('what port does the apiserver use')).toContain('16443');
  }, 60_000);
});

describe('k8s-notes-bot reload', () => {
  const run = async (dataDir: string) => {
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    out.on('data', (c) => (stdout += c));
    err.on('data', (c) => (stderr += c));
    const code = await main(['reload'], { stdin: new PassThrough(), stdout: out, stderr: err, env: { DATA_DIR: dataDir }, cwd: dataDir });
    return { code, stdout, stderr };
  };

  it('sends SIGHUP to the bot named by the pid file in DATA_DIR', async () => {
    const dataDir = tempFolder({});
    const bot = spawn(process.execPath, ['-e', "process.on('SIGHUP', () => { console.log('reloading'); process.exit(0); }); console.log('up'); setInterval(() => {}, 1000);"]);
    let output = '';
    bot.stdout.on('data', (c) => (output += c));
    await new Promise<void>((resolve) => bot.stdout.once('data', () => resolve()));
    writeFileSync(pidFileOf(dataDir), `${bot.pid}\n`);
    const exited = new Promise<number | null>((resolve) => bot.once('exit', resolve));
    const result = await run(dataDir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`process ${bot.pid}`);
    expect(await exited).toBe(0);
    expect(output).toBe('up\nreloading\n');
  });

  it('says plainly when no bot runs on DATA_DIR', async () => {
    const dataDir = tempFolder({});
    expect(await run(dataDir)).toMatchObject({ code: 1, stderr: expect.stringMatching(/^No running bot found: .*bot\.pid is missing/) });
    // A pid file left by a bot that died: process ids this high are not in use.
    writeFileSync(pidFileOf(dataDir), '4194300\n');
    expect(await run(dataDir)).toMatchObject({ code: 1, stderr: expect.stringContaining('names process 4194300, which is not running') });
  });
});
