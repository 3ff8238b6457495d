// @ts-check
/**
 * A valid playbook of about `size` nodes: the trigger, then repeated blocks of
 * wait → branch (two cases and otherwise, all converging) → touch → approval → milestone, ending in an end.
 * @param {number} size
 */
export function generatePlaybook(size) {
  /** @type {any[]} */
  const nodes = [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } }];
  /** @type {any[]} */
  const edges = [];
  let previous = 'start';
  let previousHandle = 'next';
  let e = 0;
  const link = (source, target, sourceHandle) => edges.push({ id: `e${e++}`, source, target, sourceHandle });
  for (let block = 0; nodes.length + 6 <= size; block++) {
    const id = (name) => `${name}-${block}`;
    nodes.push(
      { id: id('wait'), type: 'wait', position: { x: 0, y: 0 }, data: { mode: 'duration', duration: '1 day' } },
      { id: id('branch'), type: 'branch', position: { x: 0, y: 0 }, data: { cases: [
        { id: 'enterprise', label: 'Enterprise', when: { field: 'segment', op: 'eq', value: 'high-touch' } },
        { id: 'large', label: 'Large', when: { all: [{ field: 'account.arr', op: 'gte', value: 100000 }, { field: 'role.champion', op: 'exists' }] } },
      ] } },
      { id: id('touch'), type: 'touch', position: { x: 0, y: 0 }, data: { channel: 'email', to: 'champion', subject: 'Step {{account.name}}', body: 'Hi {{recipient.name}}' } },
      { id: id('approval'), type: 'approval', position: { x: 0, y: 0 }, data: { title: 'Go on with {{account.name}}?', sla: '2 days' } },
      { id: id('milestone'), type: 'milestone', position: { x: 0, y: 0 }, data: { name: `Milestone ${block}`, targetDay: block * 3 + 3 } },
    );
    link(previous, id('wait'), previousHandle);
    link(id('wait'), id('branch'));
    for (const handle of ['enterprise', 'large', 'otherwise']) link(id('branch'), id('touch'), handle);
    link(id('touch'), id('approval'));
    link(id('approval'), id('milestone'), 'approved');
    link(id('approval'), id('milestone'), 'expired');
    previous = id('milestone');
    previousHandle = 'next';
  }
  nodes.push({ id: 'done', type: 'end', position: { x: 0, y: 0 }, data: { outcome: 'completed' } });
  link(previous, 'done', previousHandle);
  return { schemaVersion: 2, key: `generated-${size}`, name: `Generated ${size}`, nodes, edges };
}
