import { type NodeType, nodeTypes } from '@cairn/playbook';
import { describeCondition, flowNodeTypes, nodeDetail, UNKNOWN_NODE_TYPE } from './node-types';

describe('canvas node types', () => {
  it('has a canvas component for every node type of the registry, and the unknown fallback', () => {
    expect(Object.keys(flowNodeTypes).sort()).toEqual([...nodeTypes, UNKNOWN_NODE_TYPE].sort());
  });

  it.each<[NodeType, unknown, string]>([
    ['trigger', { on: 'manual' }, 'Enrolled by a person or the API'],
    ['trigger', { on: 'account_date', field: 'renewal_date', offsetDays: -120 }, 'On renewal date − 120 days'],
    ['wait', { mode: 'duration', duration: '3 days', businessDays: true }, 'for 3 days · business days'],
    ['wait', { mode: 'until_day', day: 30, businessDays: false }, 'until day 30'],
    ['wait', { mode: 'until_date', field: 'renewal_date', offsetDays: -90, businessDays: false }, 'until renewal date − 90 days'],
    ['wait_for', { for: 'event', event: { type: 'product.sso_configured' }, timeout: '14 days' }, 'product.sso_configured · timeout 14 days'],
    ['approval', { title: 'Send it?', sla: '2 days', escalation: [] }, 'Send it? · SLA 2 days'],
    ['touch', { channel: 'email', to: 'economic_buyer', subject: 'Hi', body: 'x', variants: [] }, 'Email to economic buyer: Hi'],
    ['task', { title: 'Configure SSO', owner: { side: 'customer', role: 'admin' }, due: { days: 14, from: 'enrollment' }, completion: { by: 'person' } }, "Configure SSO · customer's admin · by day 14"],
    ['milestone', { name: 'First value', targetDay: 30 }, 'First value by day 30'],
    ['update_account', { set: 'lifecycle_stage', stage: 'value_realized' }, 'Lifecycle stage → value realized'],
    ['end', { outcome: 'exited', reason: 'declined' }, 'Exit: declined'],
  ])('describes a %s step', (type, data, text) => expect(nodeDetail(type, data)).toBe(text));

  it('writes conditions in one line', () => {
    expect(describeCondition({ all: [{ field: 'metric.weekly_active_users', op: 'gte', value: 10 }, { not: { field: 'role.champion', op: 'exists' } }] })).toBe(
      'metric.weekly_active_users ≥ 10 and not (role.champion is set)',
    );
  });
});
