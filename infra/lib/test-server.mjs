// @ts-check
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, which } from './exec.mjs';
import { withProgress } from './log.mjs';
import { CACHE_DIR, ROOT } from './paths.mjs';

const POM = join(ROOT, 'infra', 'test-server', 'pom.xml');

/** The test server version pinned in infra/test-server/pom.xml. */
export function testServerVersion() {
  const match = /<temporal\.test\.server\.version>([^<]+)</.exec(readFileSync(POM, 'utf8'));
  if (!match) throw new Error(`No temporal.test.server.version in ${POM}`);
  return match[1];
}

/**
 * Path of an executable that launches Temporal's Java time-skipping test server
 * (`<launcher> <port> --enable-time-skipping`), fetching its jars from Maven Central once.
 * @returns {Promise<string>}
 */
export async function ensureTestServer() {
  if (process.env.CAIRN_TEST_SERVER_PATH) return process.env.CAIRN_TEST_SERVER_PATH;
  const version = testServerVersion();
  const dir = join(CACHE_DIR, 'temporal-test-server', version);
  const lib = join(dir, 'lib');
  const launcher = join(dir, 'temporal-test-server');
  const hasJars = existsSync(lib) && readdirSync(lib).some((f) => f.startsWith('temporal-test-server-'));
  if (!hasJars) {
    if (!which('java') || !which('mvn')) {
      throw new Error('Workflow tests need Temporal\'s Java test server: install Java 17+ and Maven 3.8+ (e.g. `apt-get install openjdk-17-jdk-headless maven`).');
    }
    await withProgress(`Fetching Temporal's time-skipping test server ${version} from Maven Central`, () =>
      run('mvn', ['-B', '-q', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`, '-DincludeScope=runtime']),
    );
  }
  if (!existsSync(launcher)) {
    writeFileSync(launcher, `#!/bin/sh\n# Launches Temporal's Java time-skipping test server: <port> [--enable-time-skipping]\nexec java -cp "${lib}/*" io.temporal.testserver.TestServer "$@"\n`);
    chmodSync(launcher, 0o755);
  }
  return launcher;
}
