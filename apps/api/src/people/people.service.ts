import {
  type CreateStakeholderRequest,
  type DeleteStakeholderRequest,
  departureOf,
  type ListStakeholdersQuery,
  type MarkStakeholderLeftRequest,
  type Stakeholder,
  type StakeholderChangeKind,
  type StakeholderFields,
  stakeholderDiff,
  type StakeholderHistoryPage,
  type StakeholderPage,
  type StakeholderHistoryQuery,
  type UpdateStakeholderRequest,
} from '@cairn/contracts';
import { type Repositories, repositories, type StakeholderEntity } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { type AuditRecord, AuditService } from '../audit/audit.service';
import type { RequestPrincipal } from '../auth/principal';
import { assertMayActOn } from '../auth/row-access';
import { decodeCursor, decodeKeyCursor, encodeCursor, encodeKeyCursor } from '../common/cursor';
import { pageOf } from '../common/page';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../common/errors';
import { isUniqueViolation } from '../common/postgres-errors';
import { EventsService } from '../events/events.service';
import { SegmentMembership } from '../segments/segment-membership';
import { RunSignals } from '../temporal/run-signals';
import { stakeholderFields, toStakeholder, toStakeholderChange } from './people.mapper';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How far in the future a `leftAt` may be (clocks differ a little). */
const LEFT_AT_SKEW_MS = 5 * 60_000;

/** What one write did: the stakeholder as it is now, what to tell the account's runs, and its audit entry (none when nothing changed). */
interface Written {
  stakeholder: StakeholderEntity;
  what: string;
  audit: AuditRecord | null;
}

/** One write's context: the transaction, who makes the change and when. */
interface Writer {
  em: EntityManager;
  db: Repositories;
  accountId: string;
  changedBy: string;
  at: Date;
}

/** How a change row names who made it: a user's id, or `token:<id>` for an API token. */
function changedByOf(principal: RequestPrincipal): string {
  return principal.kind === 'user' ? principal.id : `token:${principal.id}`;
}

/** A champion or sponsor leaving the role: the event to emit, about whom, as of when. */
type Departure = NonNullable<ReturnType<typeof departureOf>> & { person: StakeholderFields; occurredAt: Date };

const roleWords = (role: string) => role.replace(/_/g, ' ');

const duplicateEmail = (email: string, holder?: string) => {
  const message = `${email} is already in this account's people map${holder ? ` (${holder})` : ''}`;
  return new ConflictError(message, { issues: [{ path: 'body.email', code: 'duplicate', message }] });
};

/**
 * The people map of an account: stakeholders with a role, contact and status. Every write runs in
 * one transaction with its change row (who, what before and after, why); a champion or sponsor
 * leaving the role also emits its account event there, through the events service's own path.
 * After the commit, the account's running runs are told to re-read it.
 */
