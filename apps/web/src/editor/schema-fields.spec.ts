import { nodeRegistry, nodeTypes, TEMPLATE_FIELDS } from '@cairn/playbook';
import { z } from 'zod';
import { editorNodeTypes, paletteEntries } from './registry';
import { activeFields, dataPathOf, describeNodeData, type FieldDescriptor, initialValue, parseScalar, setAt } from './schema-fields';

const byKey = (fields: FieldDescriptor[], key: string) => fields.find((f) => f.key === key);

describe('side panel fields from zod schemas', () => {
  it.each(nodeTypes)('%s: describes its data without falling back to JSON at the top', (type) => {
    const form = describeNodeData(nodeRegistry[type].dataSchema, TEMPLATE_FIELDS[type] ?? []);
    expect(['object', 'variant']).toContain(form.kind);
    expect(activeFields(form, nodeRegistry[type].defaults).length).toBeGreaterThan(0);
  });

  it.each<[type: keyof typeof nodeRegistry, key: string, kind: FieldDescriptor['kind'], extra: object]>([
    ['wait', 'duration', 'duration', {}],
    ['wait', 'businessDays', 'boolean', { label: 'Business days', optional: true }],
    ['approval', 'sla', 'duration', { optional: true }],
    ['approval', 'title', 'text', { template: true }],
    ['touch', 'to', 'enum', { role: true }],
    ['touch', 'channel', 'enum', { role: false, options: ['email', 'call', 'meeting', 'in_app', 'chat'] }],
    ['touch', 'body', 'text', { template: true, multiline: true }],
    ['branch', 'cases', 'list', {}],
    ['milestone', 'targetDay', 'number', { integer: true, min: 0, max: 3650 }],
    ['milestone', 'criteria', 'condition', { optional: true }],
    ['webhook', 'url', 'text', { format: 'url', template: false }],
    ['webhook', 'headers', 'json', {}],
  ])('%s.%s is a %s field', (type, key, kind, extra) => {
    const form = describeNodeData(nodeRegistry[type].dataSchema, TEMPLATE_FIELDS[type] ?? []);
    expect(byKey(activeFields(form, nodeRegistry[type].defaults), key)).toMatchObject({ kind, ...extra });
  });

  it('picks the fields of a variant by its discriminator', () => {
    const form = describeNodeData(nodeRegistry.wait.dataSchema);
    expect(form).toMatchObject({ kind: 'variant', discriminator: 'mode' });
    expect(activeFields(form, { mode: 'until_date' }).map((f) => f.key)).toEqual(['label', 'field', 'offsetDays', 'businessDays', 'quietHours']);
    const trigger = describeNodeData(nodeRegistry.trigger.dataSchema);
    expect(trigger.kind === 'variant' && trigger.options.map((o) => o.value)).toEqual(['manual', 'segment_entered', 'segment_exited', 'event', 'account_date', 'schedule']);
  });

  it('falls back to JSON for shapes it does not know, never throwing', () => {
    expect(describeNodeData(z.object({ odd: z.map(z.string(), z.number()), tuple: z.tuple([z.string()]) })).kind).toBe('object');
    const form = describeNodeData(z.object({ odd: z.map(z.string(), z.number()) }));
    expect(activeFields(form, {})[0]).toMatchObject({ kind: 'json' });
  });

  it('starts a new branch case that names an output', () => {
    const form = describeNodeData(nodeRegistry.branch.dataSchema);
    const cases = byKey(activeFields(form, {}), 'cases');
    expect(cases?.kind === 'list' && initialValue(cases.item, 1)).toEqual({ id: 'case-2', label: 'Case 2', when: { field: 'segment', op: 'eq', value: '' } });
  });

  it.each([
    [{ a: 1 }, ['b', 'c'], 2, { a: 1, b: { c: 2 } }],
    [{ a: [1, 2] }, ['a', 1], 3, { a: [1, 3] }],
    [{ a: 1, b: 2 }, ['b'], undefined, { a: 1 }],
  ])('setAt(%j, %j, %j)', (value, path, next, expected) => expect(setAt(value, path, next)).toEqual(expected));

  it.each([
    ['nodes[3].data.cases[0].when', ['cases', 0, 'when']],
    ['nodes[3].data.duration', ['duration']],
    ['nodes[3].data', []],
    ['nodes[3]', null],
  ])('reads the data path of %s', (path, expected) => expect(dataPathOf(path)).toEqual(expected));

  it.each([
    ['12', 12],
    ['true', true],
    ['null', null],
    ['enterprise', 'enterprise'],
  ])('reads the scalar %s', (text, value) => expect(parseScalar(text)).toEqual(value));
});

describe('the editor registry and palette', () => {
  it('derives every node type from the language registry', () => {
    expect(Object.keys(editorNodeTypes).sort()).toEqual([...nodeTypes].sort());
    for (const type of nodeTypes) {
      expect(editorNodeTypes[type].label).toBe(nodeRegistry[type].label);
      expect(editorNodeTypes[type].definition.dataSchema.safeParse(editorNodeTypes[type].defaults()).success).toBe(true);
    }
    expect(editorNodeTypes.wait.detail({ mode: 'duration', duration: '30 days' })).toBe('for 30 days');
  });

  it.each([
    ['', nodeTypes.length],
    ['wait', 3],
    ['wait until', 2],
    ['approv', 1],
    ['human', 2],
    ['no such step', 0],
  ])('search %j finds %i', (query, count) => expect(paletteEntries(query)).toHaveLength(count));
});
