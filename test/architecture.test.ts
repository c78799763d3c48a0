import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';

const sourcesOf = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourcesOf(path) : entry.name.endsWith('.ts') ? [path] : [];
  });

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);

describe('the rooms of the code', () => {
  it('keep the core free of adapters, the composition root and platform SDKs', () => {
    const offending = sourcesOf(join(packageRoot, 'src')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => /(^|\/)(adapters|app)\//.test(spec) || /^(@slack\/|discord\.js)/.test(spec))
        .map((spec) => `${relative(packageRoot, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('keep each adapter out of search internals and out of the other adapters', () => {
    const offending = ['console', 'slack', 'discord'].flatMap((name) =>
      sourcesOf(join(packageRoot, 'adapters', name)).flatMap((file) =>
        importsOf(file)
          .filter((spec) => /\/src\/(search|answer|knowledge)\//.test(spec) || /\/app\//.test(spec) || new RegExp(`^\\.\\./(?!${name}/)(console|slack|discord)/`).test(spec))
          .map((spec) => `${relative(packageRoot, file)} imports ${spec}`),
      ),
    );
    expect(offending).toEqual([]);
  });
});
