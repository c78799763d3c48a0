import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE_SETTINGS, loadConfig, parseConfig, readEnv } from '../src/config.js';
import { shippedKnowledgeDir } from '../src/paths.js';
import { tempFolder } from './helpers.js';

describe('loadConfig', () => {
  it('defaults to the shipped knowledge and ./data', () => {
    const cwd = tempFolder({});
    const config = loadConfig({ OPS_HOST: '127.0.0.1' }, cwd);
    expect(config).toEqual({
      ok: true,
      value: {
        knowledgeDir: shippedKnowledgeDir,
        dataDir: `${cwd}/data`,
        logLevel: 'info',
        tips: { cron: '0 10 * * 1-5', catchupMs: 6 * 3_600_000, lang: 'zh' },
        digest: { cron: '0 9 * * 1', catchupMs: 6 * 3_600_000, lang: 'zh' },
        logUsers: false,
        rateLimitPerMinute: 20,
        ops: { port: 9464, host: '127.0.0.1' },
        shutdownGraceMs: 10_000,
      },
    });
  });

  it('serves the ops port to the whole pod network in Kubernetes, and checks the port and grace', () => {
    const inCluster = loadConfig({ KUBERNETES_SERVICE_HOST: '10.96.0.1', OPS_PORT: '0', SHUTDOWN_GRACE: '30s' }, tempFolder({}));
    expect(inCluster.ok && [inCluster.value.ops, inCluster.value.shutdownGraceMs]).toEqual([{ port: 0, host: '0.0.0.0' }, 30_000]);
    const bad = loadConfig({ OPS_PORT: '70000', SHUTDOWN_GRACE: 'a while' }, tempFolder({}));
    const message = bad.ok ? '' : bad.error;
    expect(message).toContain('OPS_PORT: expected a port number from 1 to 65535, or 0 to turn the ops server off');
    expect(message).toContain('SHUTDOWN_GRACE: expected a duration');
  });

  it('reads the tip schedule and rejects a bad cron, zone or window, naming each', () => {
    const good = loadConfig({ DAILY_TIP_CRON: '30 9 * * *', DAILY_TIP_TZ: 'Asia/Shanghai', DAILY_TIP_CATCHUP: '90m', DAILY_TIP_LANG: 'en' }, tempFolder({}));
    expect(good.ok && good.value.tips).toEqual({ cron: '30 9 * * *', timezone: 'Asia/Shanghai', catchupMs: 90 * 60_000, lang: 'en' });
    const bad = loadConfig({ DAILY_TIP_CRON: 'every morning', DAILY_TIP_TZ: 'Mars/Olympus', DAILY_TIP_CATCHUP: 'soon' }, tempFolder({}));
    expect(bad.ok).toBe(false);
    const message = bad.ok ? '' : bad.error;
    expect(message).toContain('DAILY_TIP_CRON: expected a cron pattern');
    expect(message).toContain('DAILY_TIP_TZ: expected an IANA time zone');
    expect(message).toContain('DAILY_TIP_CATCHUP: expected a duration');
  });

  it('reads when the digest is posted from DIGEST_CRON', () => {
    const config = loadConfig({ DIGEST_CRON: '30 8 * * 1' }, tempFolder({}));
    expect(config.ok && config.value.digest.cron).toBe('30 8 * * 1');
  });

  it('treats empty values as unset', () => {
    const config = loadConfig({ LOG_LEVEL: '' }, tempFolder({}));
    expect(config.ok && config.value.logLevel).toBe('info');
  });

  it('reads .env, with the real environment winning', () => {
    const cwd = tempFolder({ '.env': 'LOG_LEVEL=debug\nDATA_DIR=/var/lib/bot\n' });
    const config = loadConfig({ LOG_LEVEL: 'warn' }, cwd);
    expect(config.ok && config.value).toMatchObject({ logLevel: 'warn', dataDir: '/var/lib/bot' });
  });

  it('lists every bad variable in one message', () => {
    const config = loadConfig({ LOG_LEVEL: 'loud', KNOWLEDGE_DIR: 42 as never }, tempFolder({}));
    expect(config.ok).toBe(false);
    if (config.ok) return;
    expect(config.error).toContain('LOG_LEVEL');
    expect(config.error).toContain('"loud"');
    expect(config.error).toContain('KNOWLEDGE_DIR');
  });
});

