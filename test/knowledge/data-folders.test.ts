import { symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/commands/load.js';
import type { Problem } from '../../src/problem.js';
import { loadGlossary } from '../../src/search/glossary.js';
import { loadTips } from '../../src/tips/load.js';
import { tempFolder } from '../helpers.js';

const good = {
  commands: [
    'tool: kubectl',
    'commands:',
    '  - path: get',
    '    usage: kubectl get <kind>',
    '    summary: { zh: 列出资源。, en: List resources. }',
    '    intents: { zh: [查看资源], en: [list resources] }',
    '    examples:',
    '      - { run: kubectl get pods, zh: 列出 Pod。, en: List the pods. }',
    '      - { run: kubectl get nodes, zh: 列出节点。, en: List the nodes. }',
  ].join('\n'),
  tips: 'tips:\n  - id: one\n    zh: 先看 rollout history 再回滚。\n    en: Look at the rollout history first.\n    try: kubectl rollout history deployment/web\n    see: ["kubectl rollout history"]\n',
  groups: 'groups:\n  - [滚动更新, rolling update]\n',
};

/** A data folder holding one good file and every kind of entry a loader must skip with a reason. */
function hostileFolder(goodFile: string): string {
  const dir = tempFolder({ 'good.yaml': goodFile, 'sub/binary.yaml': 'tips:\n\0\0\0', 'latin1.yaml': '' });
  writeFileSync(join(dir, 'latin1.yaml'), Buffer.from([0x74, 0x69, 0x70, 0x73, 0x3a, 0x0a, 0xe9, 0x0a]));
  writeFileSync(join(dir, 'huge.yaml'), '');
  truncateSync(join(dir, 'huge.yaml'), 3 * 1024 * 1024);
  symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'dangling.yaml'));
  symlinkSync('/etc/hostname', join(dir, 'outside.yaml'));
  return dir;
}

const reasons = (problems: Problem[]) => Object.fromEntries(problems.map((p) => [p.file, `${p.line}: ${p.message}`]));

describe.each([
  ['catalog', good.commands, (dir: string) => { const c = loadCatalog(dir); return { loaded: c.commands.length, problems: c.problems }; }],
  ['tips', good.tips, (dir: string) => { const t = loadTips(dir); return { loaded: t.tips.length, problems: t.problems }; }],
  ['glossary', good.groups, (dir: string) => { const g = loadGlossary([dir]); return { loaded: g.groups.length, problems: g.problems }; }],
])('the %s folder', (_, goodFile, load) => {
  it('reports each entry it skips, with its path and reason, and loads the good file', () => {
    const { loaded, problems } = load(hostileFolder(goodFile));
    expect(loaded).toBe(1);
    const byFile = reasons(problems);
    expect(Object.keys(byFile).sort()).toEqual(['dangling.yaml', 'huge.yaml', 'latin1.yaml', 'outside.yaml', 'sub/binary.yaml']);
    expect(byFile['dangling.yaml']).toMatch(/^1: symlink to .*nowhere\.yaml, which does not exist$/);
    expect(byFile['outside.yaml']).toMatch(/^1: symlink to \/etc\/hostname, outside the knowledge folder/);
    expect(byFile['huge.yaml']).toBe('1: is 3 MB, over the 2 MB a knowledge file may have; split it into smaller files');
    expect(byFile['latin1.yaml']).toBe('2: is not valid UTF-8 text; save it as UTF-8');
    expect(byFile['sub/binary.yaml']).toBe('2: holds NUL bytes: it is a binary file, not text');
  });
});

describe('the catalog flag lists', () => {
  it('are refused when flags.json is not text, and the commands still load', () => {
    const dir = tempFolder({ 'kubectl.yaml': good.commands });
    writeFileSync(join(dir, 'flags.json'), Buffer.from([0x7b, 0x00, 0x7d]));
    const catalog = loadCatalog(dir);
    expect(catalog.commands).toHaveLength(1);
    expect(catalog.flagLists).toBeUndefined();
    expect(catalog.problems).toEqual([{ file: 'flags.json', line: 1, severity: 'error', message: 'holds NUL bytes: it is a binary file, not text' }]);
  });
});
