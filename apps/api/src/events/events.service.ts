import type { AccountEventPage, EventReport, IngestEventsResponse, ListAccountEventsQuery, NormalizedEvent, ParsedIngestEvents } from '@cairn/contracts';
import { AccountEntity, AccountEventEntity, repositories, StakeholdersRepository } from '@cairn/db';
import type { AccountSnapshot } from '@cairn/playbook';
import { type AccountEvent, accountEventSignal } from '@cairn/workflows';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { pageOf } from '../common/page';
import { type AuditActor, AuditService } from '../audit/audit.service';
import type { RequestPrincipal } from '../auth/principal';
import { NotFoundError } from '../common/errors';
import { RunSignals, type RunningRun, runningRunsOf } from '../temporal/run-signals';
import { accountSnapshot, EVENT_ENROLLER, type EventEnroller, type EventTrigger, eventTriggers, triggerMatches } from './event-triggers';
import { toStoredEvent } from './events.mapper';

/** Accounts whose events are routed at the same time (each account's events stay in order). */
const ROUTING_CONCURRENCY = 8;

/** One event of the request, once its account is known. */
interface Row {
  index: number;
  entity: Pick<AccountEventEntity, 'id' | 'accountId' | 'type' | 'data' | 'source' | 'idempotencyKey' | 'occurredAt'>;
}

/** An event Cairn records itself (a champion leaving the people map), its account known. */
export interface EmittedEvent {
  /** Chosen by the caller when a row of its own references the event; a new one otherwise. */
  id?: string;
  accountId: string;
  type: string;
  data: Record<string, unknown>;
  /** api | track | cairn */
  source: string;
  /** Stores it once, whoever retries. */
  idempotencyKey: string;
  occurredAt: Date;
}

/** Loads an account with its segment (for a trigger's condition). */
type AccountLoader = (accountId: string) => Promise<AccountEntity | undefined>;

