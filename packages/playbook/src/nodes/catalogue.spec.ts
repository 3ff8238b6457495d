import { formatPath } from '../diagnostics';
import { nodeRegistry, nodeTypes } from './registry';

describe('node catalogue', () => {
  it.each(nodeTypes)('%s: its defaults are valid, and it describes itself for the editor', (type) => {
    const definition = nodeRegistry[type];
    expect(definition.dataSchema.safeParse(definition.defaults).success).toBe(true);
    expect(definition.description.length).toBeGreaterThan(20);
    expect(definition.label).toBeTruthy();
  });

  type Case = [type: keyof typeof nodeRegistry, data: unknown, path: string];
  const invalid: Case[] = [
    ['trigger', { on: 'sometimes' }, 'on'],
    ['trigger', { on: 'schedule', cron: '0 25 * * *' }, 'cron'],
    ['trigger', { on: 'schedule', cron: 'every monday' }, 'cron'],
    ['trigger', { on: 'account_date', field: 'renewal', offsetDays: -120 }, 'field'],
    ['trigger', { on: 'event', event: { type: 'SSO' } }, 'event.type'],
    ['wait', { mode: 'duration', duration: '3 months' }, 'duration'],
    ['wait', { mode: 'until_day', day: -1 }, 'day'],
    ['wait', { mode: 'duration', duration: '3 days', quietHours: { start: '25:00', end: '08:00' } }, 'quietHours.start'],
    ['wait_for', { for: 'condition', condition: { field: 'metric.wau', op: 'gte' }, timeout: '7 days' }, 'condition.value'],
    ['wait_for', { for: 'condition', condition: { field: 'metric.wau', op: 'gte', value: 'ten' }, timeout: '7 days' }, 'condition.value'],
    ['wait_for', { for: 'event', event: { type: 'product.sso_configured' } }, 'timeout'],
    ['branch', { cases: [] }, 'cases'],
    ['branch', { cases: [{ id: 'otherwise', label: 'x', when: { field: 'segment', op: 'eq', value: 'a' } }] }, 'cases[0].id'],
    ['branch', { cases: [{ id: 'a', label: 'A', when: { field: 'segment', op: 'eq', value: 'x' } }, { id: 'a', label: 'B', when: { field: 'segment', op: 'eq', value: 'y' } }] }, 'cases[1].id'],
    ['branch', { cases: [{ id: 'a', label: 'A', when: { field: 'arr', op: 'gt', value: 1 } }] }, 'cases[0].when.field'],
    ['touch', { channel: 'email', to: 'champion', body: 'Hi' }, 'subject'],
    ['touch', { channel: 'sms', to: 'champion', body: 'Hi' }, 'channel'],
    ['touch', { channel: 'call', to: 'champion', body: 'Hi', variants: [{ segments: ['smb'], channel: 'email' }] }, 'variants[0].subject'],
    ['task', { title: 'Configure SSO', owner: { side: 'customer', role: 'csm' }, due: { days: 14 }, completion: { by: 'person' } }, 'owner.role'],
    ['approval', { title: 'Ok?', escalation: [{ after: '2 days', action: 'expire' }, { after: '3 days', action: 'notify_manager' }] }, 'escalation[0].action'],
    ['approval', { title: 'Ok?', escalation: [{ after: '3 days', action: 'notify_manager' }, { after: '2 days', action: 'expire' }] }, 'escalation[1].after'],
    ['approval', { title: 'Ok?', sla: '2 days', escalation: [{ after: '3 days', action: 'auto_approve' }] }, 'sla'],
    ['milestone', { name: 'First value' }, 'targetDay'],
    ['update_account', { set: 'attribute', attribute: 'Health Score', value: 1 }, 'attribute'],
    ['webhook', { url: 'ftp://example.com' }, 'url'],
    ['parallel', { tracks: [{ id: 'only', label: 'Only' }] }, 'tracks'],
    ['enroll', { playbook: 'Renewal Playbook' }, 'playbook'],
    ['end', { outcome: 'maybe' }, 'outcome'],
  ];

  it.each(invalid)('%s rejects %j at %s', (type, data, path) => {
    const result = nodeRegistry[type].dataSchema.safeParse(data);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((i) => formatPath(i.path))).toContain(path);
  });

  it('names a branch output per case, plus otherwise', () => {
    const data = nodeRegistry.branch.dataSchema.parse({ cases: [{ id: 'enterprise', label: 'Enterprise', when: { field: 'segment', op: 'eq', value: 'high-touch' } }] });
    expect(nodeRegistry.branch.outputs(data).map((o) => o.handle)).toEqual(['enterprise', 'otherwise']);
  });

  it('requires the expired output only when an approval can expire', () => {
    const expiring = nodeRegistry.approval.dataSchema.parse({ title: 'Ok?', escalation: [{ after: '2 days', action: 'notify_manager' }, { after: '5 days', action: 'expire' }] });
    const open = nodeRegistry.approval.dataSchema.parse({ title: 'Ok?', escalation: [{ after: '2 days', action: 'auto_approve' }] });
    expect(nodeRegistry.approval.outputs(expiring).find((o) => o.handle === 'expired')?.required).toBe(true);
    expect(nodeRegistry.approval.outputs(open).find((o) => o.handle === 'expired')?.required).toBe(false);
  });
});
