import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { shippedKnowledgeDir } from '../src/paths.js';
import { tempFolder } from './helpers.js';

describe('loadConfig', () => {
  it('defaults to the shipped knowledge and ./data', () => {
    const cwd = tempFolder({});
    const config = loadConfig({}, cwd);
    expect(config).toEqual({ ok: true, value: { knowledgeDir: shippedKnowledgeDir, dataDir: `${cwd}/data`, logLevel: 'info' } });
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
