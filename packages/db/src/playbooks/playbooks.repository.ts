import { type EntityManager, LessThan } from 'typeorm';
import { containsPattern, type KeysetPage } from '../common/keyset';
import { PlaybookVersionEntity } from './playbook-version.entity';
import { PlaybookEntity } from './playbook.entity';

/** The fields a caller may set on a playbook; ids and timestamps belong to the database. */
export type PlaybookFields = Pick<PlaybookEntity, 'key' | 'name' | 'description' | 'kind' | 'draft'>;
export type PlaybookVersionFields = Pick<PlaybookVersionEntity, 'playbookId' | 'version' | 'hash' | 'document' | 'plan' | 'publishedBy' | 'note'>;

/** Version rows without their (large) document and plan. */
const summaryColumns = { id: true, playbookId: true, version: true, hash: true, publishedAt: true, publishedBy: true, note: true } as const;

/** A published playbook's entry trigger and audience, from its latest version. */
export interface LatestTrigger {
  playbookId: string;
  playbookKey: string;
  playbookName: string;
  version: number;
  /** The trigger step's data (`{ on: 'event', … }`, `{ on: 'schedule', cron, timezone }`…). */
  trigger: Record<string, unknown> | null;
  /** Segment keys (empty: every account). */
  audience: string[];
}

/** Playbooks (the editable draft) and their immutable published versions. */
export class PlaybooksRepository {
  constructor(private readonly em: EntityManager) {}

  /** Every playbook key, for checking the playbooks an `enroll` step names. */
  async keys(): Promise<string[]> {
    const playbooks = await this.em.find(PlaybookEntity, { select: { key: true }, order: { key: 'ASC' } });
    return playbooks.map((p) => p.key);
  }

