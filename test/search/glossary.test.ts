import { describe, expect, it } from 'vitest';
import { shippedGlossaryDir } from '../../src/paths.js';
import { loadGlossary } from '../../src/search/glossary.js';
import { libraryOf, tempFolder } from '../helpers.js';
import { answerQuery } from '../../src/answer/answer.js';
import { plainText } from '../../src/reply.js';

describe('glossary', () => {
  it('loads the shipped files without a problem, everyday words marked as such', () => {
    const { groups, problems } = loadGlossary([shippedGlossaryDir]);
    expect(problems).toEqual([]);
    expect(groups.length).toBeGreaterThan(300);
    expect(groups.find((g) => g.phrases.includes('rollback'))?.everyday).toBe(false);
    expect(groups.find((g) => g.phrases.includes('file'))?.everyday).toBe(true);
  });

  it('reports a bad group with its file and line and loads the rest', () => {
    const dir = tempFolder({ 'terms.yaml': 'groups:\n  - [灰度发布, canary]\n  - 42\n  - [" "]\n  - [set up, 部署]\n' });
    const { groups, problems } = loadGlossary([dir]);
    expect(groups.map((g) => g.phrases)).toEqual([['灰度发布', 'canary'], ['部署']]);
    expect(problems.map((p) => `${p.file}:${p.line}`)).toEqual(['terms.yaml:3', 'terms.yaml:4', 'terms.yaml:5']);
    expect(problems[2]!.message).toContain('"set up" reads as the one word "set"');
  });

  it('reports a file that is not a map of groups', () => {
    const { problems } = loadGlossary([tempFolder({ 'bad.yaml': '- [a, b]\n' })]);
    expect(problems[0]).toMatchObject({ file: 'bad.yaml', line: 1 });
  });

  it("takes a team's own terms from the glossary folder next to its notes", () => {
    const note = '---\ntitle: 上线\nlang: zh\n---\n## 金丝雀\n\n新版本先放给百分之五的流量，观察一天再全量。\n';
    const without = libraryOf(tempFolder({ 'zh/release.md': note }));
    const withTerms = libraryOf(tempFolder({ 'zh/release.md': note, 'glossary/team.yaml': 'groups:\n  - [金丝雀, canary]\n' }));
    const ask = (library: ReturnType<typeof libraryOf>) => answerQuery(library.index, library.index.parse('canary?', 'en'));
    expect(ask(without).kind).toBe('not-found');
    expect(plainText(ask(withTerms))).toContain('百分之五');
    expect(withTerms.problems).toEqual([]);
  });
});
