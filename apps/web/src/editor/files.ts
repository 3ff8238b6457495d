import { parsePlaybookDocument, type PlaybookDocument, type PlaybookDocumentInput, templates } from '@cairn/playbook';

/** `onboarding-kickoff.playbook.json` */
export const exportFileName = (doc: PlaybookDocument) => `${doc.key}.playbook.json`;

/** The document as a `*.playbook.json` file's text. */
export const exportText = (doc: PlaybookDocument) => `${JSON.stringify(doc, null, 2)}\n`;

/**
 * An imported `*.playbook.json` (any supported schema version) as the draft of this playbook: the
 * key stays this playbook's (it never changes), or why the file cannot be used.
 */
export function importDocument(text: string, currentKey: string): { ok: true; doc: PlaybookDocument; note: string | null } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'The file is not JSON' };
  }
  const parsed = parsePlaybookDocument(json);
  if (!parsed.ok) {
    const first = parsed.diagnostics[0];
    return { ok: false, problem: `The file is not a playbook: ${first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid'}` };
  }
  const keyChanged = parsed.document.key !== currentKey;
  return { ok: true, doc: { ...parsed.document, key: currentKey }, note: keyChanged ? `Imported "${parsed.document.name}"; the key stays "${currentKey}"` : null };
}

/** "Kickoff (fast)" → "kickoff-fast" */
export function keyFromName(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'playbook'
  );
}

/** The templates a new playbook can start from, with a blank one first. */
export function templateChoices(): Array<{ key: string; name: string; description: string }> {
  return [
    { key: '', name: 'Blank', description: 'A trigger and an end; draw the rest.' },
    ...Object.entries(templates).map(([key, t]) => ({ key, name: t.name, description: t.description ?? '' })),
  ];
}

/** A new playbook's document: from a template (renamed), or blank (a manual trigger leading to an end). */
export function newDocument(templateKey: string, name: string, key: string): PlaybookDocumentInput {
  const template = templateKey ? templates[templateKey] : undefined;
  if (template) return { ...(JSON.parse(JSON.stringify(template)) as PlaybookDocumentInput), key, name };
  return {
    schemaVersion: 2,
    key,
    name,
    description: '',
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
      { id: 'end', type: 'end', position: { x: 0, y: 200 }, data: { outcome: 'completed' } },
    ],
    edges: [{ id: 'start-end', source: 'start', target: 'end', sourceHandle: 'next' }],
  };
}
