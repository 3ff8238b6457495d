import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, 'histories');
const histories = readdirSync(dir).filter((f) => f.endsWith('.json'));

/**
 * Recorded histories of real runs must replay against today's workflow code. A change that would
 * break runs already in flight (months-long onboarding!) fails here instead of in production.
 */
describe('replay of recorded playbook run histories', () => {
  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });

  it.each(histories)('%s replays deterministically', async (file) => {
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowsPath: require.resolve('../src/workflows') }, history, file.replace(/\.json$/, ''))).resolves.toBeUndefined();
  });
});
