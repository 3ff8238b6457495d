import type { AuditEntry, AuditPage, ListAuditQuery } from '@cairn/contracts';
import { type AuditEntryEntity, AuditRepository } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestPrincipal } from '../auth/principal';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { pageOf } from '../common/page';

/** Who did it, as the log names them: a person, an integration's token, or Cairn itself. */
export interface AuditActor {
  type: 'user' | 'token' | 'system';
  /** Null for the system, and for a sign-in attempt with an email nobody has. */
  id: string | null;
  name: string;
  requestId: string | null;
}

/** What happened: `<entity>.<verb>`, the entity, a sentence, and the values before and after. */
export interface AuditRecord {
  action: string;
  entity: { type: string; id: string | null };
  summary: string;
  changes?: { before?: unknown; after?: unknown } | null;
}

export function actorOf(principal: RequestPrincipal): AuditActor {
  return { type: principal.kind, id: principal.id, name: principal.name, requestId: principal.requestId };
}

function toAuditEntry(e: AuditEntryEntity): AuditEntry {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actor: { type: e.actorType as AuditEntry['actor']['type'], id: e.actorId, name: e.actorName },
    action: e.action,
    entity: { type: e.entityType, id: e.entityId },
    summary: e.summary,
    changes: e.changes,
    requestId: e.requestId,
  };
}

/**
 * The audit log of every change and decision. `record` writes through the EntityManager of the
 * change's own transaction, so an entry exists exactly when its change committed: a refused or
 * rolled-back change leaves none.
 */
@Injectable()
export class AuditService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async record(em: EntityManager, actor: RequestPrincipal | AuditActor, entry: AuditRecord): Promise<void> {
    const who = 'kind' in actor ? actorOf(actor) : actor;
    await new AuditRepository(em).insert({
      actorType: who.type,
      actorId: who.id,
      actorName: who.name.slice(0, 320),
      action: entry.action,
      entityType: entry.entity.type,
      entityId: entry.entity.id,
      summary: entry.summary,
      changes: entry.changes ?? null,
      requestId: who.requestId,
    });
  }

  async list({ limit, cursor, from, to, ...filter }: ListAuditQuery): Promise<AuditPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const found = await new AuditRepository(this.dataSource.manager).list(
      { ...filter, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
      { take: limit + 1, after },
    );
    return pageOf(found, limit, toAuditEntry, (last) => encodeCursor(last.at, last.id));
  }
}
