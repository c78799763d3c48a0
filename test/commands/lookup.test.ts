import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot.js';
import { loadCatalog } from '../../src/commands/load.js';
import { firstCommand } from '../../src/commands/first-command.js';
import { lookupReply } from '../../src/commands/reply.js';
import { MAX_QUESTION_LENGTH } from '../../src/input.js';
import { plainText } from '../../src/reply.js';
import { shippedLibrary, tempFolder } from '../helpers.js';

const library = shippedLibrary();
const first = (tool: 'kubectl' | 'docker', q: string) => library.commands.lookup(tool, q).matches[0]?.command.path;

describe('command lookup', () => {
  it.each([
    ['kubectl', 'rollout undo', 'rollout undo'],
    ['kubectl', 'rolout undo', 'rollout undo'],
    ['kubectl', 'kubctl get po', 'get'],
    ['kubectl', 'k get po', 'get'],
    ['kubectl', 'top po', 'top pod'],
    ['kubectl', 'create cm', 'create configmap'],
    ['docker', 'docker ps -a', 'ps'],
  ] as const)('finds %s "%s" by path, typo, prefix or resource short name: %s', (tool, query, path) => {
    expect(first(tool, query)).toBe(path);
  });

  it.each([
    ['回滚', 'rollout undo'],
    ['roll back', 'rollout undo'],
    ['进入容器', 'exec'],
    ['copy a file into a pod', 'cp'],
    ['切换集群上下文', 'config use-context'],
    ['can i create pods', 'auth can-i'],
  ])('finds a command by intent in either language: "%s" is %s', (query, path) => {
    expect(first('kubectl', query)).toBe(path);
  });

  it('takes a pasted command line apart: resource, own and global flags, flags that do not exist', () => {
    const lookup = library.commands.lookup('kubectl', 'kubectl scale deploy web --replicas=3 -n prod --replica=2');
    expect(lookup.matches[0]?.command.path).toBe('scale');
    const explanation = lookup.explanation!;
    expect(explanation.resource).toEqual({ given: 'deploy', name: 'deployments' });
    expect(explanation.args).toEqual(['web']);
    expect(explanation.flags).toEqual([
      expect.objectContaining({ given: '--replicas', value: '3', scope: 'command' }),
      expect.objectContaining({ given: '-n', value: 'prod', long: '--namespace', scope: 'global' }),
      expect.objectContaining({ given: '--replica', scope: 'unknown', nearest: '--replicas' }),
    ]);
    const text = plainText(lookupReply(lookup, 'en', library.resolve));
    expect(text).toContain('`deploy` means deployments');
    expect(text).toContain('⚠ `--replica` is not a flag of `kubectl scale`; did you mean `--replicas`?');
  });

  it('answers in the asker language with usage, flags, examples and other candidates', () => {
    const reply = lookupReply(library.commands.lookup('kubectl', '回滚到指定版本'), 'zh', library.resolve);
    expect(reply.kind).toBe('answer');
    const text = plainText(reply);
    expect(text).toContain('kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]');
    expect(text).toContain('--to-revision');
    expect(text).toContain('示例');
    expect(reply.sources[0]?.note).toMatch(/^zh\//);
    expect(reply.suggestions.length).toBeGreaterThan(0);
    expect(reply.suggestions.every((s) => s.intent.type === 'lookup' && s.intent.tool === 'kubectl')).toBe(true);
  });

  it('says honestly when there is no such command, naming the nearest ones', () => {
    expect(library.commands.lookup('kubectl', 'kubectl rollover').matches).toEqual([]);
    const reply = lookupReply(library.commands.lookup('kubectl', 'kubectl frobnicate pods'), 'en', library.resolve);
    expect(reply.kind).toBe('not-found');
    expect(plainText(reply)).toContain('kubectl has no such command');
    expect(reply.suggestions.length).toBeGreaterThan(0);
    expect(library.commands.lookup('kubectl', 'how do I bake a cake').matches).toEqual([]);
  });
});

describe('a pasted line with several commands', () => {
  it.each([
    ['kubectl get pods; kubectl delete pod web', 'kubectl get pods', '; kubectl delete pod web'],
    ['kubectl get pods && rm -rf /', 'kubectl get pods', '&& rm -rf /'],
    ['kubectl get pods || echo failed', 'kubectl get pods', '|| echo failed'],
    ['kubectl get pods -o name | xargs kubectl delete', 'kubectl get pods -o name', '| xargs kubectl delete'],
    ['kubectl port-forward svc/web 8080:80 & curl localhost:8080', 'kubectl port-forward svc/web 8080:80', '& curl localhost:8080'],
    ['kubectl logs web\nkubectl get pods', 'kubectl logs web', 'kubectl get pods'],
    ["kubectl get pods -l 'app in (a|b)'", "kubectl get pods -l 'app in (a|b)'", undefined],
    ['kubectl exec web -- sh -c "ls; pwd"', 'kubectl exec web -- sh -c "ls; pwd"', undefined],
    ['kubectl get pods \\; echo', 'kubectl get pods \\; echo', undefined],
    ['kubectl get pods;', 'kubectl get pods', undefined],
    ['rollout undo', 'rollout undo', undefined],
  ])('reads %j as %j, leaving off %j', (line, command, ignored) => {
    expect(firstCommand(line)).toEqual({ command, ...(ignored ? { ignored } : {}) });
  });

  it('looks up the first command only and names what it left off, in the asker language', () => {
    const lookup = library.commands.lookup('kubectl', 'kubectl scale deploy web --replicas=3; kubectl delete deploy web --force');
    expect(lookup.matches[0]?.command.path).toBe('scale');
    expect(lookup.explanation?.flags.map((f) => f.given)).toEqual(['--replicas']);
    expect(plainText(lookupReply(lookup, 'en', library.resolve))).toMatch(/Only the first command was looked up; the rest was ignored: `; kubectl delete deploy web --force`$/);
    expect(plainText(lookupReply(lookup, 'zh', library.resolve))).toMatch(/只查了第一条命令，后面的部分已忽略：`; kubectl delete deploy web --force`$/);
  });

  it('cuts a long ignored rest and keeps its backticks from ending the code span', () => {
    const lookup = library.commands.lookup('kubectl', `kubectl get pods | grep \`whoami\` ${'x'.repeat(200)}`);
    const note = plainText(lookupReply(lookup, 'en', library.resolve)).split('\n').at(-1)!;
    expect(note).toMatch(/^Only the first command was looked up; the rest was ignored: `\| grep 'whoami' x+…`$/);
    expect(note.length).toBeLessThan(200);
  });
});

describe('what a lookup will not read', () => {
  it('refuses a query longer than a question may be, without reading it', () => {
    const query = `kubectl get pods ${'-o wide '.repeat(MAX_QUESTION_LENGTH)}`;
    const lookup = library.commands.lookup('kubectl', query);
    expect(lookup).toMatchObject({ tooLong: true, matches: [], nearest: [] });
    const reply = lookupReply(lookup, 'en', library.resolve);
    expect(reply.kind).toBe('error');
    expect(plainText(reply)).toBe(`That is too long to look up (${query.trim().length} characters; the limit is ${MAX_QUESTION_LENGTH}). Paste just the command you want explained.`);
  });

  it('answers an empty query, or one that is only a separator, with how to look a command up', () => {
    for (const query of ['', '   ', '\u0007']) {
      const reply = lookupReply(library.commands.lookup('docker', query), 'en', library.resolve);
      expect(reply.kind).toBe('help');
      expect(plainText(reply)).toBe('Give /docker a command name (typos are fine), what you want to do, or a pasted command line, for example:');
      expect(reply.suggestions.map((s) => s.intent)).toContainEqual({ type: 'lookup', tool: 'docker', query: 'build' });
    }
    const separator = lookupReply(library.commands.lookup('kubectl', '; rm -rf /'), 'zh', library.resolve);
    expect(separator.kind).toBe('help');
    expect(plainText(separator)).toContain('后面的部分已忽略：`; rm -rf /`');
  });

  it('never echoes a control character back', () => {
    const reply = lookupReply(library.commands.lookup('kubectl', 'kubectl frob\u001b[31mnicate\u0000'), 'en', library.resolve);
    expect(plainText(reply)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it.each(['kubectl', 'docker'] as const)('offers %s help examples that each find a command', (tool) => {
    for (const lang of ['zh', 'en'] as const) {
      const help = lookupReply(library.commands.lookup(tool, ''), lang, library.resolve);
      for (const { intent } of help.suggestions) expect(intent.type === 'lookup' && library.commands.lookup(tool, intent.query).matches, JSON.stringify(intent)).not.toEqual([]);
    }
  });
});

describe('chat routing of command lookups', () => {
  const bot = createBot(library);

  it('answers /kubectl and /docker', async () => {
    expect(plainText(await bot.handle({ text: '/kubectl rollout undo' }))).toContain('**kubectl rollout undo**');
    expect(plainText(await bot.handle({ text: '/docker 构建镜像' }))).toContain('**docker build**');
  });

  it('answers a pasted line of several commands from its first one, saying what it ignored', async () => {
    const text = plainText(await bot.handle({ text: '/kubectl kubectl rollout undo deploy/web && kubectl delete deploy web' }));
    expect(text).toContain('**kubectl rollout undo**');
    expect(text).toContain('the rest was ignored: `&& kubectl delete deploy web`');
  });

  it('blends a command named in a question with the notes', async () => {
    const reply = await bot.handle({ text: 'what does kubectl rollout undo --to-revision do' });
    const text = plainText(reply);
    expect(text).toContain('**kubectl rollout undo**');
    expect(text).toContain('From the notes:');
    expect(reply.sources.some((s) => s.note.startsWith('en/07'))).toBe(true);
  });
});

describe('loading the catalog', () => {
  it('reports a bad entry with file and line and loads the rest', () => {
    const dir = tempFolder({
      'kubectl/a.yaml': [
        'tool: kubectl',
        'commands:',
        '  - path: version',
        '    usage: kubectl version [flags] [options]',
        '    summary: {zh: 打印版本, en: Print versions}',
        '    intents: {zh: [版本], en: [version]}',
        '    examples: [{run: kubectl version, zh: 版本, en: Versions}, {run: kubectl version --client, zh: 客户端, en: Client}]',
        '  - path: Bad Path',
        '    usage: x',
      ].join('\n'),
      'kubectl/broken.yaml': 'tool: kubectl\ncommands: [\n',
    });
    const catalog = loadCatalog(dir);
    expect(catalog.commands.map((c) => c.path)).toEqual(['version']);
    expect(catalog.problems).toEqual([
      expect.objectContaining({ file: 'kubectl/a.yaml', line: 8, message: expect.stringMatching(/^"kubectl Bad Path": path: must be lowercase/) }),
      expect.objectContaining({ file: 'kubectl/broken.yaml', message: expect.stringMatching(/^invalid YAML/) }),
    ]);
  });
});

describe('command autocomplete', () => {
  it('offers paths that start with the text, then lookups of partial and misspelt text', () => {
    const bot = createBot(library);
    expect(bot.completeCommand('kubectl', 'rollout', 'en', 25).slice(0, 7).map((c) => c.value).sort()).toEqual(
      ['rollout', 'rollout history', 'rollout pause', 'rollout restart', 'rollout resume', 'rollout status', 'rollout undo'],
    );
    expect(bot.completeCommand('kubectl', 'rolout und', 'en', 25)[0]?.value).toBe('rollout undo');
    expect(bot.completeCommand('kubectl', '回滚', 'zh', 25)[0]).toEqual({ value: 'rollout undo', label: expect.stringMatching(/^rollout undo: .*[\u4e00-\u9fff]/) });
    expect(bot.completeCommand('kubectl', '', 'en', 25)).toHaveLength(25);
  });
});
