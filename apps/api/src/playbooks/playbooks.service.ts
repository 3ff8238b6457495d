import type { Playbook, PlaybookSummary, PlaybookVersion, PublishRequest, PublishResponse } from '@cairn/contracts';
import { type PlaybookEntity, type Repositories, repositories } from '@cairn/db';
import { compilePlaybook, type Diagnostic, type ExecutablePlan, parsePlaybookDocument, type PlaybookDocument } from '@cairn/playbook';
import { unsupportedByEngine } from '@cairn/workflows';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConflictError, InvalidPlaybookError, NotFoundError } from '../common/errors';
import { isUniqueViolation } from '../common/postgres-errors';
import { countErrors, toIssues } from './playbook-issues';
import { toPlaybook, toPlaybookSummary, toPlaybookVersion, toVersionSummary } from './playbooks.mapper';

/** A draft may be saved while it does not compile yet, but it must have the document's shape. */
function parseDraft(document: unknown): PlaybookDocument {
  const parsed = parsePlaybookDocument(document);
  if (!parsed.ok) throw new InvalidPlaybookError(toIssues(parsed.diagnostics), countErrors(parsed.diagnostics), 'saved');
  return parsed.document;
}

/** Steps the engine cannot run yet, as errors on their nodes: refused at publish, never mid-run. */
function engineDiagnostics(plan: ExecutablePlan, draft: PlaybookDocument): Diagnostic[] {
  return Object.values(plan.steps).flatMap((step) => {
    const reason = unsupportedByEngine(step);
    if (!reason) return [];
    const index = draft.nodes.findIndex((n) => n.id === step.id);
    return [{ severity: 'error' as const, code: 'engine.unsupported', message: `"${step.label}": ${reason}`, nodeId: step.id, path: `nodes[${index}]` }];
  });
}

@Injectable()
export class PlaybooksService {
  private readonly db: Repositories;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.db = repositories(dataSource.manager);
  }

  async list(): Promise<PlaybookSummary[]> {
    const rows = await this.db.playbooks.listWithLatestVersion();
    return rows.map(({ playbook, latestVersion }) => toPlaybookSummary(playbook, latestVersion));
  }

  async get(id: string): Promise<Playbook> {
    const playbook = await this.findOrFail(this.db, id);
    return toPlaybook(playbook, await this.db.playbooks.versionSummaries(id));
  }

  async version(id: string): Promise<PlaybookVersion> {
    const version = await this.db.playbooks.findVersionById(id);
    if (!version) throw new NotFoundError('Playbook version', id);
    return toPlaybookVersion(version);
  }

  async create(document: unknown): Promise<Playbook> {
    const draft = parseDraft(document);
    try {
      const saved = await this.db.playbooks.insert({ key: draft.key, name: draft.name, description: draft.description, kind: draft.kind, draft });
      return toPlaybook(saved, []);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`A playbook with key "${draft.key}" already exists`);
      throw error;
    }
  }

  async updateDraft(id: string, document: unknown): Promise<Playbook> {
    const draft = parseDraft(document);
    const playbook = await this.findOrFail(this.db, id);
    if (draft.key !== playbook.key) throw new ConflictError(`The key of a playbook cannot change ("${playbook.key}" → "${draft.key}")`);
    const saved = await this.db.playbooks.updateDraft(playbook, { name: draft.name, description: draft.description, kind: draft.kind, draft });
    return toPlaybook(saved, await this.db.playbooks.versionSummaries(id));
  }

  /**
   * Compiles the draft into a new immutable version. The playbook row is locked for the
   * transaction, so two publishes never get the same number; an unchanged draft (same plan hash
   * as the latest version) returns that version instead of minting a duplicate.
   */
  async publish(id: string, { publishedBy }: PublishRequest): Promise<PublishResponse> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const playbook = await this.findOrFail(db, id, { forUpdate: true });
      const draft = parseDraft(playbook.draft);
      // References are checked against what exists: segments, and playbooks an `enroll` names.
      const result = compilePlaybook(draft, { segments: await db.accounts.segmentKeys(), playbooks: await db.playbooks.keys() });
      if (!result.ok) throw new InvalidPlaybookError(toIssues(result.diagnostics), countErrors(result.diagnostics));
      const unsupported = engineDiagnostics(result.plan, draft);
      if (unsupported.length) throw new InvalidPlaybookError(toIssues(unsupported), unsupported.length);
      const warnings = result.diagnostics;
      const latest = await db.playbooks.latestVersion(id);
      if (latest && latest.hash === result.plan.hash) return { ...toVersionSummary(latest), playbookId: id, warnings };
      const saved = await db.playbooks.insertVersion({
        playbookId: id,
        version: (latest?.version ?? 0) + 1,
        hash: result.plan.hash,
        document: draft,
        plan: result.plan,
        publishedBy: publishedBy ?? null,
      });
      return { ...toVersionSummary(saved), playbookId: id, warnings };
    });
  }

  private async findOrFail(db: Repositories, id: string, options: { forUpdate?: boolean } = {}): Promise<PlaybookEntity> {
    const playbook = await db.playbooks.findById(id, options);
    if (!playbook) throw new NotFoundError('Playbook', id);
    return playbook;
  }
}