@Injectable()
export class PeopleService {
  private readonly db: Repositories;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RunSignals) private readonly signals: RunSignals,
    @Inject(EventsService) private readonly events: EventsService,
    @Inject(SegmentMembership) private readonly membership: SegmentMembership,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    this.db = repositories(dataSource.manager);
  }

  async list(accountId: string, { role, status, limit, cursor }: ListStakeholdersQuery): Promise<StakeholderPage> {
    const after = cursor === undefined ? undefined : decodeKeyCursor(cursor);
    await this.accountExists(this.db, accountId);
    const found = await this.db.stakeholders.list(accountId, { role, status }, { take: limit + 1, after: after && { name: after.key, id: after.id } });
    return pageOf(found, limit, toStakeholder, (last) => encodeKeyCursor(last.name, last.id));
  }

  async get(accountId: string, stakeholderId: string): Promise<Stakeholder> {
    return toStakeholder(await this.stakeholder(this.db, accountId, stakeholderId));
  }

  /** Adds someone (active); as primary of the role, whoever was primary is no longer. */
  async create(principal: RequestPrincipal, accountId: string, body: CreateStakeholderRequest): Promise<Stakeholder> {
    const { stakeholder } = await this.write(principal, accountId, async (w) => {
      await this.accountExists(w.db, accountId);
      const holder = await w.db.stakeholders.findByEmail(accountId, body.email);
      if (holder) throw duplicateEmail(body.email, holder.name);
      if (body.isPrimary) await this.demotePrimary(w, body.role, body.name);
      const created = await w.db.stakeholders.insert({
        accountId,
        name: body.name,
        email: body.email,
        role: body.role,
        title: body.title ?? null,
        phone: body.phone ?? null,
        isPrimary: body.isPrimary ?? false,
      });
      await this.record(w, created.id, 'created', null, stakeholderFields(created), body.reason ?? null);
      return {
        stakeholder: created,
        what: `people map: ${created.name} joined as ${roleWords(created.role)}`,
        audit: { action: 'stakeholder.created', entity: { type: 'stakeholder', id: created.id }, summary: `${principal.name} added ${created.name} as ${roleWords(created.role)}`, changes: { after: stakeholderFields(created) } },
      };
    });
    return toStakeholder(stakeholder);
  }

  /**
   * Changes the fields given. A new role drops the primary mark unless `isPrimary` is given; a
   * champion or sponsor moving to another role emits their role's departure event. A request
   * that changes nothing records nothing (and still tells the runs: how a retry after a 503 reaches them).
   */
  async update(principal: RequestPrincipal, accountId: string, stakeholderId: string, body: UpdateStakeholderRequest): Promise<Stakeholder> {
    const { stakeholder } = await this.write(principal, accountId, async (w) => {
      const current = await this.stakeholder(w.db, accountId, stakeholderId, { lock: true });
      const before = stakeholderFields(current);
      const newRole = body.role !== undefined && body.role !== before.role;
      const back = body.status === 'active' && before.status === 'left';
      const after: StakeholderFields = {
        name: body.name ?? before.name,
        email: body.email ?? before.email,
        role: body.role ?? before.role,
        title: body.title === undefined ? before.title : body.title,
        phone: body.phone === undefined ? before.phone : body.phone,
        status: body.status ?? before.status,
        // The primary mark belongs to a role: a new role starts without it unless asked.
        isPrimary: body.isPrimary ?? (newRole ? false : before.isPrimary),
        leftAt: back ? null : before.leftAt,
      };
      if (after.isPrimary && after.status === 'left') {
        throw new ValidationError('Someone who left cannot be the primary of a role', [{ path: 'body.isPrimary', code: 'left', message: `${before.name} left; set status "active" with it if they are back` }]);
      }
      const diff = stakeholderDiff(before, after);
      if (Object.keys(diff.after).length === 0) return { stakeholder: current, what: `people map: ${current.name}`, audit: null };
      if (after.email !== before.email) {
        const holder = await w.db.stakeholders.findByEmail(accountId, after.email, stakeholderId);
        if (holder) throw duplicateEmail(after.email, holder.name);
      }
      if (after.isPrimary && (!before.isPrimary || newRole || back)) await this.demotePrimary(w, after.role, after.name, stakeholderId);
      const updated = await w.db.stakeholders.update(stakeholderId, {
        name: after.name,
        email: after.email,
        role: after.role,
        title: after.title,
        phone: after.phone,
        status: after.status,
        isPrimary: after.isPrimary,
        leftAt: after.leftAt === null ? null : new Date(after.leftAt),
      });
      await this.record(w, stakeholderId, 'updated', diff.before, diff.after, body.reason ?? null, this.departure(before, after, before, w.at));
      return {
        stakeholder: updated,
        what: `people map: ${updated.name} (${Object.keys(diff.after).join(', ')})`,
        audit: { action: 'stakeholder.updated', entity: { type: 'stakeholder', id: stakeholderId }, summary: `${principal.name} changed ${updated.name}: ${Object.keys(diff.after).join(', ')}`, changes: diff },
      };
    });
    return toStakeholder(stakeholder);
  }

  /**
   * Records that someone left the customer: status left, when, why; no longer primary. A champion
   * or sponsor leaving emits their role's departure event. Someone who left already is left alone
   * (a retry records nothing and emits nothing again).
   */
  async markLeft(principal: RequestPrincipal, accountId: string, stakeholderId: string, body: MarkStakeholderLeftRequest): Promise<Stakeholder> {
    const { stakeholder } = await this.write(principal, accountId, async (w) => {
      const current = await this.stakeholder(w.db, accountId, stakeholderId, { lock: true });
      if (current.status === 'left') return { stakeholder: current, what: `people map: ${current.name} left`, audit: null };
      const leftAt = body.leftAt ? new Date(body.leftAt) : w.at;
      if (leftAt.getTime() > w.at.getTime() + LEFT_AT_SKEW_MS) {
        throw new ValidationError('leftAt is in the future', [{ path: 'body.leftAt', code: 'in_future', message: 'Record someone leaving once they have left' }]);
      }
      const before = stakeholderFields(current);
      const after: StakeholderFields = { ...before, status: 'left', isPrimary: false, leftAt: leftAt.toISOString() };
      const updated = await w.db.stakeholders.update(stakeholderId, { status: 'left', isPrimary: false, leftAt });
      const diff = stakeholderDiff(before, after);
      await this.record(w, stakeholderId, 'left', diff.before, diff.after, body.reason, this.departure(before, after, before, leftAt));
      return {
        stakeholder: updated,
        what: `people map: ${updated.name} (${roleWords(updated.role)}) left`,
        audit: { action: 'stakeholder.left', entity: { type: 'stakeholder', id: stakeholderId }, summary: `${principal.name} recorded that ${updated.name} (${roleWords(updated.role)}) left: ${body.reason}`, changes: diff },
      };
    });
    return toStakeholder(stakeholder);
  }

  /** Removes someone entered by mistake; their history stays. An active champion or sponsor deleted emits their departure event. */
  async remove(principal: RequestPrincipal, accountId: string, stakeholderId: string, body: DeleteStakeholderRequest): Promise<void> {
    await this.write(principal, accountId, async (w) => {
      const current = await this.stakeholder(w.db, accountId, stakeholderId, { lock: true });
      const before = stakeholderFields(current);
      await w.db.stakeholders.delete(stakeholderId);
      await this.record(w, stakeholderId, 'deleted', before, null, body.reason ?? null, this.departure(before, null, before, w.at));
      return {
        stakeholder: current,
        what: `people map: ${current.name} removed`,
        audit: { action: 'stakeholder.deleted', entity: { type: 'stakeholder', id: stakeholderId }, summary: `${principal.name} removed ${current.name} from the people map${body.reason ? `: ${body.reason}` : ''}`, changes: { before } },
      };
    });
  }

  /** Changes to the account's people map (or to one person in it, deleted since or not), newest first. */
  async history(accountId: string, stakeholderId: string | null, { limit, cursor, kind }: StakeholderHistoryQuery): Promise<StakeholderHistoryPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    await this.accountExists(this.db, accountId);
    if (stakeholderId && !(await this.db.stakeholders.findInAccount(accountId, stakeholderId)) && !(await this.db.stakeholders.hasHistory(accountId, stakeholderId))) {
      throw new NotFoundError('Stakeholder', stakeholderId);
    }
    const found = await this.db.stakeholders.history(accountId, { stakeholderId: stakeholderId ?? undefined, kind }, { take: limit + 1, after });
    const names = await this.changerNames(found.slice(0, limit).map((c) => c.changedBy));
    return pageOf(found, limit, (c) => toStakeholderChange(c, names), (last) => encodeCursor(last.at, last.id));
  }

  /**
   * Runs one write in a transaction (a duplicate email or primary that slipped past the checks is a
   * 409 naming the field), then tells the account's running runs to re-read it and recomputes its
   * segment membership, as PATCH /api/accounts does. If Temporal cannot be reached then, the
   * change stays saved and the answer is 503. Who writes is the signed-in person or token: a CSM
   * changes the people map of accounts they own, a CS manager their team's (403 otherwise); each
   * write that changes something is one audit entry in its transaction.
   */
  private async write(principal: RequestPrincipal, accountId: string, work: (w: Writer) => Promise<Written>): Promise<Written> {
    let written: Written;
    try {
      written = await this.dataSource.transaction(async (em) => {
        const db = repositories(em);
        const ownership = await db.accounts.ownership(accountId);
        if (!ownership) throw new NotFoundError('Account', accountId);
        assertMayActOn(principal, 'accounts:write', ownership, 'change the people map');
        const done = await work({ em, db, accountId, changedBy: changedByOf(principal), at: new Date() });
        if (done.audit) await this.audit.record(em, principal, done.audit);
        return done;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'stakeholders_account_email_key')) throw duplicateEmail('This email');
      if (isUniqueViolation(error, 'stakeholders_one_primary_per_role')) {
        const message = 'Someone else was made the primary of this role at the same moment; try again';
        throw new ConflictError(message, { issues: [{ path: 'body.isPrimary', code: 'duplicate', message }] });
      }
      throw error;
    }
    let unreachable: ServiceUnavailableError | null = null;
    try {
      await this.signals.accountChanged(this.dataSource.manager, accountId, written.what);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      unreachable = new ServiceUnavailableError(
        'The people map was changed (see its history), but the running playbooks could not be told (Temporal cannot be reached); repeat the change to tell them (a repeated PATCH or left changes nothing more)',
        { cause: error },
      );
    }
    // Then the segments whose rules read `role.*`: entries and exits are announced as events (kept for later if Temporal is down).
    await this.membership.refresh([accountId]);
    if (unreachable) throw unreachable;
    return written;
  }

  /**
   * Keeps one change, and when it is a champion or sponsor leaving the role, emits the role's
   * departure event in the same transaction (stored once, keyed by the change; routed to running
   * runs and event-triggered playbooks). The change row names the event before it is stored, so
   * routing is the last thing before the commit: a run the event starts reads the people map a
   * moment later, and the `accountChanged` sent after the commit makes every run re-read it.
   */
  private async record(
    w: Writer,
    stakeholderId: string,
    kind: StakeholderChangeKind,
    before: Partial<StakeholderFields> | null,
    after: Partial<StakeholderFields> | null,
    reason: string | null,
    departure: Departure | null = null,
  ): Promise<void> {
    const changeId = randomUUID();
    const eventId = departure ? randomUUID() : null;
    await w.db.stakeholders.recordChange({ id: changeId, stakeholderId, accountId: w.accountId, kind, before, after, changedBy: w.changedBy, reason, at: w.at, eventId });
    if (!departure || !eventId) return;
    const { person } = departure;
    const [report] = await this.events.emit(w.em, [
      {
        id: eventId,
        accountId: w.accountId,
        type: departure.eventType,
        source: 'cairn',
        idempotencyKey: `stakeholder-change:${changeId}`,
        occurredAt: departure.occurredAt,
        data: {
          stakeholderId,
          name: person.name,
          email: person.email,
          title: person.title,
          role: departure.role,
          change: kind,
          changeId,
          changedBy: w.changedBy,
          reason,
        },
      },
    ]);
    // A fresh key is never a duplicate; if it were, the change would name an event that is not there.
    if (report.eventId !== eventId) throw new Error(`the departure event of change ${changeId} was not stored (${report.status})`);
  }

  /** The departure a change means (see `departureOf`), with who left and when, for its event. */
  private departure(before: StakeholderFields, after: StakeholderFields | null, person: StakeholderFields, occurredAt: Date): Departure | null {
    const departure = departureOf(before, after);
    return departure ? { ...departure, person, occurredAt } : null;
  }

  /** Takes the primary mark from whoever holds it in the role (a change of theirs, with why). */
  private async demotePrimary(w: Writer, role: string, newPrimary: string, exceptId?: string): Promise<void> {
    const holder = await w.db.stakeholders.primaryOf(w.accountId, role, exceptId);
    if (!holder) return;
    await w.db.stakeholders.update(holder.id, { isPrimary: false });
    await this.record(w, holder.id, 'updated', { isPrimary: true }, { isPrimary: false }, `${newPrimary} became the primary ${roleWords(role)}`);
  }

  private async accountExists(db: Repositories, accountId: string): Promise<void> {
    if (!(await db.accounts.exists(accountId))) throw new NotFoundError('Account', accountId);
  }

  private async stakeholder(db: Repositories, accountId: string, stakeholderId: string, options: { lock?: boolean } = {}): Promise<StakeholderEntity> {
    await this.accountExists(db, accountId);
    const found = await db.stakeholders.findInAccount(accountId, stakeholderId, options);
    if (!found) throw new NotFoundError('Stakeholder', stakeholderId);
    return found;
  }

  /** The names of who made changes: users by id, API tokens by `token:<id>` (an `integration:` changer has none). */
  private async changerNames(changedBy: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(changedBy)];
    const tokenIds = unique.filter((by) => by.startsWith('token:')).map((by) => by.slice('token:'.length));
    const users = await this.db.users.namesByIds(unique.filter((by) => UUID.test(by)));
    const tokens = await this.db.apiTokens.namesByIds(tokenIds.filter((id) => UUID.test(id)));
    return new Map([...users, ...[...tokens].map(([id, name]) => [`token:${id}`, name] as const)]);
  }
}
