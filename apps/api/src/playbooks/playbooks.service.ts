import type { ArchivePlaybookRequest, ListPlaybooksQuery, ListPlaybookVersionsQuery, Playbook, PlaybookDiffQuery, PlaybookDiffResponse, PlaybookSummaryPage, PlaybookVersion, PlaybookVersionSummaryPage, PublishRequest, PublishResponse, SavedDraft, UpdateDraftRequest } from '@cairn/contracts';
import { type PlaybookEntity, type Repositories, repositories } from '@cairn/db';
import { ACCOUNT_FACT_KEYS, type AccountFieldShape, compilePlaybook, type CompileContext, type Diagnostic, diffPlaybooks, type ExecutablePlan, parsePlaybookDocument, type PlaybookDocument, upgradeStoredDocument } from '@cairn/playbook';
import { cancelRunSignal, unsupportedByEngine } from '@cairn/workflows';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { RequestPrincipal } from '../auth/principal';
import { ConflictError, InvalidPlaybookError, NotFoundError, ValidationError } from '../common/errors';
import { runHandle } from '../temporal/run-handle';
import { TEMPORAL_CALL_TIMEOUT_MS } from '../temporal/temporal-errors';
import { decodeIntKeyCursor, decodeKeyCursor, encodeKeyCursor } from '../common/cursor';
import { pageOf } from '../common/page';
import { isUniqueViolation } from '../common/postgres-errors';
import { countErrors, toIssues } from './playbook-issues';
import { scheduleTriggerOf, TriggerSchedules } from './trigger-schedules';
import { toPlaybook, toPlaybookSummary, toPlaybookVersion, toVersionSummary } from './playbooks.mapper';

/** A draft may be saved while it does not compile yet, but it must have the document's shape. */
function parseDraft(document: unknown): PlaybookDocument {
  const parsed = parsePlaybookDocument(document);
  if (!parsed.ok) throw new InvalidPlaybookError(toIssues(parsed.diagnostics), countErrors(parsed.diagnostics), 'saved');
  return parsed.document;
}