/** Reads `.env` holding `text` the way the command line does, with every setting name it knows. */
const readFile = (text: string, known = [...CORE_SETTINGS, 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']) => readEnv({}, tempFolder({ '.env': text }), known);

describe('.env', () => {
  it('never lets a line without "=" swallow the next setting, and reports it by line', () => {
    const read = readFile('# settings\nGARBAGE\nSLACK_BOT_TOKEN=xoxb-1\nLOG_LEVEL=verbose\n');
    expect(read.env.SLACK_BOT_TOKEN).toBe('xoxb-1');
    expect(read.error).toContain('line 2: GARBAGE has no "=": write GARBAGE=value');
    const config = parseConfig(read.env, tempFolder({}));
    expect(!config.ok && config.error).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent (got "verbose")');
  });

  it('reports every line it cannot read with its number, and reads the rest', () => {
    const text = [
      'LOG_LEVEL=debug', // 1
      '', // 2
      '   # an indented comment', // 3
      'just some words', // 4
      'my-setting=1', // 5
      'DATA_DIR="/var/lib/bot', // 6
      'KNOWLEDGE_DIR="/notes"/extra', // 7
      'DAILY_TIP_CRON=0 10 * * 1-5#weekdays', // 8
      'LOG_LEVEL=warn', // 9
      'DAILY_TIP_TZ=Asia/\u0007Shanghai', // 10
      'DAILY_TIP_LANGG=en', // 11
      'data_dir=/tmp/x', // 12
      'DAILY_TIP_CATCHUP: 6h', // 13
      'export QUESTION_LOG_USERS=true # who asked', // 14
    ].join('\n');
    const read = readFile(text);
    const reported = [...(read.error ?? '').matchAll(/line (\d+):/g)].map((m) => Number(m[1]));
    expect(reported).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(read.error).toContain('line 4: is not a setting: expected NAME=value, a # comment or a blank line');
    expect(read.error).toContain('line 5: "my-setting" is not a variable name');
    expect(read.error).toContain('line 6: the " quote of DATA_DIR is not closed on this line');
    expect(read.error).toContain('line 7: KNOWLEDGE_DIR has text after its closing " quote');
    expect(read.error).toContain('line 8: # starts a comment, so the value of DAILY_TIP_CRON would be cut there');
    expect(read.error).toContain('line 9: LOG_LEVEL is set again (first on line 1); keep one');
    expect(read.error).toContain('line 10: holds control characters');
    expect(read.error).toContain('line 11: DAILY_TIP_LANGG is not a setting; did you mean DAILY_TIP_LANG?');
    expect(read.error).toContain('line 12: data_dir is not a setting (names are upper case): write DATA_DIR');
    expect(read.error).toContain('line 13: DAILY_TIP_CATCHUP has no "=": write DAILY_TIP_CATCHUP=value');
    expect(read.env).toMatchObject({ LOG_LEVEL: 'debug', QUESTION_LOG_USERS: 'true' });
    expect(read.env.DATA_DIR).toBeUndefined();
  });

  it('reads quoted values, export, comments, CRLF line ends and a byte-order mark', () => {
    const read = readFile('\uFEFFexport LOG_LEVEL=warn\r\nDATA_DIR = "/srv/bot # data" # where state lives\r\nKNOWLEDGE_DIR=\'/notes\'\r\nDAILY_TIP_CRON=30 9 * * * # mornings\r\n');
    expect(read.error).toBeUndefined();
    expect(read.env).toEqual({ LOG_LEVEL: 'warn', DATA_DIR: '/srv/bot # data', KNOWLEDGE_DIR: '/notes', DAILY_TIP_CRON: '30 9 * * *' });
  });

  it('reports a $VARIABLE or ~ that a shell would expand and .env does not, unless single-quoted', () => {
    const read = readFile("DATA_DIR=~/bot-data\nKNOWLEDGE_DIR=\"${HOME}/notes\"\nDAILY_TIP_CRON='0 10 * * $x'\nDAILY_TIP_TZ=Asia/Shanghai\n");
    expect(read.error).toContain('line 1: the value of DATA_DIR starts with ~, which .env does not expand; write the full path');
    expect(read.error).toContain('line 2: the value of KNOWLEDGE_DIR holds a $VARIABLE, which .env does not expand');
    expect(read.error).not.toMatch(/line [34]:/);
    expect(read.env).toMatchObject({ DAILY_TIP_CRON: '0 10 * * $x', DAILY_TIP_TZ: 'Asia/Shanghai' });
  });

  it('never shows what a line that cannot be read holds, which may be a token', () => {
    const read = readFile('SLACK_BOT_TOKEN xoxb-1234-secretvalue\nSLACK_APP_TOKEN="xapp-secretvalue\n');
    expect(read.error).toContain('line 1: SLACK_BOT_TOKEN has no "="');
    expect(read.error).toContain('line 2: the " quote of SLACK_APP_TOKEN is not closed');
    expect(read.error).not.toContain('secretvalue');
  });

  it('refuses a .env that is not a text file without reading it: a FIFO, a folder, binary, not UTF-8, a dangling link', () => {
    const fifo = tempFolder({});
    execFileSync('mkfifo', [join(fifo, '.env')]);
    expect(readEnv({}, fifo).error).toMatch(/\.env is not a regular file/);
    const folder = tempFolder({ '.env/x': '' });
    expect(readEnv({}, folder).error).toMatch(/\.env is not a regular file/);
    const binary = tempFolder({});
    writeFileSync(join(binary, '.env'), Buffer.from([0x4c, 0x4f, 0x47, 0x3d, 0x00, 0x01]));
    expect(readEnv({}, binary).error).toMatch(/\.env is not a text file \(it holds NUL bytes\)/);
    const latin1 = tempFolder({});
    writeFileSync(join(latin1, '.env'), Buffer.from('DATA_DIR=/srv/caf\xe9\n', 'latin1'));
    expect(readEnv({}, latin1).error).toMatch(/\.env is not UTF-8 text/);
    const dangling = tempFolder({});
    symlinkSync('/nonexistent/k8s-notes-bot.env', join(dangling, '.env'));
    expect(readEnv({}, dangling).error).toMatch(/\.env is a symbolic link to a file that does not exist/);
    expect(readEnv({ LOG_LEVEL: 'warn' }, tempFolder({})).env).toEqual({ LOG_LEVEL: 'warn' });
  });

  it('lists the first twenty bad lines of a file that is not settings at all, and how many more', () => {
    const read = readFile(Array.from({ length: 50 }, (_, i) => `word${i} word`).join('\n'));
    expect(read.error?.match(/line \d+:/g)).toHaveLength(20);
    expect(read.error).toContain('and 30 more lines');
  });

  it('stops loadConfig with the bad lines and the bad variables in one message', () => {
    const config = loadConfig({}, tempFolder({ '.env': 'oops\nLOG_LEVEL=loud\n' }));
    expect(!config.ok && config.error).toMatch(/line 1: oops has no "="[\s\S]*LOG_LEVEL: expected one of/);
  });
});

describe('settings', () => {
  it('reads enum settings whatever their case', () => {
    const config = loadConfig({ LOG_LEVEL: 'INFO', DAILY_TIP_LANG: 'EN', QUESTION_LOG_USERS: 'Yes', DAILY_TIP_TZ: 'asia/shanghai', DAILY_TIP_CATCHUP: '6H' }, tempFolder({}));
    expect(config.ok && config.value).toMatchObject({ logLevel: 'info', logUsers: true, tips: { lang: 'en', timezone: 'Asia/Shanghai', catchupMs: 6 * 3_600_000 } });
  });

  it('names what each bad setting expects in words a person can act on', () => {
    const config = loadConfig({ LOG_LEVEL: 'loud', DAILY_TIP_LANG: 'fr', QUESTION_LOG_USERS: 'maybe', KNOWLEDGE_DIR: 42 as never }, tempFolder({}));
    const message = config.ok ? '' : config.error;
    expect(message).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent (got "loud")');
    expect(message).toContain('DAILY_TIP_LANG: expected zh (Chinese) or en (English) (got "fr")');
    expect(message).toContain('QUESTION_LOG_USERS: expected true or false (got "maybe")');
    expect(message).toContain('KNOWLEDGE_DIR: expected a folder path');
    expect(message).not.toMatch(/Invalid (input|option)|received/);
  });

  it('reads RATE_LIMIT_PER_MINUTE as a whole number, 0 turning the limit off', () => {
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '5' }, tempFolder({}))).toMatchObject({ ok: true, value: { rateLimitPerMinute: 5 } });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }, tempFolder({}))).toMatchObject({ ok: true, value: { rateLimitPerMinute: 0 } });
    for (const bad of ['-1', '2.5', 'lots']) {
      const config = loadConfig({ RATE_LIMIT_PER_MINUTE: bad }, tempFolder({}));
      expect(config.ok ? '' : config.error).toContain(`RATE_LIMIT_PER_MINUTE: expected a whole number of requests per minute, or 0 for no limit (got "${bad}")`);
    }
  });

  it('never shows a token pasted into the wrong setting', () => {
    const config = loadConfig({ LOG_LEVEL: 'xoxb-1234-5678-secretvalue', DAILY_TIP_LANG: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz' }, tempFolder({}));
    const message = config.ok ? '' : config.error;
    expect(message).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent (value hidden)');
    expect(message).toContain('DAILY_TIP_LANG: expected zh (Chinese) or en (English) (value hidden)');
    expect(message).not.toMatch(/secretvalue|abcdefghij/);
  });
});
