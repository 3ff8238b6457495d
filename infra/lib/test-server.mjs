// @ts-check
// Temporal's Java time-skipping test server, which @temporalio/testing's
// TestWorkflowEnvironment.createTimeSkipping() runs as `<launcher> <port> --enable-time-skipping`.
// The SDK would download a native build at run time; we resolve the jars from Maven Central once
// instead (infra/test-server/pom.xml pins the version) and write a small launcher script.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, which } from './exec.mjs';
import { withProgress } from './log.mjs';
import { CACHE_DIR, ROOT } from './paths.mjs';

const POM = join(ROOT, 'infra', 'test-server', 'pom.xml');
const INSTALL_HINT = '  Install Java 17+ and Maven 3.8+ (Debian: apt-get install openjdk-17-jre-headless maven),\n  or set CAIRN_TEST_SERVER_PATH to an existing Temporal test server executable.';

/** The test server version pinned in infra/test-server/pom.xml. */
export function testServerVersion() {
  const match = /<temporal\.test\.server\.version>([^<]+)</.exec(readFileSync(POM, 'utf8'));
  if (!match) throw new Error(`No <temporal.test.server.version> in ${POM}`);
  return match[1].trim();
}

/**
 * Absolute path of an executable that launches the time-skipping test server, fetching its jars
 * into `$CAIRN_CACHE_DIR/temporal-test-server/<version>/lib` the first time.
 * CAIRN_TEST_SERVER_PATH, when set, is returned as is.
 * @returns {Promise<string>}
 */
export async function ensureTestServer() {
  const given = process.env.CAIRN_TEST_SERVER_PATH;
  if (given) {
    if (existsSync(given)) return given;
    throw new Error(`CAIRN_TEST_SERVER_PATH is set to ${given}, which does not exist.`);
  }
  if (!which('java')) throw new Error(`Workflow tests need Temporal's Java test server, and Java is not installed.\n${INSTALL_HINT}`);
  const version = testServerVersion();
  const dir = join(CACHE_DIR, 'temporal-test-server', version);
  const lib = join(dir, 'lib');
  if (!hasJars(lib)) await fetchJars(version, dir, lib);
  const launcher = join(dir, 'temporal-test-server');
  const script = `#!/bin/sh\n# Temporal's time-skipping test server ${version}: <port> [--enable-time-skipping]\nexec java -cp "${lib}/*" io.temporal.testserver.TestServer "$@"\n`;
  if (!existsSync(launcher) || readFileSync(launcher, 'utf8') !== script) writeFileSync(launcher, script);
  chmodSync(launcher, 0o755);
  return launcher;
}

/** @param {string} lib */
function hasJars(lib) {
  return existsSync(lib) && readdirSync(lib).some((f) => /^temporal-test-server-.*\.jar$/.test(f));
}

/**
 * Copies the runtime classpath into a scratch folder, then renames it into place, so an
 * interrupted fetch never leaves a partial `lib` that would look complete.
 * @param {string} version
 * @param {string} dir
 * @param {string} lib
 */
async function fetchJars(version, dir, lib) {
  if (!which('mvn')) throw new Error(`Workflow tests need Temporal's Java test server, fetched with Maven, and Maven is not installed.\n${INSTALL_HINT}`);
  mkdirSync(dir, { recursive: true });
  const scratch = join(dir, `.lib-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  try {
    await withProgress(`Fetching Temporal's time-skipping test server ${version} from Maven Central (once)`, () =>
      run('mvn', ['-B', '-q', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${scratch}`, '-DincludeScope=runtime']),
    );
    rmSync(lib, { recursive: true, force: true });
    renameSync(scratch, lib);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
