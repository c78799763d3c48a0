import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { shippedKnowledgeDir } from '../src/paths.js';
import { tempFolder } from './helpers.js';

describe('loadConfig', () => {
  it('defaults to the shipped knowledge and ./data', () => {
    const cwd = tempFolder({});
    const config = loadConfig({}, cwd);
    expect(config).toEqual({
      ok: true,
      value: {
        knowledgeDir: shippedKnowledgeDir,
        dataDir: `${cwd}/data`,
        logLevel: 'info',
        tips: { cron: '0 10 * * 1-5', timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, catchupMs: 6 * 3_600_000, lang: 'zh' },
        logUsers: false,
      },
    });
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
