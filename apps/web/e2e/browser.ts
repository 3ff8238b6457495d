import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** The repository root, from apps/web/e2e (or a folder below it). */
export const ROOT = join(__dirname, '..', '..', '..');

/**
 * Where screenshots go: tmp/screenshots (git-ignored) by default, so a test run leaves the tree
 * clean; `CAIRN_UPDATE_SCREENSHOTS=1` refreshes the committed ones in docs/screenshots.
 */
export const SCREENSHOTS = join(ROOT, process.env.CAIRN_UPDATE_SCREENSHOTS ? 'docs' : 'tmp', 'screenshots');

/** Headless Chromium from the system (Debian's /usr/bin/chromium unless CHROMIUM_PATH says otherwise). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
