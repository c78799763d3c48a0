import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/knowledge/limits.js';
import { loadKnowledge, parseNote, type Knowledge } from '../../src/knowledge/load.js';
import type { Note, Passage } from '../../src/knowledge/note.js';
import { tempFolder } from '../helpers.js';

const good = '---\ntitle: Good\n---\n\nPods run containers.\n';

function loaded(dir: string): Knowledge {
  const result = loadKnowledge(dir);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

/** A folder holding a good note and `name` with `bytes` as its content. */
function folderWith(name: string, bytes: Buffer | string): string {
  const dir = tempFolder({ 'good.md': good });
  writeFileSync(join(dir, name), bytes);
  return dir;
}

const passagesOf = (note: Note) => note.sections.flatMap((s) => s.passages);
const shown = (p: Passage) => (p.kind === 'code' ? p.code : p.kind === 'table-row' ? [...p.header, ...p.cells].join(' ') : p.text);
/** Everything a note can show: title, tags, headings and passages. */
const everything = (note: Note) => [note.title, ...note.tags, ...note.sections.flatMap((s) => [...s.headings, ...s.passages.map(shown)])].join('\n');

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe('loadKnowledge: what a note file holds', () => {
  it('refuses a note over the size cap by its size, without reading it, and loads the rest', () => {
    const dir = tempFolder({ 'good.md': good });
    // Sparse files: as big as they say, and nothing to read unless someone reads them.
    writeFileSync(join(dir, 'huge.md'), '');
    truncateSync(join(dir, 'huge.md'), 20 * 1024 * 1024);
    writeFileSync(join(dir, 'just-over.md'), '');
    truncateSync(join(dir, 'just-over.md'), LIMITS.noteBytes + 1);
    const { value: k, ms } = timed(() => loaded(dir));
    expect(ms).toBeLessThan(1000);
    expect(k.notes.map((n) => n.path)).toEqual(['good.md']);
    expect(k.problems).toEqual([
      { file: 'huge.md', line: 1, severity: 'error', message: 'is 20 MB, over the 2 MB a knowledge file may have; split it into smaller files' },
      { file: 'just-over.md', line: 1, severity: 'error', message: 'is 2 MB, over the 2 MB a knowledge file may have; split it into smaller files' },
    ]);
  });

  it('loads a note of exactly the size cap', () => {
    const head = '---\ntitle: Big\n---\n\n## Pods\n\n';
    const line = 'A Pod runs one or more containers on a node.\n\n';
    const body = line.repeat(Math.floor((LIMITS.noteBytes - head.length) / line.length));
    const source = head + body + 'x'.repeat(LIMITS.noteBytes - head.length - body.length);
    expect(Buffer.byteLength(source)).toBe(LIMITS.noteBytes);
    const k = loaded(folderWith('big.md', source));
    expect(k.notes.map((n) => n.path)).toEqual(['big.md', 'good.md']);
  });

  it('refuses a binary file named .md, with the line of its first NUL byte', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const k = loaded(folderWith('image.md', png));
    expect(k.notes.map((n) => n.path)).toEqual(['good.md']);
    expect(k.problems).toEqual([{ file: 'image.md', line: 3, severity: 'error', message: 'holds NUL bytes: it is a binary file, not text' }]);
  });

  it('refuses a text note with a NUL byte in it, by its line', () => {
    const k = loaded(folderWith('nul.md', '# Nul\n\nfirst line\nsecond\u0000line\n'));
    expect(k.problems).toEqual([{ file: 'nul.md', line: 4, severity: 'error', message: 'holds NUL bytes: it is a binary file, not text' }]);
  });

  it('refuses invalid UTF-8 by its line, and UTF-16 by its byte order mark', () => {
    const latin1 = Buffer.concat([Buffer.from('# Café\n\nfine line\n'), Buffer.from('caf\xe9 au lait\n', 'latin1')]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# Pods\n\nPods run containers.\n', 'utf16le')]);
    const dir = folderWith('latin1.md', latin1);
    writeFileSync(join(dir, 'utf16.md'), utf16);
    const k = loaded(dir);
    expect(k.notes.map((n) => n.path)).toEqual(['good.md']);
    expect(k.problems).toEqual([
      { file: 'latin1.md', line: 4, severity: 'error', message: 'is not valid UTF-8 text; save it as UTF-8' },
      { file: 'utf16.md', line: 1, severity: 'error', message: 'is UTF-16 text; save it as UTF-8' },
    ]);
  });

  it('reads a UTF-8 note that starts with a byte order mark, front matter included', () => {
    const k = loaded(folderWith('bom.md', `\ufeff---\ntitle: With BOM\nlang: en\n---\n\nPods run containers.\n`));
    expect(k.notes.find((n) => n.path === 'bom.md')).toMatchObject({ title: 'With BOM', lang: 'en' });
    expect(k.problems).toEqual([]);
  });

  it('keeps control characters out of everything a note shows, entities included, but keeps tabs in code', () => {
    const source = [
      '---',
      'title: "Red\\e[31m title"',
      'tags: ["k\\a8s"]',
      '---',
      '',
      '## Head\u0007ing',
      '',
      'Bell\u0007 and escape\u001b[2J and DEL\u007f and C1\u0085 and a lone\rCR, &#27;[0m too.',
      '',
      '| a\u0001 | b |',
      '| --- | --- |',
      '| c\u0002 | d |',
      '',
      '```',
      'if x:\n\tprint(1)\u001b',
      '```',
    ].join('\n');
    const { note, problems } = parseNote('ctl.md', source);
    const text = everything(note!);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(note!.title).toBe('Red[31m title');
    expect(passagesOf(note!)).toContainEqual({ kind: 'code', line: 14, lang: '', code: 'if x:\n\tprint(1)' });
    expect(passagesOf(note!)[0]).toMatchObject({ text: 'Bell and escape[2J and DEL and C1 and a loneCR, [0m too.' });
    expect(problems).toEqual([{ file: 'ctl.md', line: 1, severity: 'warning', message: '12 control characters removed (first on line 1)' }]);
  });
});

describe('parseNote: passage, heading and section caps', () => {
  const sentence = (i: number) => `Sentence number ${i} says what a Deployment does to its ReplicaSets. `;

  it('splits a long paragraph at sentence ends into passages under the cap, keeping every word', () => {
    const paragraph = Array.from({ length: 200 }, (_, i) => sentence(i)).join('').trim();
    const { note, problems } = parseNote('long.md', `# Long\n\n## Rollouts\n\n${paragraph}\n\nShort one.\n`);
    const passages = passagesOf(note!);
    expect(paragraph.length).toBeGreaterThan(3 * LIMITS.passageChars);
    expect(passages.length).toBe(Math.ceil(paragraph.length / LIMITS.passageChars) + 1);
    for (const p of passages) expect(shown(p).length).toBeLessThanOrEqual(LIMITS.passageChars);
    for (const p of passages.slice(0, -2)) expect(shown(p)).toMatch(/ReplicaSets\.$/);
    expect(passages.slice(0, -1).map(shown).join(' ')).toBe(paragraph);
    expect(problems).toEqual([{ file: 'long.md', line: 5, severity: 'warning', message: 'a passage longer than 4000 characters split or cut (line 5)' }]);
  });

  it('splits text without sentence ends or spaces too, and Chinese at its own full stops', () => {
    const zh = '容器共享宿主机的内核。'.repeat(1000);
    const { note } = parseNote('zh.md', `# 长\n\n${zh}\n\n${'x'.repeat(9000)}\n`);
    const passages = passagesOf(note!).map(shown);
    for (const p of passages) expect(p.length).toBeLessThanOrEqual(LIMITS.passageChars);
    expect(passages.filter((p) => p.startsWith('容')).every((p) => p.endsWith('。'))).toBe(true);
    expect(passages.join('')).toBe(zh + 'x'.repeat(9000));
  });

  it('splits a long code block between lines and cuts an overlong table row and heading', () => {
    const code = Array.from({ length: 400 }, (_, i) => `kubectl get pods -n team-${i}`).join('\n');
    const source = ['# Caps', '', `## ${'Very long heading '.repeat(20)}`, '', '```bash', code, '```', '', '| name | value |', '| --- | --- |', `| a | ${'v'.repeat(6000)} |`].join('\n');
    const { note, problems } = parseNote('caps.md', source);
    const passages = passagesOf(note!);
    const codes = passages.filter((p) => p.kind === 'code');
    expect(codes.length).toBeGreaterThan(1);
    expect(codes.map((p) => p.code).join('\n')).toBe(code);
    for (const p of passages) expect(shown(p).length).toBeLessThanOrEqual(LIMITS.passageChars + 20);
    const row = passages.find((p) => p.kind === 'table-row');
    expect(row).toMatchObject({ header: ['name', 'value'], cells: ['a', expect.stringMatching(/^v+…$/)] });
    const heading = note!.sections[0]!.headings[0]!;
    expect(heading.length).toBeLessThanOrEqual(LIMITS.headingChars);
    expect(heading).toMatch(/^Very long heading .*…$/);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [5, '2 passages longer than 4000 characters split or cut (lines 5, 410)'],
      [3, 'a heading longer than 200 characters cut (line 3)'],
    ]);
  });

  it('reads the first sections of a note with too many and says where it stopped', () => {
    const source = Array.from({ length: LIMITS.sectionsPerNote + 5 }, (_, i) => `## Part ${i}\n\nText of part ${i}.\n`).join('\n');
    const { note, problems } = parseNote('many.md', source);
    expect(note!.sections.length).toBe(LIMITS.sectionsPerNote);
    expect(note!.sections.at(-1)!.headings).toEqual([`Part ${LIMITS.sectionsPerNote - 1}`]);
    expect(problems).toEqual([
      { file: 'many.md', line: 4 * LIMITS.sectionsPerNote + 1, severity: 'warning', message: `the note has ${LIMITS.sectionsPerNote + 5} sections; only the first ${LIMITS.sectionsPerNote} were read, split it into smaller notes` },
    ]);
  });
});

