#!/usr/bin/env node
/**
 * `npm start` runs this first: builds web/dist when it is missing or older than any source file under web/
 * (dist itself excluded), so a fresh clone serves the console; otherwise it returns at once.
 * Also used by the browser tests and the web benchmark.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(repo, 'web');
const outputs = [join(web, 'dist', 'index.html'), join(web, 'dist', 'console', 'index.html')];

function newestSourceMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    const ms = entry.isDirectory() ? newestSourceMs(p) : statSync(p).mtimeMs;
    if (ms > newest) newest = ms;
  }
  return newest;
}

function buildIsCurrent() {
  if (!outputs.every((f) => existsSync(f))) return false;
  const builtMs = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return builtMs >= newestSourceMs(web);
}

if (buildIsCurrent()) process.exit(0);
process.stdout.write('Building the web console (web/dist)…\n');
const vite = join(repo, 'node_modules', 'vite', 'bin', 'vite.js');
// The server starts either way (the API works; the pages answer 503 until built), so a failed build only warns.
if (!existsSync(vite)) {
  process.stderr.write('Vite is not installed (dev dependencies omitted?): web/dist is not rebuilt. Run `npm install` then `npm run build:web`.\n');
  process.exit(0);
}
const r = spawnSync(process.execPath, [vite, 'build', '--config', join(web, 'vite.config.ts')], { cwd: repo, stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write('The web console could not be built; the API still works. Run `npm run build:web` to see why.\n');
  // Browser tests and the benchmark need the pages: they ask for a failing exit.
  process.exit(process.argv.includes('--strict') ? (r.status ?? 1) : 0);
}
