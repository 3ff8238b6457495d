import { templates } from '@cairn/playbook';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const histories = files.map((file) => ({ file, history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8'))) }));

/** The playbook key of the plan a recorded run started with (its first event's input). */
function playbookKeyOf(history: temporal.api.history.v1.IHistory): string | undefined {
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload?.data) return undefined;
  return (JSON.parse(Buffer.from(payload.data).toString('utf8')) as { plan?: { key?: string } }).plan?.key;
}

/**
 * Recorded histories of real runs must replay against today's workflow code. A change that would
 * break runs already in flight (months-long onboarding!) fails here instead of in production.
 */
describe('replay of recorded playbook run histories', () => {
  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });

  it('has at least one recorded history for every shipped template', () => {
    const recorded = new Set(histories.map((h) => playbookKeyOf(h.history)));
    expect(Object.keys(templates).filter((key) => !recorded.has(key))).toEqual([]);
  });

  it('replays every history deterministically on one worker', async () => {
    // The file name is the workflow id, so a failure names the history that broke.
    const failures: Array<{ history: string; error: string }> = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      { workflowsPath: require.resolve('../src/workflows') },
      histories.map(({ file, history }) => ({ workflowId: file, history })),
    )) {
      replayed++;
      if (result.error) failures.push({ history: result.workflowId, error: result.error.message });
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  });
});
