import type { Playbook, PlaybookSummary, PlaybookVersion, PlaybookVersionSummary } from '@cairn/contracts';
import type { PlaybookEntity, PlaybookVersionEntity } from '@cairn/db';
import { upgradeStoredDocument } from '@cairn/playbook';

export function toVersionSummary(v: PlaybookVersionEntity): PlaybookVersionSummary {
  return { id: v.id, version: v.version, hash: v.hash, publishedAt: v.publishedAt.toISOString(), publishedBy: v.publishedBy, note: v.note };
}

export function toPlaybook(p: PlaybookEntity, versions: PlaybookVersionEntity[]): Playbook {
  return {
    id: p.id,
    key: p.key,
    name: p.name,
    description: p.description,
    kind: p.kind,
    // Drafts saved under an older schema version are shown as the current version.
    draft: upgradeStoredDocument(p.draft),
    versions: versions.map(toVersionSummary),
    draftRevision: p.draftRevision,
    archivedAt: p.archivedAt ? p.archivedAt.toISOString() : null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function toPlaybookSummary(p: PlaybookEntity, latestVersion: number | null): PlaybookSummary {
  return { id: p.id, key: p.key, name: p.name, description: p.description, kind: p.kind, latestVersion, archivedAt: p.archivedAt ? p.archivedAt.toISOString() : null, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() };
}

export function toPlaybookVersion(v: PlaybookVersionEntity): PlaybookVersion {
  return { ...toVersionSummary(v), playbookId: v.playbookId, document: upgradeStoredDocument(v.document) };
}
