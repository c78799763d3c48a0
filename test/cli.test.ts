import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { main, type Io } from '../app/cli.js';
import { fixturesDir, tempFolder } from './helpers.js';

/** Runs the CLI in-process with captured output; `input` is piped stdin (not a TTY). */
async function run(argv: string[], input = '', env: NodeJS.ProcessEnv = {}, cwd = tempFolder({})) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  stdin.end(input);
  const io: Io = { stdin, stdout, stderr, env: { LOG_LEVEL: 'silent', ...env }, cwd };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('k8s-notes-bot ask', () => {
  it('prints one JSON object in the documented shape', async () => {
    const { code, out } = await run(['ask', '--json', 'apiserver 默认端口']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['question', 'answered', 'answer', 'sources', 'suggestions']);
    expect(json).toMatchObject({ question: 'apiserver 默认端口', answered: true });
    expect(json.answer).toContain('6443');
    expect(json.sources[0]).toEqual({ note: expect.stringMatching(/^zh\//), section: expect.any(String), score: expect.any(Number) });
  });

  it('explains with --explain --json how the question was read and why the answer won', async () => {
    const { code, out } = await run(['ask', '--json', '--explain', 'apiserver 默认端口']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.answered).toBe(true);
    expect(json.explain.clauses.map((c: { text: string }) => c.text)).toContain('apiserver');
    const chosen = json.explain.candidates.find((c: { chosen: boolean }) => c.chosen);
    expect(chosen.note).toBe(json.sources[0].note);
    expect(Object.keys(chosen.factors)).toContain('coverage');
    expect(chosen.clauses.length).toBe(json.explain.clauses.length);
  });

  it('answers piped questions as JSON lines, one per input line and in order, a blank line with the help', async () => {
    const { code, out } = await run(['ask'], 'how do I roll back to a revision\n\n明天会下雨吗\n   \nkubectl scale 怎么用\n');
    expect(code).toBe(0);
    const lines = out.split('\n').slice(0, -1).map((l) => JSON.parse(l));
    expect(lines.map((l) => l.question)).toEqual(['how do I roll back to a revision', '', '明天会下雨吗', '', 'kubectl scale 怎么用']);
    expect(lines.map((l) => l.answered)).toEqual([true, false, false, false, true]);
    expect(lines[1].answer).toContain('I answer questions about containers');
    expect(lines[1].suggestions.length).toBeGreaterThan(0);
  });

  it('counts lines as wc -l does: a CRLF ending is one line end, a lone CR is part of its line', async () => {
    const { out } = await run(['kubectl'], 'rollout undo\r\nget po\rlogs\nexec');
    expect(out.split('\n').slice(0, -1).map((l) => JSON.parse(l).query)).toEqual(['rollout undo', 'get po logs', 'exec']);
  });

  it('prints the help for ask "" with no terminal, readable and as JSON', async () => {
    const readable = await run(['ask', '']);
    expect(readable.code).toBe(0);
    expect(readable.out).toContain('I answer questions about containers');
    const json = JSON.parse((await run(['ask', '--json', ''])).out);
    expect(json).toMatchObject({ question: '', answered: false, answer: expect.stringContaining('I answer questions'), sources: [] });
  });

  it('answers a pasted megabyte with one short error line, not the megabyte back', async () => {
    const huge = `kubectl get pods ${'-o wide '.repeat(131_072)}`;
    const { code, out } = await run(['ask'], `${huge}\nwhat is a PVC\n`);
    expect(code).toBe(0);
    const lines = out.split('\n').slice(0, -1).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ answered: false, error: expect.stringContaining('too long') });
    expect(lines[0].question.length).toBeLessThanOrEqual(2001);
    expect(out.length).toBeLessThan(10_000);
    expect(lines[1].answered).toBe(true);
  });

  it('uses another notes folder with --knowledge (a seed-shaped note as-is)', async () => {
    const { out } = await run(['ask', '--json', '--knowledge', join(fixturesDir, 'seed-shaped'), '每个节点最多多少个 pod']);
    const json = JSON.parse(out);
    expect(json.answer).toContain('110');
    expect(json.sources[0].note).toBe('k8s-notes.md');
  });

  it('prints a readable answer without --json', async () => {
    const { out } = await run(['ask', 'what is the default restartPolicy']);
    expect(out).toContain('Always');
    expect(out).toMatch(/Source: .*›/);
  });

  it('fails clearly on a missing notes folder, bad config, unknown command', async () => {
    const missing = await run(['ask', '--knowledge', '/no/such/dir', 'x']);
    expect(missing).toMatchObject({ code: 1, err: expect.stringContaining('/no/such/dir does not exist') });
    const badConfig = await run(['ask', 'x'], '', { LOG_LEVEL: 'loud' });
    expect(badConfig).toMatchObject({ code: 2, err: expect.stringContaining('LOG_LEVEL') });
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
  });

  it('reports broken notes in the log and still answers from the rest', async () => {
    const { code, out, err } = await run(['ask', '--json', '--knowledge', join(fixturesDir, 'broken'), 'kubectl get nodes'], '', { LOG_LEVEL: 'warn' });
    expect(code).toBe(0);
    expect(JSON.parse(out).answered).toBe(true);
    expect(err).toContain('bad-front-matter.md:3');
  });

  it('refuses the interactive chat without a terminal and says what to do', async () => {
    const { code, err } = await run(['chat']);
    expect(code).toBe(2);
    expect(err).toContain('k8s-notes-bot ask');
  });
});

describe('k8s-notes-bot start', () => {
  it('says what to set when no platform is configured and there is no terminal', async () => {
    const { code, err } = await run([]);
    expect(code).toBe(2);
    expect(err).toContain('No chat platform is configured');
    expect(err).toContain('SLACK_BOT_TOKEN');
    expect(err).toContain('DISCORD_TOKEN');
  });

  it('fails start-up with one clear sentence when Slack refuses the token', async () => {
    const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":false,"error":"invalid_auth"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const env = { SLACK_BOT_TOKEN: 'xoxb-1-2-secretvalue', SLACK_APP_TOKEN: 'xapp-1-A1-2-othersecret', SLACK_API_URL: `http://127.0.0.1:${port}/api/`, OPS_PORT: '0' };
      const { code, err } = await run([], '', env);
      expect(code).toBe(1);
      expect(err).toMatch(/^Could not start: .*SLACK_BOT_TOKEN/m);
      expect(err).not.toMatch(/\n\s+at /);
      expect(err).not.toContain('secretvalue');
    } finally {
      server.close();
    }
  });

  it('names every unreadable .env line and every bad variable, of the core and the platforms, in one message', async () => {
    const cwd = tempFolder({ '.env': 'SLACK_BOT_TOKEN xoxb-1-2-secretvalue\nDAILY_TIP_LANG=fr\nDISCORD_TOKEN=a.b.c\nDISCORD_APLICATION_ID=123456789012345678\n' });
    const { code, err } = await run(['ask', 'x'], '', {}, cwd);
    expect(code).toBe(2);
    expect(err).toContain(`${cwd}/.env has lines the bot cannot use:`);
    expect(err).toContain('line 1: SLACK_BOT_TOKEN has no "="');
    expect(err).toContain('line 4: DISCORD_APLICATION_ID is not a setting; did you mean DISCORD_APPLICATION_ID?');
    expect(err).toContain('DAILY_TIP_LANG: expected zh (Chinese) or en (English) (got "fr")');
    expect(err).toContain('DISCORD_APPLICATION_ID: needed with DISCORD_TOKEN');
    expect(err).not.toContain('secretvalue');
  });

  it('names every malformed platform variable at start-up and never echoes a token', async () => {
    const { code, err } = await run([], '', { SLACK_BOT_TOKEN: 'not-a-bot-token-secret123', DISCORD_TOKEN: 'abc', DISCORD_APPLICATION_ID: 'not-a-snowflake' });
    expect(code).toBe(2);
    expect(err).toContain('SLACK_BOT_TOKEN');
    expect(err).toContain('DISCORD_APPLICATION_ID');
    expect(err).not.toContain('secret123');
  });
});

