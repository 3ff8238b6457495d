// @ts-check
// Self-test of the jest harness: `node infra/testing/harness.check.mjs`. Runs global-setup, checks
// that each service really answers, runs global-teardown, and checks the temp dirs are gone.
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { done, fail, messageOf, seconds } from '../lib/log.mjs';
import globalSetup from './global-setup.mjs';
import globalTeardown from './global-teardown.mjs';

const require = createRequire(import.meta.url);

/**
 * @param {string} label
 * @param {() => Promise<string | void>} check
 */
async function expect(label, check) {
  const started = Date.now();
  const detail = await check();
  done(`${label}${detail ? `: ${detail}` : ''} (${seconds(Date.now() - started)})`);
}

async function postgresAnswers() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query('select 1 as one');
    if (rows[0].one !== 1) throw new Error(`select 1 returned ${JSON.stringify(rows)}`);
    return process.env.DATABASE_URL;
  } finally {
    await client.end();
  }
}

async function temporalAnswers() {
  const { Connection } = require('@temporalio/client');
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  try {
    const info = await connection.workflowService.getSystemInfo({});
    return `${process.env.TEMPORAL_ADDRESS}, server ${info.serverVersion}`;
  } finally {
    await connection.close();
  }
}

async function testServerStarts() {
  const { TestWorkflowEnvironment } = require('@temporalio/testing');
  const path = /** @type {string} */ (process.env.CAIRN_TEST_SERVER_PATH);
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  try {
    const before = Date.now();
    await env.sleep('1 day'); // time skipping: a day passes at once
    return `${path}, skipped a day in ${Date.now() - before} ms`;
  } finally {
    await env.teardown();
  }
}

const tempDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('cairn-pg-'));
const before = new Set(tempDirs());
const started = Date.now();
let ok = true;
try {
  await expect('global-setup', () => globalSetup({}, { globals: { cairnServices: ['postgres', 'temporal', 'test-server'] } }));
  await expect('Postgres answers select 1', postgresAnswers);
  await expect('Temporal answers getSystemInfo', temporalAnswers);
  await expect('Time-skipping test server works with @temporalio/testing', testServerStarts);
} catch (error) {
  ok = false;
  fail(messageOf(error));
} finally {
  await expect('global-teardown', () => globalTeardown());
}
const left = tempDirs().filter((d) => !before.has(d) && existsSync(join(tmpdir(), d)));
if (left.length) {
  ok = false;
  fail(`temp dirs left behind: ${left.join(', ')}`);
}
console.log(ok ? `harness OK (${seconds(Date.now() - started)})` : 'harness FAILED');
process.exit(ok ? 0 : 1);
