import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_SETTINGS } from '../../app/platforms.js';
import { CORE_SETTINGS, parseConfig } from '../../src/config.js';
import { packageRoot } from '../../src/paths.js';

/** One instruction of the Dockerfile, its continuation lines joined. */
interface Instruction {
  op: string;
  args: string;
}

interface Stage {
  name: string;
  instructions: Instruction[];
}

function readDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = '', args = ''] = line.match(/^(\S+)\s*(.*)$/) ?? [];
    if (op.toUpperCase() === 'FROM') stages.push({ name: args.match(/\bAS\s+(\S+)/i)?.[1] ?? String(stages.length), instructions: [] });
    else stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

const stages = readDockerfile(readFileSync(join(packageRoot, 'Dockerfile'), 'utf8'));
const buildStage = stages.find((s) => s.name === 'build')!;
const runtimeStage = stages.at(-1)!;
const of = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op);
const words = (args: string) => args.split(/\s+/).filter(Boolean);
const workdir = (stage: Stage) => of(stage, 'WORKDIR').at(-1)?.args ?? '/';
/** The image's ENV, as NAME=value pairs. */
const imageEnv = Object.fromEntries(of(runtimeStage, 'ENV').flatMap((i) => [...i.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])));

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'k8s-notes-bot-install-'));
const build = join(root, 'build');
const image = join(root, 'image');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the Dockerfile, against the code', () => {
  it('has a build stage, a runtime stage on the same Node 20 slim base, and the toolchain only before the runtime', () => {
    expect(buildStage, 'a stage named build').toBeDefined();
    expect(runtimeStage.name).toBe('runtime');
    expect(readFileSync(join(packageRoot, 'Dockerfile'), 'utf8')).toMatch(/ARG NODE_IMAGE=node:20-[a-z]+-slim/);
    expect(of(runtimeStage, 'RUN').map((r) => r.args).join('\n')).not.toMatch(/apt-get|npm/);
    expect(of(runtimeStage, 'COPY').every((c) => c.args.startsWith('--from=build '))).toBe(true);
  });

  it('sets only settings the bot reads, on the port and volume it exposes, as a user that is not root', () => {
    const unknown = Object.keys(imageEnv).filter((name) => name !== 'NODE_ENV' && !CORE_SETTINGS.includes(name) && !PLATFORM_SETTINGS.includes(name));
    expect(unknown).toEqual([]);
    const config = parseConfig(imageEnv, workdir(runtimeStage));
    if (!config.ok) throw new Error(config.error);
    expect(of(runtimeStage, 'EXPOSE').flatMap((e) => words(e.args))).toContain(String(config.value.ops.port));
    expect(of(runtimeStage, 'VOLUME').map((v) => v.args).join(' ')).toContain(`"${config.value.dataDir}"`);
    expect(of(runtimeStage, 'USER').at(-1)?.args).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(JSON.parse(of(runtimeStage, 'CMD').at(-1)!.args)).toEqual(['node', 'dist/app/cli.js', 'start']);
  });

  it('sends only what it copies: .dockerignore lets in exactly the build stage COPY sources', () => {
    const ignore = readFileSync(join(packageRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignore).toContain('*');
    const letIn = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1)).sort();
    const copied = of(buildStage, 'COPY').flatMap((c) => words(c.args).slice(0, -1)).sort();
    expect(letIn).toEqual(copied);
  });

  describe('HEALTHCHECK', () => {
    const [, json = ''] = of(runtimeStage, 'HEALTHCHECK').at(-1)?.args.match(/CMD\s+(\[.*\])$/) ?? [];
    const command = JSON.parse(json) as string[];
    let status = 200;
    let server: Server;
    beforeAll(async () => {
      server = createServer((req, res) => res.writeHead(req.url === '/healthz' ? status : 404).end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const check = (port: number) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, command.slice(1), { env: { ...process.env, OPS_PORT: String(port) }, stdio: 'ignore' });
        child.on('exit', (code) => resolve(code));
      });

    it('runs node on /healthz at OPS_PORT: healthy on 200, unhealthy on 503 or when nothing listens', async () => {
      expect(command[0]).toBe('node');
      const port = (server.address() as AddressInfo).port;
      expect(await check(port)).toBe(0);
      status = 503;
      expect(await check(port)).toBe(1);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      expect(await check(port)).toBe(1);
      server.listen(0, '127.0.0.1');
    });
  });
});

describe('a production install from a clean copy, step by step as the Dockerfile builds it', () => {
  beforeAll(async () => {
    // The build stage: each COPY from the project (as the build context sends it), each RUN in a shell.
    mkdirSync(build);
    for (const { op, args } of buildStage.instructions) {
      if (op === 'COPY') {
        const parts = words(args);
        const target = join(build, parts.at(-1)!);
        for (const source of parts.slice(0, -1)) cpSync(join(packageRoot, source), parts.length > 2 ? join(target, source) : target, { recursive: true });
      } else if (op === 'RUN') {
        // npm takes the packages from its cache here (the Dockerfile's --prefer-offline); better-sqlite3 compiles.
        await run('sh', ['-c', args], { cwd: build, timeout: 9 * 60_000, maxBuffer: 64 << 20 });
      }
    }
    // The runtime stage: only what it copies from the build stage.
    mkdirSync(image);
    for (const { args } of of(runtimeStage, 'COPY')) {
      const [, from, to] = words(args);
      cpSync(join(build, from!.replace(`${workdir(buildStage)}/`, '')), join(image, to!), { recursive: true, verbatimSymlinks: true });
    }
    rmSync(build, { recursive: true, force: true });
  }, 10 * 60_000);

  const ask = (...args: string[]) =>
    run(process.execPath, [join(image, 'dist', 'app', 'cli.js'), 'ask', ...args], {
      cwd: image,
      env: { PATH: process.env.PATH, HOME: root, ...imageEnv, DATA_DIR: join(root, 'data'), LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });

  it('holds the runtime dependencies and none of the development ones', () => {
    const pkg = JSON.parse(readFileSync(join(image, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies)) expect(existsSync(join(image, 'node_modules', name, 'package.json')), name).toBe(true);
    // What the lock file marks dev-only (typescript, vitest and what only they need) is gone; a devDependency
    // that a runtime package also needs (@types/node, by the Slack SDK) rightly stays.
    const lock = JSON.parse(readFileSync(join(packageRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, entry]) => path && entry.dev).map(([path]) => path);
    expect(devOnly).toEqual(expect.arrayContaining(['node_modules/typescript', 'node_modules/vitest', 'node_modules/kubernetes-models']));
    expect(devOnly.filter((path) => existsSync(join(image, path)))).toEqual([]);
    expect(existsSync(join(image, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(image, 'src')) || existsSync(join(image, 'test'))).toBe(false);
  });

  it('answers from the baked-in notes, readable and as JSON, keeping its state in DATA_DIR', async () => {
    const readable = await ask('apiserver 默认端口');
    expect(readable.stdout).toContain('6443');
    const json = await ask('--json', 'apiserver 默认端口');
    const answer = JSON.parse(json.stdout) as { answered: boolean; answer: string; sources: { note: string }[] };
    expect(answer.answered).toBe(true);
    expect(answer.answer).toContain('6443');
    expect(answer.sources[0]?.note).toMatch(/^zh\//);
    // The question log went through better-sqlite3, compiled in the build stage.
    expect(existsSync(join(root, 'data', 'k8s-notes-bot.db'))).toBe(true);
  }, 120_000);
});