describe('k8s-notes-bot kubectl / docker', () => {
  it('prints one JSON object in the documented shape', async () => {
    const { code, out } = await run(['kubectl', '--json', 'rolout undo']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['query', 'answered', 'answer', 'matches']);
    expect(json).toMatchObject({ query: 'rolout undo', answered: true });
    expect(json.matches[0]).toEqual({ command: 'rollout undo', summary: expect.any(String), flags: expect.arrayContaining(['--to-revision']), examples: expect.any(Array) });
    expect(json.matches[0].examples[0]).toMatch(/^kubectl rollout undo/);
  });

  it('answers piped queries as JSON lines, one per input line and in order, for docker too', async () => {
    const { code, out } = await run(['docker'], 'build an image\n\nrun a container in the background\nbake a cake\n');
    expect(code).toBe(0);
    const lines = out.split('\n').slice(0, -1).map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.query, l.answered, l.matches[0]?.command])).toEqual([
      ['build an image', true, 'build'],
      ['', false, undefined],
      ['run a container in the background', true, 'run'],
      ['bake a cake', false, undefined],
    ]);
    expect(lines[1].answer).toContain('Give /docker a command name');
  });

  it('caps a pasted line like a question: a megabyte gets one short error line, at once', async () => {
    const huge = `kubectl get pods ${'--all-namespaces '.repeat(62_000)}`;
    const { code, out } = await run(['kubectl'], `${huge}\nrollout undo\n`);
    expect(code).toBe(0);
    const lines = out.split('\n').slice(0, -1).map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.answered, l.matches.length])).toEqual([
      [false, 0],
      [true, 4],
    ]);
    expect(lines[0].error).toMatch(/^That is too long to look up \(\d+ characters; the limit is 2000\)/);
    expect(out.length).toBeLessThan(20_000);
  });

  it('looks up only the first command of a pasted line and says what it ignored', async () => {
    const { out } = await run(['kubectl', '--json', "kubectl get pods -l 'app in (a|b)' -n prod && kubectl delete ns prod; rm -rf /"]);
    const json = JSON.parse(out);
    expect(json.matches[0].command).toBe('get');
    expect(json.answer).toContain('`-n prod` (--namespace)');
    const meaning = json.answer.split('What this command line says:')[1].split('Flags that matter:')[0];
    expect(meaning).not.toMatch(/delete|\brm\b|&&/);
    expect(json.answer).toContain('Only the first command was looked up; the rest was ignored: `&& kubectl delete ns prod; rm -rf /`');
  });
});

