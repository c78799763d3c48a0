import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledge, type Knowledge } from '../../src/knowledge/load.js';
import { packageRoot } from '../../src/paths.js';
import type { Problem } from '../../src/problem.js';
import { compileForChild } from '../support/compile.js';
import { tempFolder } from '../helpers.js';

const note = (title: string) => `---\ntitle: ${title}\n---\n\nPods run containers; ${title} says so.\n`;

function loaded(dir: string): Knowledge {
  const result = loadKnowledge(dir);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const paths = (k: Knowledge) => k.notes.map((n) => n.path);
const problemOf = (k: Knowledge, file: string) => k.problems.find((p) => p.file === file);

describe('loadKnowledge: what the folder holds besides notes', () => {
  it('follows a symlink to a note or a folder inside the knowledge folder', () => {
    const dir = tempFolder({ 'real.md': note('Real'), 'sub/inner.md': note('Inner') });
    symlinkSync('real.md', join(dir, 'alias.md'));
    symlinkSync('sub', join(dir, 'linked'));
    const k = loaded(dir);
    expect(paths(k)).toEqual(['alias.md', 'linked/inner.md', 'real.md', 'sub/inner.md']);
    expect(k.problems).toEqual([]);
  });

  it('reports a dangling symlink with its path and target, and loads the rest', () => {
    const dir = tempFolder({ 'good.md': note('Good') });
    symlinkSync('/nonexistent', join(dir, 'x.md'));
    const k = loaded(dir);
    expect(paths(k)).toEqual(['good.md']);
    expect(problemOf(k, 'x.md')).toMatchObject({ severity: 'error', message: 'symlink to /nonexistent, which does not exist' });
  });

  it('reports symlink loops, between two links and back to a folder above, and reads every note once', () => {
    const dir = tempFolder({ 'good.md': note('Good'), 'sub/deep.md': note('Deep') });
    symlinkSync('b.md', join(dir, 'a.md'));
    symlinkSync('a.md', join(dir, 'b.md'));
    symlinkSync('..', join(dir, 'sub', 'up'));
    symlinkSync('.', join(dir, 'here'));
    const k = loaded(dir);
    expect(paths(k)).toEqual(['good.md', 'sub/deep.md']);
    expect(problemOf(k, 'a.md')?.message).toMatch(/leads back to itself \(a loop\)/);
    expect(problemOf(k, 'b.md')?.message).toMatch(/a loop/);
    expect(problemOf(k, 'sub/up')?.message).toBe('symlink to ., a folder it is in: following it would go round in circles');
    expect(problemOf(k, 'here')?.message).toMatch(/round in circles/);
  });

  it('does not follow a symlink out of the knowledge folder, to a note or a folder', () => {
    const outside = tempFolder({ 'secret.md': note('Secret'), 'more/other.md': note('Other') });
    const dir = tempFolder({ 'good.md': note('Good') });
    symlinkSync(join(outside, 'secret.md'), join(dir, 'secret.md'));
    symlinkSync(join(outside, 'more'), join(dir, 'more'));
    symlinkSync(join('..', outside.split('/').at(-1)!, 'secret.md'), join(dir, 'relative.md'));
    const k = loaded(dir);
    expect(paths(k)).toEqual(['good.md']);
    for (const file of ['secret.md', 'more', 'relative.md']) expect(problemOf(k, file)?.message).toMatch(/outside the knowledge folder: only links within it are followed/);
    expect(JSON.stringify(k.notes)).not.toContain('Secret');
  });

  it('reports a subfolder it cannot read and loads the rest (as root, which reads it anyway, loads it)', () => {
    const dir = tempFolder({ 'good.md': note('Good'), 'private/hidden-away.md': note('Private') });
    chmodSync(join(dir, 'private'), 0o000);
    let privileged = false;
    try {
      readdirSync(join(dir, 'private'));
      privileged = true;
    } catch {
      // The usual case: not root, so the folder is unreadable as intended.
    }
    try {
      const k = loaded(dir);
      if (privileged) {
        expect(paths(k)).toEqual(['good.md', 'private/hidden-away.md']);
      } else {
        expect(paths(k)).toEqual(['good.md']);
        expect(problemOf(k, 'private')).toMatchObject({ severity: 'error', message: expect.stringMatching(/^folder cannot be read \(EACCES/) });
      }
    } finally {
      chmodSync(join(dir, 'private'), 0o755);
    }
  });

  it('fails with the first skipped entry when nothing usable is left, and says when the path is not a folder', () => {
    const dir = tempFolder({});
    symlinkSync('/nonexistent', join(dir, 'x.md'));
    const only = loadKnowledge(dir);
    expect(only.ok).toBe(false);
    expect(!only.ok && only.error).toMatch(/holds no markdown notes .* First problem: x\.md:1: symlink to \/nonexistent, which does not exist \(skipped\)\./);
    const file = join(tempFolder({ 'a.md': note('A') }), 'a.md');
    expect(loadKnowledge(file)).toEqual({ ok: false, error: expect.stringContaining(`Knowledge folder ${file} is not a folder.`) });
  });
});

describe('loadKnowledge: entries that would block or never end', () => {
  let compiled: ReturnType<typeof compileForChild>;
  beforeAll(() => {
    compiled = compileForChild(join(packageRoot, 'src/knowledge/load.ts'));
  });
  afterAll(() => compiled?.remove());

  /** Loads `dir` in a child process: a load that blocks fails the test after a few seconds, not the run. */
  function loadInChild(dir: string): { ok: boolean; notes: string[]; problems: Problem[] } {
    const child = spawnSync(process.execPath, [join(packageRoot, 'test/knowledge/load-folder-child.mjs'), compiled.entry, dir], { timeout: 10_000, encoding: 'utf8' });
    if (child.signal) throw new Error(`loading ${dir} did not finish in 10 s (${child.signal})`);
    return JSON.parse(child.stdout);
  }

  it('never opens a FIFO or a device named like a note, and loads the rest', () => {
    const dir = tempFolder({ 'good.md': note('Good') });
    // Only a platform without FIFOs (Windows) may lack mkfifo; anywhere else a missing mkfifo fails the test.
    const hasFifos = process.platform !== 'win32';
    if (hasFifos) execFileSync('mkfifo', [join(dir, 'pipe.md')]);
    // Only root may make a device node: /dev/zero's twin inside the folder.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('mknod', [join(dir, 'zero.md'), 'c', '1', '5']);
    const outcome = loadInChild(dir);
    expect(outcome.notes).toEqual(['good.md']);
    const expected = [
      ...(hasFifos ? [{ file: 'pipe.md', line: 1, severity: 'error', message: 'is a named pipe (FIFO), not a regular file' }] : []),
      ...(asRoot ? [{ file: 'zero.md', line: 1, severity: 'error', message: 'is a device, not a regular file' }] : []),
    ];
    expect(outcome.problems).toEqual(expected);
  });

  it('never reads a symlink to /dev/zero, and loads the rest', () => {
    const dir = tempFolder({ 'good.md': note('Good') });
    symlinkSync('/dev/zero', join(dir, 'zero.md'));
    const started = Date.now();
    const outcome = loadInChild(dir);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcome.notes).toEqual(['good.md']);
    expect(outcome.problems).toEqual([expect.objectContaining({ file: 'zero.md', message: expect.stringMatching(/^symlink to \/dev\/zero, outside the knowledge folder/) })]);
  });
});