describe('parseNote: time bounded by the size of the note', () => {
  /** A note of `lines` lines mixing every kind of block. */
  function mixedNote(lines: number): string {
    const blocks = [
      (i: number) => [`## Section ${i}`, ''],
      (i: number) => [`Pods of team ${i} run on node-${i}; a Deployment keeps them running.`, 'It rolls them out one by one.', ''],
      (i: number) => [`- item ${i} with \`kubectl get pods\``, `- [a link](https://example.com/${i})`, ''],
      (i: number) => ['| name | port |', '| --- | --- |', `| svc-${i} | ${i} |`, ''],
      (i: number) => ['```bash', `kubectl scale deploy web-${i} --replicas=3`, '```', ''],
    ];
    const out: string[] = ['---', 'title: Mixed', 'lang: en', '---'];
    for (let i = 0; out.length < lines; i++) out.push(...blocks[i % blocks.length]!(i));
    return out.slice(0, lines).join('\n');
  }

  it('parses a 50,000-line note in a few seconds, and four times the lines in well under ten times the time', () => {
    parseNote('warm.md', mixedNote(2000));
    const quarter = timed(() => parseNote('quarter.md', mixedNote(12_500)));
    const full = timed(() => parseNote('full.md', mixedNote(50_000)));
    expect(full.value.note!.sections.length).toBeGreaterThan(1000);
    expect(full.ms).toBeLessThan(3000);
    expect(full.ms).toBeLessThan(10 * quarter.ms + 250);
  });

  it('reads lines built to make regular expressions backtrack in bounded time', () => {
    const lines = [
      `# a${' '.repeat(100_000)}b`,
      `${'~'.repeat(100_000)}\``,
      `!!! note ${' '.repeat(100_000)})`,
      `:::tip ${' '.repeat(100_000)})`,
      `import ${' '.repeat(100_000)}x`,
      `${'*'.repeat(100_000)}a`,
      `## a${' '.repeat(100_000)}{`,
      `a |\n${' '.repeat(100_000)}x`,
      `\`\`\`\n${' '.repeat(100_000)}x\n\`\`\``,
    ];
    for (const line of lines) {
      const { ms } = timed(() => parseNote('slow.md', line));
      expect(ms, JSON.stringify(line.slice(0, 12))).toBeLessThan(1000);
    }
  });
});
