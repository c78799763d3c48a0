#!/usr/bin/env node
/**
 * `npm start`: runs the built bot, compiling first only when a source is newer than the build (a fresh
 * clone is built by `npm install`'s prepare step), so starting costs no compile. Plain JavaScript because
 * it must run before anything is compiled.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'app', 'cli.js');
// The incremental build rewrites only changed outputs, but always its build info: that is the build's date.
const buildInfo = join(root, 'dist', '.tsbuildinfo');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sources = ['app', 'src', 'adapters', 'scripts'].map((d) => join(root, d)).filter(existsSync);
const stale = !existsSync(entry) || !existsSync(buildInfo) || Math.max(...sources.map(newestSource), statSync(join(root, 'tsconfig.build.json')).mtimeMs) > statSync(buildInfo).mtimeMs;
if (stale) {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  // A source touched without a change leaves the build info as it was: date it now, or every start rebuilds.
  const now = new Date();
  utimesSync(buildInfo, now, now);
}
// In this process, so signals reach the bot itself and no second Node starts.
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
