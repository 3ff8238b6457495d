import { compilePlaybook } from './compile';
import { fieldValueProblem } from './references';
import type { PlaybookDocumentInput } from './document';
import { templates } from './templates';

type Doc = PlaybookDocumentInput & { nodes: Array<{ id: string; data: any }> };
const onboarding = () => structuredClone(templates['onboarding-30-60-90']) as Doc;

/** The data of node `id`, to edit in a test. */
function dataOf(doc: Doc, id: string): any {
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return node.data;
}

describe('references', () => {
  it('rejects a condition on a milestone the playbook does not have', () => {
    const doc = onboarding();
    dataOf(doc, 'ready').cases[0].when.all[1].field = 'milestone.m-nowhere';
    expect(compilePlaybook(doc).diagnostics).toEqual([expect.objectContaining({ code: 'reference.unknown_milestone', nodeId: 'ready', path: 'nodes[12].data.cases[0].when' })]);
  });

  it('rejects a condition on the outcome of a step that does not exist', () => {
    const doc = onboarding();
    dataOf(doc, 'ready').cases[0].when.all[1].field = 'step.nope.outcome';
    expect(compilePlaybook(doc).diagnostics).toEqual([expect.objectContaining({ code: 'reference.unknown_step', nodeId: 'ready' })]);
  });

  it('rejects unknown template variables', () => {
    const doc = onboarding();
    dataOf(doc, 'kickoff').body = 'Hi {{champion.name}}';
    expect(compilePlaybook(doc).diagnostics).toEqual([expect.objectContaining({ code: 'reference.unknown_variable', nodeId: 'kickoff', path: 'nodes[1].data.body' })]);
  });

  it('checks segments, playbooks and attributes against what the caller knows', () => {
    const context = { segments: ['tech-touch'], playbooks: ['renewal-120'], accountAttributes: ['arr'] };
    const codes = compilePlaybook(templates['onboarding-30-60-90'], context).diagnostics.map((d) => [d.code, d.path]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ['reference.unknown_segment', 'nodes[1].data.variants[0].segments[0]'],
        ['reference.unknown_attribute', 'nodes[12].data.cases[0].when'],
      ]),
    );
    expect(compilePlaybook(templates['qbr-cadence'], context).diagnostics).toEqual([expect.objectContaining({ code: 'reference.unknown_segment', path: 'audience.segments[0]' })]);
  });

  describe('update_account writes against the field schema', () => {
    const fields = [
      { key: 'champion_status', type: 'enum' as const, options: ['mapped', 'vacant'] },
      { key: 'arr', type: 'currency' as const, options: [] },
    ];
    const writing = (attribute: string, value: unknown) => {
      const doc = structuredClone(templates['champion-left']);
      const step = doc.nodes.find((n) => n.type === 'update_account' && (n.data as { set: string }).set === 'attribute');
      if (!step) throw new Error('champion-left has no attribute write');
      Object.assign(step.data as object, { attribute, value });
      return compilePlaybook(doc, { accountFields: fields }).diagnostics.filter((d) => d.code.startsWith('reference.')).map((d) => [d.code, d.path.replace(/^nodes\[\d+\]\./, '')]);
    };
    it.each<[string, string, unknown, string[][]]>([
      ['a field with one of its options', 'champion_status', 'vacant', []],
      ['null, which clears it', 'champion_status', null, []],
      ['a field the workspace does not have', 'tier', 'gold', [['reference.unknown_attribute', 'data.attribute']]],
      ['an option the enum lacks', 'champion_status', 'gone', [['reference.bad_attribute_value', 'data.value']]],
      ['text into a currency', 'arr', 'lots', [['reference.bad_attribute_value', 'data.value']]],
      ['a number into a currency', 'arr', 12000, []],
    ])('%s', (_what, attribute, value, expected) => {
      expect(writing(attribute, value)).toEqual(expected);
    });
    it('is not checked when the caller does not know the fields', () => {
      const doc = structuredClone(templates['qbr-cadence']);
      expect(compilePlaybook(doc, {}).ok).toBe(true);
    });
  });

  it.each<[string, unknown, string | null]>([
    ['a date', '2027-01-31', null],
    ['a timestamp', '2027-01-31T10:00:00Z', '"d" holds dates as YYYY-MM-DD'],
    ['a number', 3, '"d" holds dates as YYYY-MM-DD'],
  ])('fieldValueProblem: %s in a date field', (_what, value, problem) => {
    expect(fieldValueProblem({ key: 'd', type: 'date', options: [] }, value)).toBe(problem);
  });

  it('asks a join for at least two incoming tracks', () => {
    const doc = onboarding();
    doc.edges = doc.edges.filter((e) => e.id !== 'e8');
    doc.edges.push({ id: 'e8', source: 'integrations', target: 'm-value', sourceHandle: 'done' });
    expect(compilePlaybook(doc).diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'join.single_input', nodeId: 'together' })]));
  });

  it('warns when a milestone cannot be reached by its target day', () => {
    const doc = onboarding();
    dataOf(doc, 'm-adoption').targetDay = 45;
    const result = compilePlaybook(doc);
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'milestone.late_by_design', nodeId: 'm-adoption', path: 'nodes[10].data.targetDay' })]);
  });
});
