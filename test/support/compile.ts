import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { packageRoot } from '../../src/paths.js';

/**
 * Compiles `entry` and the sources it imports, relatively, to JavaScript under node_modules/.cache (where
 * Node still finds the project's packages), so a child process can run the code under test as it is now,
 * not as the last build left it. Returns where the compiled `entry` is, and how to remove what was compiled.
 */
export function compileForChild(entry: string): { entry: string; remove(): void } {
  mkdirSync(join(packageRoot, 'node_modules', '.cache'), { recursive: true });
  const out = mkdtempSync(join(packageRoot, 'node_modules', '.cache', 'k8s-notes-bot-test-'));
  const pending = [resolve(entry)];
  const done = new Set<string>();
  while (pending.length) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, spec] of source.matchAll(/(?:from |import\()'(\.{1,2}\/[^']+)\.js'/g)) pending.push(resolve(dirname(file), `${spec}.ts`));
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
    });
    const target = join(out, relative(packageRoot, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return { entry: join(out, relative(packageRoot, resolve(entry))).replace(/\.ts$/, '.js'), remove: () => rmSync(out, { recursive: true, force: true }) };
}
