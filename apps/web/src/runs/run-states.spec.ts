import type { Run, RunStep } from '@cairn/contracts';
import type { PlaybookDocument } from '@cairn/playbook';
import { runOverlay } from './run-states';

const step = (nodeId: string, status: RunStep['status'], outcome: string | null = null) => ({ nodeId, status, outcome }) as RunStep;

// start → approve ─approved→ email → done; approve ─rejected→ note → done2
const doc = {
  nodes: ['start', 'approve', 'email', 'done', 'note', 'done2'].map((id) => ({ id, type: 'x', position: { x: 0, y: 0 }, data: {} })),
  edges: [
    { id: 'e1', source: 'start', target: 'approve' },
    { id: 'e2', source: 'approve', target: 'email', sourceHandle: 'approved' },
    { id: 'e3', source: 'approve', target: 'note', sourceHandle: 'rejected' },
    { id: 'e4', source: 'email', target: 'done' },
    { id: 'e5', source: 'note', target: 'done2' },
  ],
} as unknown as PlaybookDocument;

const live = (active: Array<{ stepId: string; waitingFor: string | null; until: string | null }>) => ({ active }) as unknown as Run['live'];

describe('runOverlay', () => {
  it.each([
    [
      'a run waiting on an approval: the waiting step says for whom and until when; nothing skipped yet',
      { status: 'running', currentNodeId: 'approve', steps: [step('start', 'completed', 'next'), step('approve', 'waiting')], live: live([{ stepId: 'approve', waitingFor: 'Casey Morgan to approve', until: '2026-03-04T09:00:00.000Z' }]) },
      { start: 'done', approve: 'waiting' },
      ['approve'],
    ],
    [
      'a branch taken: the other branch and what follows it are skipped',
      { status: 'running', currentNodeId: 'email', steps: [step('start', 'completed', 'next'), step('approve', 'completed', 'approved'), step('email', 'started')], live: live([{ stepId: 'email', waitingFor: null, until: null }]) },
      { start: 'done', approve: 'done', email: 'current', note: 'skipped', done2: 'skipped' },
      [],
    ],
    [
      'a finished run: on no step, and every step it never entered skipped',
      { status: 'completed', currentNodeId: null, steps: [step('start', 'completed', 'next'), step('approve', 'completed', 'rejected'), step('note', 'completed', 'next'), step('done2', 'completed')], live: null },
      { start: 'done', approve: 'done', note: 'done', done2: 'done', email: 'skipped', done: 'skipped' },
      [],
    ],
    [
      'a step row still waiting without live state (the worker is down): waiting',
      { status: 'running', currentNodeId: 'approve', steps: [step('start', 'completed', 'next'), step('approve', 'waiting')], live: null },
      { start: 'done', approve: 'waiting' },
      [],
    ],
  ] as const)('%s', (_, run, states, detailed) => {
    const overlay = runOverlay(run as unknown as Run, doc);
    expect(overlay.states).toEqual(states);
    expect(Object.keys(overlay.details ?? {})).toEqual(detailed);
  });

  it('says what a waiting step waits for, and until when', () => {
    const overlay = runOverlay({ status: 'running', currentNodeId: 'approve', steps: [step('approve', 'waiting')], live: live([{ stepId: 'approve', waitingFor: 'Casey Morgan to approve', until: '2026-03-04T09:00:00.000Z' }]) } as unknown as Run);
    expect(overlay.details?.approve).toMatch(/^Casey Morgan to approve, until .*2026/);
  });
});
