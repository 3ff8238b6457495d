import { compilePlaybook, playbookDocumentSchema, templates } from '@cairn/playbook';
import { fromRows, toRows, valueForOp } from './condition-rows';
import { exportText, importDocument, keyFromName, newDocument } from './files';
import { insertVariable, previewTemplate, variableOptions } from './template-preview';

describe('import and export', () => {
  const doc = playbookDocumentSchema.parse(templates['onboarding-kickoff']);

  it('round-trips a document, keeping this playbook’s key', () => {
    const result = importDocument(exportText({ ...doc, key: 'other', name: 'Other' }), doc.key);
    expect(result).toMatchObject({ ok: true, doc: { key: doc.key, name: 'Other' }, note: expect.stringContaining('the key stays') });
  });

  it.each([
    ['not json', /not JSON/],
    ['{"nodes": []}', /not a playbook/],
  ])('refuses %s', (text, problem) => expect(importDocument(text, 'k')).toEqual({ ok: false, problem: expect.stringMatching(problem) }));

  it('makes a key from a name, and a blank playbook that compiles', () => {
    expect(keyFromName('Kickoff (fast) — EMEA')).toBe('kickoff-fast-emea');
    expect(compilePlaybook(newDocument('', 'Blank', 'blank')).ok).toBe(true);
    expect(newDocument('qbr-cadence', 'QBR', 'qbr')).toMatchObject({ key: 'qbr', name: 'QBR' });
  });
});

describe('condition rows and templates', () => {
  it.each([
    [{ field: 'segment', op: 'eq', value: 'smb' }, { join: 'all', rows: [{ field: 'segment', op: 'eq', value: 'smb' }] }],
    [{ any: [{ field: 'a', op: 'exists' }, { field: 'b', op: 'exists' }] }, { join: 'any', rows: [{ field: 'a', op: 'exists' }, { field: 'b', op: 'exists' }] }],
    [{ not: { all: [{ field: 'a', op: 'exists' }] } }, null],
  ])('reads %j as rows', (condition, rows) => expect(toRows(condition)).toEqual(rows));

  it('writes one row as the comparison, several joined', () => {
    const a = { field: 'segment', op: 'eq' as const, value: 'x' };
    expect(fromRows({ join: 'any', rows: [a] })).toEqual(a);
    expect(fromRows({ join: 'any', rows: [a, a] })).toEqual({ any: [a, a] });
    expect(valueForOp('in', 'x')).toEqual(['x']);
    expect(valueForOp('exists', 'x')).toBeUndefined();
  });

  it('previews a template against the sample account and inserts variables at the caret', () => {
    expect(previewTemplate('Hi {{recipient.name}} at {{account.name}}').text).toBe('Hi Jamie Rivera at Acme Analytics');
    expect(previewTemplate('{{deal.size}}').unknown).toEqual(['deal.size']);
    expect(insertVariable('Hi !', 'recipient.name', 3)).toEqual({ text: 'Hi {{recipient.name}}!', caret: 21 });
    expect(variableOptions()).toContain('csm.name');
  });
});