/** Runs `work` over `items` with at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

@Injectable()
export class EventsService {
  private readonly logger = new Logger('Events');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RunSignals) private readonly signals: RunSignals,
    @Inject(EVENT_ENROLLER) private readonly enroller: EventEnroller,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /**
   * Stores the events and routes them, in one transaction: each event is signalled to every running
   * run of its account and starts every published playbook triggered by it (signal-with-start),
   * before the rows commit. If Temporal cannot be reached, nothing is stored (503) and the sender
   * retries; a run whose workflow is gone is skipped. An idempotency key already stored makes the
   * event a `duplicate`: not stored or routed again. An unknown account rejects its row (404 for a
   * single event). The call is one audit entry (who sent how many, of which types), in the same
   * transaction as the rows: the person or token, or the system for events Cairn announces itself.
   */
  async ingest(principal: RequestPrincipal | AuditActor, { batch, events }: ParsedIngestEvents): Promise<IngestEventsResponse> {
    const reports: EventReport[] = events.map(() => ({ status: 'rejected', eventId: null }));
    const accounts = await this.resolveAccounts(events);
    const now = new Date();
    const rows: Row[] = [];
    events.forEach((event, index) => {
      const account = 'id' in event.account ? accounts.byId.get(event.account.id) : accounts.byDomain.get(event.account.domain);
      if (!account) {
        const ref = 'id' in event.account ? event.account.id : event.account.domain;
        if (!batch) throw new NotFoundError('Account', ref);
        reports[index] = { status: 'rejected', eventId: null, error: `Account ${ref} does not exist` };
        return;
      }
      rows.push({
        index,
        entity: {
          id: randomUUID(),
          accountId: account.id,
          type: event.type,
          data: event.data,
          source: event.source,
          idempotencyKey: event.idempotencyKey,
          // Stored to the millisecond, so the list's cursor (a JS date) is exact.
          occurredAt: event.occurredAt ? new Date(event.occurredAt) : now,
        },
      });
    });

    const count = (status: EventReport['status']) => reports.filter((r) => r.status === status).length;
    await this.dataSource.transaction(async (em) => {
      const accepted = await this.storeAndRoute(em, rows, reports, async (id) => accounts.byId.get(id));
      const types = [...new Set(accepted.map((r) => r.entity.type))].sort();
      const accountIds = [...new Set(accepted.map((r) => r.entity.accountId))];
      await this.audit.record(em, principal, {
        action: 'events.ingested',
        entity: { type: accountIds.length === 1 ? 'account' : 'events', id: accountIds.length === 1 ? accountIds[0] : null },
        summary: `${principal.name} sent ${events.length} event${events.length === 1 ? '' : 's'}: ${count('accepted')} accepted, ${count('duplicate')} duplicate, ${count('rejected')} rejected${types.length ? ` (${types.slice(0, 10).join(', ')}${types.length > 10 ? ', …' : ''})` : ''}`,
        changes: { after: { accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected'), types, accounts: accountIds.length } },
      });
    });
    return { accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected'), events: reports };
  }

  /**
   * Records events Cairn emits itself inside the caller's transaction, by the same path as
   * `ingest`: stored once per idempotency key, signalled to the account's running runs, starting
   * the playbooks they trigger. The caller's rows and the events commit together; Temporal
   * unreachable throws a 503 and the caller's transaction rolls back with them.
   */
  async emit(em: EntityManager, events: readonly EmittedEvent[]): Promise<EventReport[]> {
    const reports: EventReport[] = events.map(() => ({ status: 'rejected', eventId: null }));
    const rows: Row[] = events.map((event, index) => ({
      index,
      entity: { id: event.id ?? randomUUID(), accountId: event.accountId, type: event.type, data: event.data, source: event.source, idempotencyKey: event.idempotencyKey, occurredAt: event.occurredAt },
    }));
    // Read through the caller's transaction: a trigger's condition sees the change that emitted the event.
    await this.storeAndRoute(em, rows, reports, async (id) => (await em.findOne(AccountEntity, { where: { id }, relations: { segment: true } })) ?? undefined);
    return reports;
  }

  /** Stores the rows and routes those stored for the first time. */
  /** Stores the rows and routes those stored; returns them (duplicates are not). */
  private async storeAndRoute(em: EntityManager, rows: Row[], reports: EventReport[], accountOf: AccountLoader): Promise<Row[]> {
    const accepted = await this.store(em, rows, reports);
    if (accepted.length) await this.route(em, accepted, accountOf);
    return accepted;
  }

  async listForAccount(accountId: string, { limit, cursor, type }: ListAccountEventsQuery): Promise<AccountEventPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const db = repositories(this.dataSource.manager);
    if (!(await db.accounts.exists(accountId))) throw new NotFoundError('Account', accountId);
    const found = await db.accountEvents.listForAccount(accountId, { type }, { take: limit + 1, after });
    return pageOf(found, limit, toStoredEvent, (last) => encodeCursor(last.occurredAt, last.id));
  }

  /** Accounts the events name, by id and by domain (a `track` groupId may be either). */
  private async resolveAccounts(events: readonly NormalizedEvent[]): Promise<{ byId: Map<string, AccountEntity>; byDomain: Map<string, AccountEntity> }> {
    const ids = [...new Set(events.flatMap((e) => ('id' in e.account ? [e.account.id] : [])))];
    const domains = [...new Set(events.flatMap((e) => ('domain' in e.account ? [e.account.domain] : [])))];
    const found = await this.dataSource.manager
      .createQueryBuilder(AccountEntity, 'a')
      .innerJoinAndSelect('a.segment', 's')
      .where('a.id = ANY(:ids::uuid[]) OR lower(a.domain) = ANY(:domains::text[])', { ids, domains })
      .getMany();
    return { byId: new Map(found.map((a) => [a.id, a])), byDomain: new Map(found.flatMap((a) => (a.domain ? [[a.domain.toLowerCase(), a] as const] : []))) };
  }

  /** Inserts the rows (an idempotency key already stored inserts nothing) and fills in their reports; returns the rows stored. */
  private async store(em: EntityManager, rows: Row[], reports: EventReport[]): Promise<Row[]> {
    if (rows.length === 0) return [];
    const inserted = await em
      .createQueryBuilder()
      .insert()
      .into(AccountEventEntity)
      // jsonb `data`: TypeORM serializes it; its deep-partial type does not take an open record.
      .values(rows.map((r) => ({ ...r.entity, data: r.entity.data as never })))
      .orIgnore()
      .returning('id')
      .execute();
    const stored = new Set((inserted.raw as Array<{ id: string }>).map((r) => r.id));
    const duplicateKeys = rows.filter((r) => !stored.has(r.entity.id)).map((r) => r.entity.idempotencyKey);
    const existing = new Map<string, string>();
    if (duplicateKeys.length) {
      const found: Array<{ id: string; key: string }> = await em.query(`SELECT id, idempotency_key AS key FROM account_events WHERE idempotency_key = ANY($1::text[])`, [duplicateKeys]);
      for (const row of found) existing.set(row.key, row.id);
    }
    const accepted: Row[] = [];
    for (const row of rows) {
      if (stored.has(row.entity.id)) {
        reports[row.index] = { status: 'accepted', eventId: row.entity.id };
        accepted.push(row);
        continue;
      }
      const key = row.entity.idempotencyKey;
      const first = key === null ? undefined : existing.get(key);
      if (!first) throw new Error(`event ${row.index} was neither stored nor a duplicate (key ${String(key)})`);
      reports[row.index] = { status: 'duplicate', eventId: first };
    }
    return accepted;
  }

  /** Delivers stored events to the account's running runs and to the playbooks they trigger. */
  private async route(em: EntityManager, rows: Row[], accountOf: AccountLoader): Promise<void> {
    const byAccount = new Map<string, Row[]>();
    for (const row of rows) byAccount.set(row.entity.accountId, [...(byAccount.get(row.entity.accountId) ?? []), row]);
    const running = new Map<string, RunningRun[]>();
    for (const run of await runningRunsOf(em, [...byAccount.keys()])) running.set(run.accountId, [...(running.get(run.accountId) ?? []), run]);
    const triggers = await eventTriggers(em);

    await eachLimited([...byAccount], ROUTING_CONCURRENCY, async ([accountId, accountRows]) => {
      const runs = running.get(accountId) ?? [];
      let snapshot: AccountSnapshot | undefined;
      // Who left the people map holds no role there.
      const roles = () => new StakeholdersRepository(em).activeRoles(accountId);
      for (const row of accountRows) {
        const event: AccountEvent = { eventId: row.entity.id, type: row.entity.type, data: row.entity.data, occurredAt: row.entity.occurredAt.toISOString() };
        // Each run gets the account's events in order; different runs at once. A run found gone is dropped for the rest of the request.
        const gone = new Set<RunningRun>();
        await Promise.all(
          runs.map(async (run) => {
            if (!(await this.signals.send(run, accountEventSignal, event))) gone.add(run);
          }),
        );
        if (gone.size) runs.splice(0, runs.length, ...runs.filter((r) => !gone.has(r)));
        const matching = triggers.filter((t) => t.match.type === event.type);
        if (matching.some((t) => t.match.where) && !snapshot) {
          const account = await accountOf(accountId);
          if (!account?.segment) throw new Error(`account ${accountId} was loaded without its segment`);
          snapshot = accountSnapshot(account, account.segment.key, await roles());
        }
        for (const trigger of matching) {
          if (!triggerMatches(trigger, event, snapshot)) continue;
          // A run of that playbook already running got the event by signal above.
          if (runs.some((r) => r.playbookId === trigger.playbookId)) continue;
          const enrolled = await this.enroll(trigger, accountId, event);
          if (enrolled) runs.push(enrolled);
        }
      }
    });
  }

  private async enroll(trigger: EventTrigger, accountId: string, event: AccountEvent): Promise<RunningRun | null> {
    const result = await this.enroller.enrollWithEvent({ accountId, playbookId: trigger.playbookId, event, reason: `Event ${event.type} (${event.eventId})` });
    if (result.status === 'skipped') {
      this.logger.log(`Event ${event.eventId} (${event.type}) did not enroll account ${accountId} in ${trigger.playbookKey}: ${result.code}: ${result.reason}`);
      return null;
    }
    return { id: result.runId, workflowId: result.workflowId, playbookId: trigger.playbookId, accountId };
  }
}
