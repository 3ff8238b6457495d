import { compilePlaybook, templates } from '@cairn/playbook';
import { ErrorFilter } from '../common/error.filter';
import { InvalidPlaybookError } from '../common/errors';
import { countErrors, toIssues } from './playbook-issues';

type TemplateDocument = (typeof templates)['onboarding-kickoff'];

/** The onboarding template with one node's data changed. */
function withNodeData(nodeId: string, change: (data: Record<string, unknown>) => Record<string, unknown>): TemplateDocument {
  const doc = structuredClone(templates['onboarding-kickoff']);
  doc.nodes = doc.nodes.map((n) => (n.id === nodeId ? ({ ...n, data: change({ ...(n.data as Record<string, unknown>) }) } as typeof n) : n));
  return doc;
}

describe('a playbook that does not compile', () => {
  type Case = [name: string, doc: TemplateDocument, nodeId: string, path: string];
  const cases: Case[] = [
    ['a wait of "soon"', withNodeData('wait-3d', (d) => ({ ...d, duration: 'soon' })), 'wait-3d', 'nodes[1].data.duration'],
    [
      'an approval without a title',
      withNodeData('approve-kickoff', ({ title: _title, ...d }) => d),
      'approve-kickoff',
      'nodes[2].data.title',
    ],
  ];

  it.each(cases)('%s answers 400 invalid_playbook naming the node and the field', (_name, doc, nodeId, path) => {
    const result = compilePlaybook(doc);
    if (result.ok) throw new Error('expected the playbook not to compile');
    const body = new ErrorFilter().toBody(new InvalidPlaybookError(toIssues(result.diagnostics), countErrors(result.diagnostics)));
    expect(body).toMatchObject({ statusCode: 400, error: 'invalid_playbook', message: 'The playbook has 1 problem to fix before it can be published' });
    expect(body.issues).toEqual([expect.objectContaining({ nodeId, path, code: expect.any(String), message: expect.any(String) })]);
  });

  it('leaves out nodeId and edgeId when a diagnostic has none', () => {
    expect(toIssues([{ severity: 'error', code: 'x', message: 'm', path: 'nodes' }])).toEqual([{ path: 'nodes', message: 'm', code: 'x' }]);
  });

  it('the template itself compiles', () => {
    expect(compilePlaybook(templates['onboarding-kickoff']).ok).toBe(true);
  });
});