describe('k8s-notes-bot tip / gaps', () => {
  it('prints and records the tip for a channel and day, the same on a second run', async () => {
    const cwd = tempFolder({});
    const tip = async (...extra: string[]) => run(['tip', '--json', '--channel', 'ops', '--date', '2026-05-04', ...extra], '', {}, cwd);
    const first = await tip('--lang', 'en');
    expect(first.code).toBe(0);
    const json = JSON.parse(first.out);
    expect(Object.keys(json)).toEqual(['id', 'date', 'channel', 'text', 'try', 'source']);
    expect(json).toMatchObject({ date: '2026-05-04', channel: 'ops', id: expect.any(String) });
    expect(json.text).not.toMatch(/[\u4e00-\u9fff]/);
    expect(json.source).toMatch(/^(en\/.+\.md#.+|kubectl .+|docker .+)$/);
    const again = JSON.parse((await tip('--lang', 'zh')).out);
    expect(again.id).toBe(json.id);
    expect(again.text).toMatch(/[\u4e00-\u9fff]/);
    const nextDay = JSON.parse((await run(['tip', '--json', '--channel', 'ops', '--date', '2026-05-05'], '', {}, cwd)).out);
    expect(nextDay.id).not.toBe(json.id);
  });

  it('rejects a bad date or language clearly', async () => {
    const badDate = await run(['tip', '--date', '2026-02-30']);
    expect(badDate.code).toBe(2);
    expect(badDate.err).toContain('--date must be a calendar day as YYYY-MM-DD, not "2026-02-30"');
    expect((await run(['tip', '--lang', 'fr'])).err).toContain('--lang must be zh or en');
  });

  it('lists the unanswered questions ask has logged, most asked first', async () => {
    const cwd = tempFolder({});
    await run(['ask'], 'best sourdough starter recipe\nBest sourdough starter recipe?\napiserver 默认端口\n明天会下雨吗\n', {}, cwd);
    const { code, out } = await run(['gaps', '--json', '--days', '7'], '', {}, cwd);
    expect(code).toBe(0);
    expect(JSON.parse(out).gaps.map((g: { question: string; count: number }) => [g.question, g.count])).toEqual([
      ['Best sourdough starter recipe?', 2],
      ['明天会下雨吗', 1],
    ]);
    expect((await run(['gaps'], '', {}, cwd)).out).toMatch(/^\s+2 {2}Best sourdough starter recipe\?$/m);
  });

  it('prints the maintainers’ digest of what ask logged, as JSON and as text', async () => {
    const cwd = tempFolder({});
    await run(['ask'], 'how do I tune the kube-proxy ipvs scheduler\nHow do I tune the kube-proxy IPVS scheduler?\napiserver 默认端口\n', {}, cwd);
    const { code, out } = await run(['digest', '--json', '--days', '7'], '', {}, cwd);
    expect(code).toBe(0);
    const digest = JSON.parse(out);
    expect(digest.days).toBe(7);
    expect(digest.activity).toEqual({ answered: 1, notFound: 2 });
    expect(digest.unanswered[0]).toMatchObject({ count: 2 });
    const text = await run(['digest', '--lang', 'en'], '', {}, cwd);
    expect(text.out).toContain("Maintainers' digest");
    expect(text.out).toMatch(/ipvs scheduler/i);
    expect((await run(['digest', '--days', '0'], '', {}, cwd)).code).toBe(2);
  });

  it('fails at once with one sentence on a DATA_DIR that cannot be created', async () => {
    const { code, err } = await run(['ask', 'x'], '', { DATA_DIR: '/proc/nope' });
    expect(code).toBe(1);
    expect(err).toBe("DATA_DIR /proc/nope cannot be created (ENOENT: no such file or directory, mkdir '/proc/nope'). Point DATA_DIR at a folder the bot may create or write to.\n");
  });

  it('names the data folder when it cannot be used', async () => {
    const cwd = tempFolder({ 'data-file': 'not a folder' });
    const { code, err } = await run(['tip'], '', { DATA_DIR: 'data-file' }, cwd);
    expect(code).toBe(1);
    expect(err).toContain(`DATA_DIR ${cwd}/data-file`);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
