import { spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { tempFolder } from '../helpers.js';
import { compileForChild } from '../support/compile.js';

const note = (port: number) => `---\ntitle: Ports\n---\n\n# Ports\n\n## Defaults\n\nThe apiserver listens on port ${port} by default.\n`;

/**
 * Each `ask` is a fresh process of the command line as compiled now (a copy of the code this test may edit),
 * so all that carries over between two of them is what was saved under DATA_DIR.
 */
describe('ask in a fresh process', () => {
  let cli: ReturnType<typeof compileForChild>;
  beforeAll(() => {
    cli = compileForChild(join(packageRoot, 'app/cli.ts'));
  }, 60_000);
  afterAll(() => cli.remove());

  /** The answer, and what the run's debug log says of the saved index. */
  const ask = (dir: string, dataDir: string) => {
    const run = spawnSync(process.execPath, [cli.entry, 'ask', '--json', '--knowledge', dir, 'what port does the apiserver listen on'], {
      cwd: tempFolder({}),
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'debug' },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const saved = run.stderr
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; reason?: string })
      .filter((record) => record.msg.startsWith('saved index'))
      .map((record) => (record.reason ? `${record.msg}: ${record.reason}` : record.msg));
    return { answer: (JSON.parse(run.stdout) as { answer: string }).answer, saved };
  };

  it('loads the index the first run saved, and rebuilds it when a note changes', () => {
    const dir = tempFolder({ 'ports.md': note(6443) });
    const dataDir = tempFolder({});
    const first = ask(dir, dataDir);
    expect(first.saved).toEqual(['saved index not used; building it: none saved yet']);
    const second = ask(dir, dataDir);
    expect(second).toEqual({ answer: first.answer, saved: ['saved index loaded'] });
    expect(first.answer).toContain('6443');

    writeFileSync(join(dir, 'ports.md'), note(7443));
    const edited = ask(dir, dataDir);
    expect(edited.saved).toEqual(['saved index not used; building it: made from other notes or another version of the bot']);
    expect(edited.answer).toContain('7443');
  }, 60_000);

  it('rebuilds it when the code that builds the index changes', () => {
    const dir = tempFolder({ 'ports.md': note(6443) });
    const dataDir = tempFolder({});
    ask(dir, dataDir);
    expect(ask(dir, dataDir).saved).toEqual(['saved index loaded']);
    // The copy's tokenizer, as a release that changes it would ship: the same notes, other code.
    appendFileSync(join(cli.entry, '..', '..', 'src', 'search', 'tokenize.js'), '\n// a later version of the tokenizer\n');
    expect(ask(dir, dataDir).saved).toEqual(['saved index not used; building it: made from other notes or another version of the bot']);
    expect(ask(dir, dataDir).saved).toEqual(['saved index loaded']);
  }, 60_000);
});
