import { createPlaybookRequestSchema, idParamSchema, type PublishResponse, publishRequestSchema, updateDraftRequestSchema } from '@cairn/contracts';
import { PlaybookEntity, PlaybookVersionEntity } from '@cairn/db';
import { compilePlaybook, type Diagnostic, parsePlaybookDocument, type PlaybookDocument } from '@cairn/playbook';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConflictError, InvalidPlaybookError, NotFoundError } from '../common/errors';
import { isUniqueViolation } from '../common/postgres-errors';
import { parseRequest } from '../common/validation';
import { toPlaybook, toPlaybookSummary, toPlaybookVersion, toVersionSummary } from './playbooks.mapper';

const toIssues = (diagnostics: Diagnostic[]) =>
  diagnostics.map((d) => ({ path: d.path, message: d.message, code: d.code, ...(d.nodeId ? { nodeId: d.nodeId } : {}), ...(d.edgeId ? { edgeId: d.edgeId } : {}) }));

function parseDraft(document: unknown): PlaybookDocument {
  const parsed = parsePlaybookDocument(document);
  if (!parsed.ok) throw new InvalidPlaybookError(toIssues(parsed.diagnostics));
  return parsed.document;
}

@Injectable()
export class PlaybooksService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async list() {
    const rows = await this.dataSource
      .getRepository(PlaybookEntity)
      .createQueryBuilder('p')
      .addSelect((q) => q.select('max(v.version)').from(PlaybookVersionEntity, 'v').where('v.playbook_id = p.id'), 'latest_version')
      .orderBy('p.name', 'ASC')
      .getRawAndEntities();
    return rows.entities.map((p, i) => toPlaybookSummary(p, rows.raw[i].latest_version ?? null));
  }

  async get(params: unknown) {
    const { id } = parseRequest(idParamSchema, params, 'params');
    const playbook = await this.findOrFail(this.dataSource.manager, id);
    return toPlaybook(playbook, await this.versions(id));
  }

  async version(params: unknown) {
    const { id } = parseRequest(idParamSchema, params, 'params');
    const version = await this.dataSource.getRepository(PlaybookVersionEntity).findOneBy({ id });
    if (!version) throw new NotFoundError('Playbook version', id);
    return toPlaybookVersion(version);
  }

  async create(body: unknown) {
    const { document } = parseRequest(createPlaybookRequestSchema, body, 'body');
    const draft = parseDraft(document);
    const entity = this.dataSource.getRepository(PlaybookEntity).create({ key: draft.key, name: draft.name, description: draft.description, kind: draft.kind, draft });
    try {
      const saved = await this.dataSource.getRepository(PlaybookEntity).save(entity);
      return toPlaybook(saved, []);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`A playbook with key "${draft.key}" already exists`);
      throw error;
    }
  }

  async updateDraft(params: unknown, body: unknown) {
    const { id } = parseRequest(idParamSchema, params, 'params');
    const { document } = parseRequest(updateDraftRequestSchema, body, 'body');
    const draft = parseDraft(document);
    const playbook = await this.findOrFail(this.dataSource.manager, id);
    if (draft.key !== playbook.key) throw new ConflictError(`The key of a playbook cannot change ("${playbook.key}" → "${draft.key}")`);
    playbook.name = draft.name;
    playbook.description = draft.description;
    playbook.kind = draft.kind;
    playbook.draft = draft;
    await this.dataSource.getRepository(PlaybookEntity).save(playbook);
    return toPlaybook(playbook, await this.versions(id));
  }

  /** Compiles the draft into a new immutable version; an unchanged draft returns the latest version. */
  async publish(params: unknown, body: unknown): Promise<PublishResponse> {
    const { id } = parseRequest(idParamSchema, params, 'params');
    const { publishedBy } = parseRequest(publishRequestSchema, body, 'body');
    return this.dataSource.transaction(async (em) => {
      // The row lock serialises publishes of one playbook, so version numbers never collide.
      const playbook = await this.findOrFail(em, id, true);
      const result = compilePlaybook(playbook.draft);
      if (!result.ok) throw new InvalidPlaybookError(toIssues(result.diagnostics));
      const warnings = result.diagnostics;
      const latest = await em.findOne(PlaybookVersionEntity, { where: { playbookId: id }, order: { version: 'DESC' } });
      if (latest && latest.hash === result.plan.hash) return { ...toVersionSummary(latest), playbookId: id, warnings };
      const version = em.create(PlaybookVersionEntity, {
        playbookId: id,
        version: (latest?.version ?? 0) + 1,
        hash: result.plan.hash,
        document: playbook.draft,
        plan: result.plan,
        publishedBy: publishedBy ?? null,
      });
      const saved = await em.save(version);
      return { ...toVersionSummary(saved), playbookId: id, warnings };
    });
  }

  private async findOrFail(em: EntityManager, id: string, lock = false): Promise<PlaybookEntity> {
    const playbook = await em.findOne(PlaybookEntity, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!playbook) throw new NotFoundError('Playbook', id);
    return playbook;
  }

  private versions(playbookId: string) {
    return this.dataSource.getRepository(PlaybookVersionEntity).find({
      where: { playbookId },
      order: { version: 'DESC' },
      select: { id: true, version: true, hash: true, publishedAt: true, publishedBy: true, playbookId: true },
    });
  }
}
