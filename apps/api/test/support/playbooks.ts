/**
 * A playbook that asks the account's CSM to approve, then opens a task for them (no email, so no
 * SMTP is needed): the runs whose approvals and tasks the suites decide, complete and reassign.
 */
export function approveThenTaskPlaybook(key: string, name: string, titles: { approval: string; task: string }) {
  return {
    schemaVersion: 2,
    key,
    name,
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
      { id: 'approve', type: 'approval', position: { x: 0, y: 100 }, data: { title: titles.approval, sla: '3 days' } },
      { id: 'call', type: 'task', position: { x: 0, y: 200 }, data: { title: titles.task, owner: { side: 'ours', role: 'csm' }, due: { days: 1, from: 'step' }, completion: { by: 'person' } } },
      { id: 'done', type: 'end', position: { x: 0, y: 300 }, data: {} },
      { id: 'skipped', type: 'end', position: { x: 200, y: 300 }, data: { outcome: 'exited' } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'approve' },
      { id: 'e2', source: 'approve', target: 'call', sourceHandle: 'approved' },
      { id: 'e3', source: 'approve', target: 'skipped', sourceHandle: 'rejected' },
      { id: 'e4', source: 'approve', target: 'skipped', sourceHandle: 'expired' },
      { id: 'e5', source: 'call', target: 'done', sourceHandle: 'done' },
    ],
  };
}