/** The data of a plan's entry (trigger) step. */
function entryTrigger(plan: ExecutablePlan): Record<string, unknown> | null {
  return (plan.steps[plan.entryStepId]?.data as Record<string, unknown> | undefined) ?? null;
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
  private readonly logger = new Logger('Playbooks');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(TriggerSchedules) private readonly schedules: TriggerSchedules,
  ) {
    this.db = repositories(dataSource.manager);
  }

  /** Playbooks by name (then id), filtered; see listPlaybooksQuerySchema. */
  async list({ limit, cursor, ...filter }: ListPlaybooksQuery): Promise<PlaybookSummaryPage> {
    const after = cursor === undefined ? undefined : decodeKeyCursor(cursor);
    const found = await this.db.playbooks.page(filter, { take: limit + 1, after: after && { name: after.key, id: after.id } });
    return pageOf(
      found,
      limit,
      ({ playbook, latestVersion }) => toPlaybookSummary(playbook, latestVersion),
      ({ playbook }) => encodeKeyCursor(playbook.name, playbook.id),
    );
  }

  async get(id: string): Promise<Playbook> {
    const playbook = await this.findOrFail(this.db, id);
    return toPlaybook(playbook, await this.db.playbooks.versionSummaries(id));
  }

  /** The playbook's published versions a page at a time, newest first (the cursor holds the last version's number and id). */
  async versions(id: string, { limit, cursor }: ListPlaybookVersionsQuery): Promise<PlaybookVersionSummaryPage> {
    await this.findOrFail(this.db, id);
    const before = cursor ? decodeIntKeyCursor(cursor).key : undefined;
    const found = await this.db.playbooks.versionSummaryPage(id, { limit: limit + 1, before });
    return pageOf(found, limit, toVersionSummary, (last) => encodeKeyCursor(String(last.version), last.id));
  }

  async version(id: string): Promise<PlaybookVersion> {
    const version = await this.db.playbooks.findVersionById(id);
    if (!version) throw new NotFoundError('Playbook version', id);
    return toPlaybookVersion(version);
  }

  async create(principal: RequestPrincipal, document: unknown): Promise<Playbook> {
    const draft = parseDraft(document);
    try {
      return await this.dataSource.transaction(async (em) => {
        const saved = await repositories(em).playbooks.insert({ key: draft.key, name: draft.name, description: draft.description, kind: draft.kind, draft });
        await this.audit.record(em, principal, {
          action: 'playbook.created',
          entity: { type: 'playbook', id: saved.id },
          summary: `${principal.name} created the playbook "${draft.name}" (${draft.key})`,
          changes: { after: { key: draft.key, name: draft.name, kind: draft.kind, steps: draft.nodes.length } },
        });
        return toPlaybook(saved, []);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`A playbook with key "${draft.key}" already exists`);
      throw error;
    }
  }

  /**
   * Saves the draft (the editor autosaves) with the row locked; a `baseRevision` older than the
   * draft's refuses the save (someone saved since). Answers with what the compiler says of it now.
   * Each save is an audit entry (the editor autosaves, so there are many: the draft's name and size before and after).
   */
  async updateDraft(principal: RequestPrincipal, id: string, { document, baseRevision }: UpdateDraftRequest): Promise<SavedDraft> {
    const draft = parseDraft(document);
    const saved = await this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const playbook = await this.findOrFail(db, id, { forUpdate: true });
      if (draft.key !== playbook.key) throw new ConflictError(`The key of a playbook cannot change ("${playbook.key}" → "${draft.key}")`);
      if (baseRevision !== undefined && baseRevision !== playbook.draftRevision) {
        throw new ConflictError(`The draft was saved by someone else since you opened it (revision ${playbook.draftRevision}, yours ${baseRevision}); reload it before saving`);
      }
      const before = { revision: playbook.draftRevision, name: playbook.name, kind: playbook.kind, steps: playbook.draft?.nodes?.length ?? 0 };
      const updated = await db.playbooks.updateDraft(playbook, { name: draft.name, description: draft.description, kind: draft.kind, draft });
      await this.audit.record(em, principal, {
        action: 'playbook.draft_saved',
        entity: { type: 'playbook', id },
        summary: `${principal.name} saved the draft of "${draft.name}" (revision ${updated.draftRevision})`,
        changes: { before, after: { revision: updated.draftRevision, name: draft.name, kind: draft.kind, steps: draft.nodes.length } },
      });
      return updated;
    });
    const compiled = compilePlaybook(draft, await compileContext(this.db));
    const diagnostics = compiled.ok ? [...compiled.diagnostics, ...engineDiagnostics(compiled.plan, draft)] : compiled.diagnostics;
    return { ...toPlaybook(saved, await this.db.playbooks.versionSummaries(id)), diagnostics };
  }

  /** What changed between two versions, or a version and the draft (default: the latest version against the draft). */
  async diff(id: string, query: PlaybookDiffQuery): Promise<PlaybookDiffResponse> {
    const playbook = await this.findOrFail(this.db, id);
    const latest = await this.db.playbooks.latestVersion(id);
    const from = query.from ?? latest?.version ?? 'draft';
    const to = query.to ?? 'draft';
    const side = async (which: number | 'draft', name: 'from' | 'to'): Promise<PlaybookDocument> => {
      if (which === 'draft') return upgradeStoredDocument(playbook.draft);
      const version = await this.db.playbooks.findVersionByNumber(id, which);
      if (!version) throw new ValidationError(`Playbook ${playbook.key} has no version ${which}`, [{ path: `query.${name}`, code: 'unknown_version', message: `No version ${which}; versions go up to ${latest?.version ?? 'none'}` }]);
      return upgradeStoredDocument(version.document);
    };
    return { from, to, ...diffPlaybooks(await side(from, 'from'), await side(to, 'to')) };
  }

  /** Archives: no new enrollments, no triggers, hidden from the list; runs in flight finish. */
  async archive(principal: RequestPrincipal, id: string, _request: ArchivePlaybookRequest): Promise<Playbook> {
    return this.setArchived(principal, id, true);
  }

  async unarchive(principal: RequestPrincipal, id: string): Promise<Playbook> {
    return this.setArchived(principal, id, false);
  }

  /** Archives or brings back, with the row locked and the change audited (doing it twice changes nothing and logs nothing). */
  private async setArchived(principal: RequestPrincipal, id: string, archived: boolean): Promise<Playbook> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const playbook = await this.findOrFail(db, id, { forUpdate: true });
      if (Boolean(playbook.archivedAt) === archived) return { saved: playbook, summaries: await db.playbooks.versionSummaries(id) };
      const saved = await db.playbooks.setArchived(playbook, archived ? new Date() : null);
      await this.audit.record(em, principal, {
        action: archived ? 'playbook.archived' : 'playbook.unarchived',
        entity: { type: 'playbook', id },
        summary: `${principal.name} ${archived ? 'archived' : 'brought back'} "${playbook.name}"`,
      });
      const summaries = await db.playbooks.versionSummaries(id);
      return { saved, summaries };
    }).then(async ({ saved, summaries }) => {
      // After the commit: a schedule trigger pauses with the archive and resumes with its return.
      await this.syncSchedule(saved);
      return toPlaybook(saved, summaries);
    });
  }

  /** Pauses or resumes the playbook's schedule with its archived state (when its latest version has one). */
  private async syncSchedule(playbook: PlaybookEntity): Promise<void> {
    const latest = await this.db.playbooks.latestVersion(playbook.id);
    const trigger = latest ? scheduleTriggerOf(entryTrigger(latest.plan)) : null;
    if (trigger) await this.schedules.sync({ key: playbook.key, name: playbook.name, archived: playbook.archivedAt !== null }, trigger);
  }

  /**
   * Compiles the draft into a new immutable version. The playbook row is locked for the
   * transaction, so two publishes never get the same number; an unchanged draft (same plan hash
   * as the latest version) returns that version instead of minting a duplicate. The version records
   * who published it (the signed-in person), and the audit log says so.
   */
  async publish(principal: RequestPrincipal, id: string, { note, inFlight }: PublishRequest): Promise<PublishResponse> {
    const published = await this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const playbook = await this.findOrFail(db, id, { forUpdate: true });
      if (playbook.archivedAt) throw new ConflictError(`Playbook ${playbook.key} is archived; unarchive it to publish`);
      const draft = parseDraft(playbook.draft);
      const result = compilePlaybook(draft, await compileContext(db));
      if (!result.ok) throw new InvalidPlaybookError(toIssues(result.diagnostics), countErrors(result.diagnostics));
      const unsupported = engineDiagnostics(result.plan, draft);
      if (unsupported.length) throw new InvalidPlaybookError(toIssues(unsupported), unsupported.length);
      const warnings = result.diagnostics;
      const latest = await db.playbooks.latestVersion(id);
      const previous = latest ? scheduleTriggerOf(entryTrigger(latest.plan)) : null;
      if (latest && latest.hash === result.plan.hash) return { version: latest, playbook, warnings, previous };
      const saved = await db.playbooks.insertVersion({
        playbookId: id,
        version: (latest?.version ?? 0) + 1,
        hash: result.plan.hash,
        document: draft,
        plan: result.plan,
        publishedBy: principal.name,
        note,
      });
      await this.audit.record(em, principal, {
        action: 'playbook.published',
        entity: { type: 'playbook', id },
        summary: `${principal.name} published "${playbook.name}" v${saved.version}${note ? `: ${note}` : ''}${inFlight === 'exit' ? ' (runs of earlier versions exited)' : ''}`,
        changes: { before: { version: latest?.version ?? null, hash: latest?.hash ?? null }, after: { version: saved.version, hash: saved.hash, versionId: saved.id, inFlight } },
      });
      return { version: saved, playbook, warnings, previous };
    });
    const { version, playbook, warnings, previous } = published;
    // The playbook's Temporal Schedule follows its latest version (created, updated or deleted); other playbooks never call Temporal here.
    const trigger = scheduleTriggerOf(entryTrigger(version.plan));
    const schedule = trigger || previous ? await this.schedules.sync({ key: playbook.key, name: playbook.name, archived: false }, trigger) : 'none';
    // After the commit: runs of earlier versions finish on them, or stop now. Publishing the same draft again retries the stops.
    const running = await this.db.runs.runningOnOtherVersions(id, version.id);
    let exited = 0;
    if (inFlight === 'exit') {
      const reason = `version ${version.version} of ${playbook.name} was published with runs in flight exited${note ? ` (${note})` : ''}`;
      for (const run of running) {
        try {
          await this.temporal.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
            runHandle(this.temporal, run).signal(cancelRunSignal, { cancelledById: `publish:${version.id}`, cancelledByName: principal.name, reason }),
          );
          exited++;
        } catch (error) {
          this.logger.warn(`Run ${run.id} of ${playbook.key} was not stopped: ${error instanceof Error ? error.message : String(error)} (publish again to retry)`);
        }
      }
    }
    return { ...toVersionSummary(version), playbookId: id, warnings, inFlight: { policy: inFlight, running: running.length, exited }, schedule };
  }

  private async findOrFail(db: Repositories, id: string, options: { forUpdate?: boolean } = {}): Promise<PlaybookEntity> {
    const playbook = await db.playbooks.findById(id, options);
    if (!playbook) throw new NotFoundError('Playbook', id);
    return playbook;
  }
}

/**
 * What references are checked against: segments, the playbooks an `enroll` names, the account
 * attributes conditions read and the fields `update_account` writes (the workspace's field schema).
 */
async function compileContext(db: Repositories): Promise<CompileContext> {
  const fields: AccountFieldShape[] = (await db.accountFields.list()).map((f) => ({ key: f.key, type: f.type as AccountFieldShape['type'], options: [...f.options] }));
  return {
    segments: await db.accounts.segmentKeys(),
    playbooks: await db.playbooks.keys(),
    accountAttributes: [...ACCOUNT_FACT_KEYS, ...fields.map((f) => f.key)],
    accountFields: fields,
  };
}
