// @ts-check
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runtime data (Postgres, Temporal's database file, the mail sink): git-ignored, kept across runs. */
export const DATA_DIR = resolve(process.env.CAIRN_DATA_DIR ?? join(ROOT, '.data'));

/** Built or downloaded tools (Temporal CLI, test server): outside git, shared by clones. */
export const CACHE_DIR = resolve(process.env.CAIRN_CACHE_DIR ?? join(homedir(), '.cache', 'cairn'));
