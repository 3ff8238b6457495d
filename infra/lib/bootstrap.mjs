// @ts-check
// Node built-ins only: this runs before node_modules exists on a fresh clone.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

/** Installs npm dependencies when node_modules is missing or older than package-lock.json. */
export function ensureDependencies() {
  const lock = join(ROOT, 'package-lock.json');
  const installed = join(ROOT, 'node_modules', '.package-lock.json');
  const stale = !existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs);
  if (!stale) return;
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(`Cairn needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
    process.exit(1);
  }
  // `npm install` rather than `npm ci`: registries that serve only this platform's optional
  // packages leave the others out of the lockfile, which `npm ci` rejects as out of sync.
  console.log('› Installing npm dependencies…');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('npm install failed; see the output above.');
    process.exit(result.status ?? 1);
  }
  // npm may rewrite package-lock.json after node_modules/.package-lock.json; mark the install as
  // newest so the next run does not install again.
  if (existsSync(installed)) {
    const now = new Date();
    utimesSync(installed, now, now);
  }
}

/** Environment for Nx commands run by our scripts: no daemon, no cloud, plain streamed output. */
export function nxEnv() {
  return { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: process.env.NX_SKIP_NX_CACHE ?? '' };
}
