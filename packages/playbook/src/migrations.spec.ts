import { compilePlaybook, parsePlaybookDocument } from './compile';
import { CURRENT_SCHEMA_VERSION } from './document';
import { migrateDocument } from './migrations';
import { templates } from './templates';

/** The onboarding template as it was written for schema version 1 (waits had no `mode`). */
function asVersion1() {
  const doc = structuredClone(templates['onboarding-kickoff']) as Record<string, any>;
  doc.schemaVersion = 1;
  for (const node of doc.nodes) if (node.type === 'wait') delete node.data.mode;
  return doc;
}

describe('schema migrations', () => {
  it('lifts a version 1 document to the current version', () => {
    const result = migrateDocument(asVersion1());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.from).toBe(1);
    expect(result.document).toMatchObject({ schemaVersion: CURRENT_SCHEMA_VERSION, nodes: expect.arrayContaining([expect.objectContaining({ id: 'wait-3d', data: { label: 'Wait 3 days', mode: 'duration', duration: '3 days' } })]) });
  });

  it('compiles a version 1 document to the same plan as its current form', () => {
    const old = compilePlaybook(asVersion1());
    const current = compilePlaybook(templates['onboarding-kickoff']);
    expect(old.ok && current.ok && old.plan.hash === current.plan.hash).toBe(true);
  });

  it('does not touch the input', () => {
    const doc = asVersion1();
    const before = JSON.stringify(doc);
    migrateDocument(doc);
    expect(JSON.stringify(doc)).toBe(before);
  });

  it('refuses a document from a newer Cairn, saying so', () => {
    const result = parsePlaybookDocument({ ...templates['onboarding-kickoff'], schemaVersion: CURRENT_SCHEMA_VERSION + 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'document.newer_version', path: 'schemaVersion' })]);
  });

  it.each([null, 'text', 42, [], { schemaVersion: 'one' }])('passes %p through for the schema to reject', (input) => {
    expect(migrateDocument(input)).toMatchObject({ ok: true, document: input });
  });
});