  /**
   * Playbooks by name (then id), after `page.after`, with the number of their latest published
   * version (null if never published). Archived ones only with `includeArchived` or `status: archived`;
   * `draft` is never published, `published` published and not archived.
   */
  async page(
    filter: { includeArchived?: boolean; status?: 'draft' | 'published' | 'archived'; q?: string; kind?: string },
    page: KeysetPage<{ name: string }>,
  ): Promise<Array<{ playbook: PlaybookEntity; latestVersion: number | null }>> {
    const published = 'EXISTS (SELECT 1 FROM playbook_versions pv WHERE pv.playbook_id = p.id)';
    const query = this.em
      .createQueryBuilder(PlaybookEntity, 'p')
      .addSelect((q) => q.select('max(v.version)').from(PlaybookVersionEntity, 'v').where('v.playbook_id = p.id'), 'latest_version')
      .orderBy('p.name', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(page.take);
    if (filter.status === 'archived') query.andWhere('p.archived_at IS NOT NULL');
    else if (!filter.includeArchived || filter.status) query.andWhere('p.archived_at IS NULL');
    if (filter.status === 'draft') query.andWhere(`NOT ${published}`);
    if (filter.status === 'published') query.andWhere(published);
    if (filter.q) query.andWhere('(p.name ILIKE :q OR p.key ILIKE :q)', { q: containsPattern(filter.q) });
    if (filter.kind) query.andWhere('p.kind = :kind', { kind: filter.kind });
    if (page.after) query.andWhere('(p.name, p.id) > (:name, :id::uuid)', page.after);
    const { entities, raw } = await query.getRawAndEntities<{ latest_version: number | null }>();
    return entities.map((playbook, i) => ({ playbook, latestVersion: raw[i]?.latest_version ?? null }));
  }

  /** With `forUpdate`, locks the row until the surrounding transaction ends (serialises publishes). */
  findById(id: string, options: { forUpdate?: boolean } = {}): Promise<PlaybookEntity | null> {
    return this.em.findOne(PlaybookEntity, { where: { id }, ...(options.forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  findByKey(key: string): Promise<PlaybookEntity | null> {
    return this.em.findOneBy(PlaybookEntity, { key });
  }

  /** Throws the driver's unique violation (23505) if the key is taken. */
  insert(fields: PlaybookFields): Promise<PlaybookEntity> {
    const { key, name, description, kind, draft } = fields;
    return this.em.save(this.em.create(PlaybookEntity, { key, name, description, kind, draft }));
  }

  /** Saves the draft and raises its revision (call with the row locked). */
  async updateDraft(playbook: PlaybookEntity, fields: Omit<PlaybookFields, 'key'>): Promise<PlaybookEntity> {
    playbook.name = fields.name;
    playbook.description = fields.description;
    playbook.kind = fields.kind;
    playbook.draft = fields.draft;
    playbook.draftRevision += 1;
    return this.em.save(playbook);
  }

  async setArchived(playbook: PlaybookEntity, archivedAt: Date | null): Promise<PlaybookEntity> {
    playbook.archivedAt = archivedAt;
    return this.em.save(playbook);
  }

  /** One published version by number, with its document. */
  findVersionByNumber(playbookId: string, version: number): Promise<PlaybookVersionEntity | null> {
    return this.em.findOneBy(PlaybookVersionEntity, { playbookId, version });
  }

  /** Published versions, newest first, without document and plan. */
  versionSummaries(playbookId: string): Promise<PlaybookVersionEntity[]> {
    return this.em.find(PlaybookVersionEntity, { where: { playbookId }, order: { version: 'DESC' }, select: summaryColumns });
  }

  /** A page of published versions, newest first, below version `before` when given (version numbers are unique per playbook), without document and plan. */
  versionSummaryPage(playbookId: string, page: { limit: number; before?: number }): Promise<PlaybookVersionEntity[]> {
    const where = page.before === undefined ? { playbookId } : { playbookId, version: LessThan(page.before) };
    return this.em.find(PlaybookVersionEntity, { where, order: { version: 'DESC' }, take: page.limit, select: summaryColumns });
  }

  latestVersion(playbookId: string): Promise<PlaybookVersionEntity | null> {
    return this.em.findOne(PlaybookVersionEntity, { where: { playbookId }, order: { version: 'DESC' } });
  }

  findVersionById(id: string): Promise<PlaybookVersionEntity | null> {
    return this.em.findOneBy(PlaybookVersionEntity, { id });
  }

  /** A version's number, without its document and plan; null if there is no such version. */
  async versionNumber(id: string): Promise<number | null> {
    const version = await this.em.findOne(PlaybookVersionEntity, { where: { id }, select: { id: true, version: true } });
    return version?.version ?? null;
  }

  /** One published version by number, with its plan but not its document (what a run starts on). */
  findVersionForRun(playbookId: string, version: number): Promise<Pick<PlaybookVersionEntity, 'id' | 'version' | 'hash' | 'plan'> | null> {
    return this.em.findOne(PlaybookVersionEntity, { where: { playbookId, version }, select: { id: true, version: true, hash: true, plan: true } });
  }

  insertVersion(fields: PlaybookVersionFields): Promise<PlaybookVersionEntity> {
    const { playbookId, version, hash, document, plan, publishedBy, note } = fields;
    return this.em.save(this.em.create(PlaybookVersionEntity, { playbookId, version, hash, document, plan, publishedBy, note }));
  }

  /**
   * The trigger and audience of every published playbook's latest version (archived playbooks
   * trigger nothing); `on` narrows it to one kind of trigger.
   */
  async latestTriggers(on?: string): Promise<LatestTrigger[]> {
    const rows: Array<{ playbookId: string; playbookKey: string; playbookName: string; version: number; trigger: Record<string, unknown> | null; audience: string[] | null }> = await this.em.query(
      // The latest version of each live playbook first (an index-only pick), then only its plan is read:
      // this runs for every batch of events ingested.
      `WITH latest AS (
         SELECT DISTINCT ON (v.playbook_id) v.id FROM playbook_versions v JOIN playbooks p ON p.id = v.playbook_id
         WHERE p.archived_at IS NULL ORDER BY v.playbook_id, v.version DESC
       )
       SELECT v.playbook_id AS "playbookId", p.key AS "playbookKey", p.name AS "playbookName", v.version,
              v.plan -> 'steps' -> (v.plan ->> 'entryStepId') -> 'data' AS trigger,
              ARRAY(SELECT jsonb_array_elements_text(coalesce(v.plan -> 'audience' -> 'segments', '[]'::jsonb))) AS audience
       FROM latest JOIN playbook_versions v ON v.id = latest.id JOIN playbooks p ON p.id = v.playbook_id`,
    );
    return rows.filter((r) => on === undefined || r.trigger?.on === on).map((r) => ({ ...r, audience: r.audience ?? [] }));
  }
}
