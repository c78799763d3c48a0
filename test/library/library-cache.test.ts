import { readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot.js';
import { openLibrary, type Library } from '../../src/library.js';
import { libraryCacheFile, libraryKey, openLibraryCached } from '../../src/library-cache.js';
import { packageRoot, shippedKnowledgeDir } from '../../src/paths.js';
import { InvertedIndex } from '../../src/search/inverted-index.js';
import { tokenize } from '../../src/search/tokenize.js';
import { tempFolder } from '../helpers.js';

/** Opens through the cache and says whether the saved library was used (no rebuild was logged). */
function openCached(dir: string, dataDir: string): { library: Library; fromCache: boolean; checkedBy?: string; reasons: string[] } {
  const reasons: string[] = [];
  let fromCache = false;
  let checkedBy: string | undefined;
  const log = {
    debug: (fields: { reason?: string; checkedBy?: string }, message: string) => {
      if (fields.reason !== undefined) return reasons.push(fields.reason);
      fromCache = message === 'saved index loaded';
      checkedBy = fields.checkedBy;
    },
    warn: (_: unknown, message: string) => reasons.push(`warn: ${message}`),
  };
  const library = openLibraryCached(dir, dataDir, log as never);
  if (!library.ok) throw new Error(library.error);
  return { library: library.value, fromCache, checkedBy, reasons };
}

async function replies(library: Library, questions: readonly string[]): Promise<string[]> {
  const bot = createBot(library);
  const out: string[] = [];
  for (const text of questions) out.push(JSON.stringify(await bot.handle({ text })));
  return out;
}

const evalQuestions = readFileSync(join(packageRoot, 'test/eval/questions.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => (JSON.parse(line) as { q: string }).q);

const note = (title: string, body: string) => `---\ntitle: ${title}\n---\n\n# ${title}\n\n## Usage\n\n${body}\n`;
const notesFolder = () =>
  tempFolder({
    'en/rollout.md': note('Rollouts', 'Roll back a deployment with kubectl rollout undo deployment/web; add --to-revision=2 for an older revision.'),
    'zh/ports.md': note('端口', 'apiserver 默认监听 6443 端口，kubelet 监听 10250 端口。'),
  });
const folderQuestions = ['how do I roll back a deployment', 'apiserver 默认端口是多少', 'rollbak to revision 2', 'what is a statefulset'];

describe('a saved library', () => {
  it('answers every eval question on the shipped notes exactly as a freshly built one', async () => {
    const dataDir = tempFolder({});
    const first = openCached(shippedKnowledgeDir, dataDir);
    expect(first.fromCache).toBe(false);
    const second = openCached(shippedKnowledgeDir, dataDir);
    expect(second.reasons).toEqual([]);
    const fresh = openLibrary(shippedKnowledgeDir);
    if (!fresh.ok) throw new Error(fresh.error);
    expect(second.library.problems).toEqual(fresh.value.problems);
    expect(second.library.tips).toEqual(fresh.value.tips);
    expect(second.library.commands.lookup('kubectl', 'rolout undo')).toEqual(fresh.value.commands.lookup('kubectl', 'rolout undo'));
    expect(await replies(second.library, evalQuestions)).toEqual(await replies(fresh.value, evalQuestions));
  }, 120_000);

  it('answers a team folder as a fresh build does, from a file only its owner can read', async () => {
    const dir = notesFolder();
    const dataDir = tempFolder({});
    const built = openCached(dir, dataDir);
    const loaded = openCached(dir, dataDir);
    expect([built.fromCache, loaded.fromCache]).toEqual([false, true]);
    expect(await replies(loaded.library, folderQuestions)).toEqual(await replies(built.library, folderQuestions));
    expect(statSync(libraryCacheFile(dir, dataDir)).mode & 0o777).toBe(0o600);
  });

  it('is rebuilt when a note changes, and answers from the new text', async () => {
    const dir = notesFolder();
    const dataDir = tempFolder({});
    openCached(dir, dataDir);
    writeFileSync(join(dir, 'zh/ports.md'), note('端口', 'apiserver 默认监听 7443 端口。'));
    const edited = openCached(dir, dataDir);
    expect(edited.reasons).toEqual(['made from other notes or another version of the bot']);
    const [answer] = await replies(edited.library, ['apiserver 默认端口是多少']);
    expect(answer).toContain('7443');
    expect(openCached(dir, dataDir).fromCache).toBe(true);
  });

  it('tells unchanged notes by their stamps once they have settled, and an edit that keeps size and mtime by its ctime', async () => {
    const dir = notesFolder();
    const dataDir = tempFolder({});
    const file = join(dir, 'zh/ports.md');
    // A whole second, which utimes sets exactly, as tar and touch -r would put it back.
    const mtime = 1_700_000_000;
    utimesSync(file, mtime, mtime);
    // Stamps of files changed within two seconds of being taken are never trusted (a coarse clock hides edits).
    await new Promise((done) => setTimeout(done, 2100));
    openCached(dir, dataDir);
    expect(openCached(dir, dataDir)).toMatchObject({ fromCache: true, checkedBy: 'stamps' });
    const before = statSync(file, { bigint: true });
    writeFileSync(file, note('端口', 'apiserver 默认监听 7443 端口，kubelet 监听 10250 端口。'));
    utimesSync(file, mtime, mtime);
    const after = statSync(file, { bigint: true });
    expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    const edited = openCached(dir, dataDir);
    expect(edited.reasons).toEqual(['made from other notes or another version of the bot']);
    expect((await replies(edited.library, ['apiserver 默认端口是多少']))[0]).toContain('7443');
  });

  it('reads the bytes of notes changed just before their stamps were taken', () => {
    const dir = notesFolder();
    const dataDir = tempFolder({});
    openCached(dir, dataDir);
    expect(openCached(dir, dataDir)).toMatchObject({ fromCache: true, checkedBy: 'contents' });
  });

  it('never reads a note too big to load, yet is rebuilt once it shrinks to a size that loads', () => {
    const dir = notesFolder();
    const huge = join(dir, 'en/huge.md');
    writeFileSync(huge, '');
    truncateSync(huge, 3 * 1024 * 1024);
    const key = libraryKey(dir);
    // Same size, other bytes: the note is refused either way, so the library it would build is the same.
    writeFileSync(huge, Buffer.alloc(3 * 1024 * 1024, 'x'));
    expect(libraryKey(dir)).toBe(key);
    writeFileSync(huge, note('Huge', 'Now small enough to read.'));
    expect(libraryKey(dir)).not.toBe(key);
  });

  it.each([
    ['random bytes', (_: Buffer) => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), 'not a k8s-notes-bot snapshot'],
    ['a truncated file', (b: Buffer) => b.subarray(0, Math.floor(b.length / 2)), 'holds'],
    ['a wrong magic', (b: Buffer) => Buffer.concat([Buffer.from('NOTMAGIC'), b.subarray(8)]), 'not a k8s-notes-bot snapshot'],
    ['one flipped byte of postings', (b: Buffer) => Buffer.from(b.map((x, i) => (i === b.length - 3 ? x ^ 0xff : x))), 'damaged'],
  ])('ignores %s and rebuilds it', async (_, damage, reason) => {
    const dir = notesFolder();
    const dataDir = tempFolder({});
    const built = openCached(dir, dataDir);
    const file = libraryCacheFile(dir, dataDir);
    writeFileSync(file, damage(readFileSync(file)));
    const reopened = openCached(dir, dataDir);
    expect(reopened.fromCache).toBe(false);
    expect(reopened.reasons[0]).toContain(reason);
    expect(await replies(reopened.library, folderQuestions)).toEqual(await replies(built.library, folderQuestions));
    expect(openCached(dir, dataDir).fromCache).toBe(true);
  });

  it('still answers when the cache cannot be written, and says why', () => {
    const dir = notesFolder();
    // A file where the cache folder should be stops even root, which permissions would not.
    const dataDir = tempFolder({ cache: 'not a folder' });
    const opened = openCached(dir, dataDir);
    expect(opened.library.notes).toHaveLength(2);
    expect(opened.reasons.at(-1)).toMatch(/^warn: cannot create .*cache.*next start will index the notes again$/);
  });
});

describe('InvertedIndex snapshots', () => {
  const index = new InvertedIndex();
  index.add(['pod', 'node', 'pod']);
  index.add(['node']);
  index.finish();

  it('load into an index scoring the same', () => {
    const loaded = InvertedIndex.fromSnapshot(index.toSnapshot());
    if (!loaded.ok) throw new Error(loaded.error);
    for (const term of ['pod', 'node', 'missing']) {
      expect([loaded.value.idf(term), loaded.value.impact(term, 0), loaded.value.impact(term, 1)]).toEqual([index.idf(term), index.impact(term, 0), index.impact(term, 1)]);
    }
  });

  it('keep an empty term (a word of only underscores makes one) apart from no terms at all', () => {
    const underscores = new InvertedIndex();
    underscores.add(tokenize('___'));
    underscores.finish();
    const loaded = InvertedIndex.fromSnapshot(underscores.toSnapshot());
    if (!loaded.ok) throw new Error(loaded.error);
    expect([...loaded.value.terms()]).toEqual(['']);
    expect(loaded.value.documentFrequency('')).toBe(1);

    const empty = new InvertedIndex();
    empty.finish();
    const none = InvertedIndex.fromSnapshot(empty.toSnapshot());
    if (!none.ok) throw new Error(none.error);
    expect([...none.value.terms()]).toEqual([]);
  });

  it('refuse postings naming a document the index does not have', () => {
    const snapshot = index.toSnapshot();
    snapshot.docs[0] = 9;
    expect(InvertedIndex.fromSnapshot(snapshot)).toEqual({ ok: false, error: 'postings of term 0 are out of order or range' });
  });
});
