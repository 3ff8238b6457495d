import { type Account, type AccountFieldRule, type AccountPage, type CreateAccountRequest, type ListAccountsQuery, missingRequired, type UpdateAccountRequest, validateAttributes } from '@cairn/contracts';
import { AccountEntity, AccountExternalIdEntity, type Repositories, repositories } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { RequestPrincipal } from '../auth/principal';
import { assertMayActOn } from '../auth/row-access';
import { ConflictError, type Issue, NotFoundError, ServiceUnavailableError, ValidationError } from '../common/errors';
import { decodeKeyCursor, encodeKeyCursor } from '../common/cursor';
import { pageOf } from '../common/page';
import { isUniqueViolation } from '../common/postgres-errors';
import { SegmentMembership } from '../segments/segment-membership';
import { RunSignals } from '../temporal/run-signals';
import { toAccount, toFieldRule } from './accounts.mapper';

/** The 400 for attribute values that do not fit the field schema, each named `body.attributes.<key>`. */
function attributeError(issues: Issue[]): ValidationError {
  return new ValidationError(`The request body is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

@Injectable()
export class AccountsService {
  private readonly db: Repositories;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RunSignals) private readonly signals: RunSignals,
    @Inject(SegmentMembership) private readonly membership: SegmentMembership,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    this.db = repositories(dataSource.manager);
  }

  /** Accounts by name (then id), filtered; see listAccountsQuerySchema. */
  async list({ limit, cursor, ownerId, ...filter }: ListAccountsQuery): Promise<AccountPage> {
    const after = cursor === undefined ? undefined : decodeKeyCursor(cursor);
    const found = await this.db.accounts.page({ ...filter, csmId: ownerId }, { take: limit + 1, after: after && { name: after.key, id: after.id } });
    return pageOf(found, limit, toAccount, (last) => encodeKeyCursor(last.name, last.id));
  }

  async get(id: string): Promise<Account> {
    const account = await this.db.accounts.findById(id);
    if (!account) throw new NotFoundError('Account', id);
    return toAccount(account);
  }

  /**
   * Creates an account: attributes checked against the field schema (required ones given), the
   * segment by key, the CSM by id; an external id or a domain that another account has is a 409
   * naming it. External ids are written under the import's lock, so the two cannot race.
   */
  async create(principal: RequestPrincipal, body: CreateAccountRequest): Promise<Account> {
    const id = randomUUID();
    try {
      await this.dataSource.transaction(async (em) => {
        const db = repositories(em);
        const externalIds = Object.entries(body.externalIds ?? {});
        if (externalIds.length) await db.accounts.lockExternalIds();
        const fields = (await db.accountFields.list({ lock: 'share' })).map(toFieldRule);
        const { attributes, issues } = checkAttributes(fields, body.attributes ?? {});
        for (const key of missingRequired(fields, attributes)) {
          if (!issues.some((i) => i.path === `body.attributes.${key}`)) issues.push({ path: `body.attributes.${key}`, code: 'required', message: `${key} is required for a new account` });
        }
        const assignable = await db.segments.assignable();
        const segmentId = assignable.manual.get(body.segmentKey);
        if (!segmentId) {
          issues.push(
            assignable.rule.has(body.segmentKey)
              ? { path: 'body.segmentKey', code: 'rule_segment', message: 'Accounts enter a rule segment when its rule matches them; assign them to a manual segment' }
              : { path: 'body.segmentKey', code: 'unknown_segment', message: `No active segment has the key "${body.segmentKey}"` },
          );
        }
        if (body.csmId && !(await db.users.findById(body.csmId))) issues.push({ path: 'body.csmId', code: 'not_found', message: `No user has the id ${body.csmId}` });
        if (issues.length || !segmentId) throw attributeError(issues);

        await this.refuseTaken(em, { accountId: id, domain: body.domain ?? null, externalIds });
        await db.accounts.insertMany([
          {
            id,
            name: body.name,
            domain: body.domain ?? null,
            assignedSegmentId: segmentId,
            csmId: body.csmId ?? null,
            timezone: body.timezone ?? 'UTC',
            // A null in a new account's attributes is no value.
            attributes: Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== null)),
            metrics: body.metrics ?? {},
            healthStatus: body.health?.status ?? null,
            healthScore: body.health?.score ?? null,
          },
        ]);
        await db.accounts.addExternalIds(externalIds.map(([system, externalId]) => ({ accountId: id, system, externalId })));
        await this.audit.record(em, principal, {
          action: 'account.created',
          entity: { type: 'account', id },
          summary: `${principal.name} created the account ${body.name}`,
          changes: { after: { name: body.name, domain: body.domain ?? null, segmentKey: body.segmentKey, csmId: body.csmId ?? null, attributes, externalIds: Object.fromEntries(externalIds) } },
        });
      });
    } catch (error) {
      // The checks above run under the lock; this is the database's word on a race they missed.
      if (isUniqueViolation(error)) throw new ConflictError('Another account took this domain or external id at the same moment; look it up and try again', { cause: error });
      throw error;
    }
    // Rule segments that match it (its assigned segment is one already); entries are announced as events.
    await this.membership.refresh([id]);
    return this.get(id);
  }

  /** 409 when the domain or an external id belongs to another account, naming it. */
  private async refuseTaken(em: EntityManager, wanted: { accountId: string; domain: string | null; externalIds: Array<[system: string, externalId: string]> }): Promise<void> {
    const db = repositories(em);
    const issues: Issue[] = [];
    const names = async (ids: string[]) => db.accounts.namesByIds(ids);
    if (wanted.domain) {
      const owner = (await db.accounts.domainOwners([wanted.domain])).get(wanted.domain);
      if (owner && owner !== wanted.accountId) issues.push({ path: 'body.domain', code: 'taken', message: `${wanted.domain} is the domain of "${(await names([owner])).get(owner)}" (${owner})` });
    }
    const owners = await db.accounts.externalIdOwners(wanted.externalIds.map(([system, externalId]) => ({ system, externalId })));
    const named = await names(owners.map((o) => o.accountId));
    for (const owner of owners) {
      if (owner.accountId === wanted.accountId) continue;
      issues.push({ path: `body.externalIds.${owner.system}`, code: 'taken', message: `${owner.system} id "${owner.externalId}" is the id of "${named.get(owner.accountId)}" (${owner.accountId})` });
    }
    if (issues.length) throw new ConflictError(issues.map((i) => i.message).join('; '), { issues });
  }

  /**
   * Merges a profile change (timezone, attributes checked against the field schema, metrics,
   * health, external ids) with the account row locked, commits, then tells every running run of
   * the account to re-read it (`accountChanged`, naming what changed), so a wait on a moved renewal
   * date moves too. The signal goes after the commit, so a run reads the new values. If Temporal
   * cannot be reached, the change stays saved and the answer is 503: sending the same request
   * again changes nothing and tells the runs. A CSM changes only the accounts they own, a CS
   * manager those of their team (403 otherwise); what changed, before and after, goes to the audit
   * log in the same transaction.
   */
  async update(principal: RequestPrincipal, id: string, change: UpdateAccountRequest): Promise<Account> {
    const externalIds = Object.entries(change.externalIds ?? {});
    let changed: string[];
    try {
      changed = await this.dataSource.transaction(async (em) => {
        const db = repositories(em);
        if (externalIds.length) await db.accounts.lockExternalIds();
        // Fields before the account: the order every writer locks them in.
        const fields = change.attributes ? (await db.accountFields.list({ lock: 'share' })).map(toFieldRule) : [];
        const account = await em.findOne(AccountEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!account) throw new NotFoundError('Account', id);
        const ownership = await db.accounts.ownership(id);
        if (!ownership) throw new NotFoundError('Account', id);
        assertMayActOn(principal, 'accounts:write', ownership, 'change accounts');
        const stored = await em.find(AccountExternalIdEntity, { where: { accountId: id } });
        const checked = checkAttributes(fields, change.attributes ?? {});
        if (checked.issues.length) throw attributeError(checked.issues);

        const names: string[] = [];
        const timezone = change.timezone ?? account.timezone;
        if (timezone !== account.timezone) names.push('timezone');
        const attributes = { ...account.attributes };
        for (const [name, value] of Object.entries(checked.attributes)) {
          if (value === null) {
            if (!(name in attributes)) continue;
            delete attributes[name];
          } else if (attributes[name] === value) continue;
          else attributes[name] = value;
          names.push(name);
        }
        const metrics = { ...account.metrics };
        for (const [name, value] of Object.entries(change.metrics ?? {})) {
          if (metrics[name] === value) continue;
          metrics[name] = value;
          names.push(`metric.${name}`);
        }
        let healthStatus = account.healthStatus;
        let healthScore = account.healthScore;
        if (change.health !== undefined) {
          healthStatus = change.health?.status ?? null;
          healthScore = change.health?.score ?? null;
          if (healthStatus !== account.healthStatus || healthScore !== account.healthScore) names.push('health');
        }
        if (names.length) await em.update(AccountEntity, { id }, { timezone, attributes, metrics, healthStatus, healthScore });

        const current = new Map(stored.map((x) => [x.system, x.externalId]));
        const adding = externalIds.filter((entry): entry is [string, string] => entry[1] !== null && current.get(entry[0]) !== entry[1]);
        const removing = externalIds.filter(([system, value]) => current.has(system) && current.get(system) !== value).map(([system]) => system);
        await this.refuseTaken(em, { accountId: id, domain: null, externalIds: adding });
        await db.accounts.removeExternalIds(id, removing);
        await db.accounts.addExternalIds(adding.map(([system, externalId]) => ({ accountId: id, system, externalId })));
        for (const system of new Set([...removing, ...adding.map(([system]) => system)])) names.push(`external_id:${system}`);
        if (names.length) {
          type Profile = { timezone: string; attributes: Record<string, unknown>; metrics: Record<string, unknown>; health: unknown; externalIds: Map<string, string> };
          const pick = (from: Profile) =>
            Object.fromEntries(
              names.map((n) => [
                n,
                n === 'timezone' ? from.timezone : n === 'health' ? from.health : n.startsWith('metric.') ? (from.metrics[n.slice(7)] ?? null) : n.startsWith('external_id:') ? (from.externalIds.get(n.slice(12)) ?? null) : (from.attributes[n] ?? null),
              ]),
            );
          const after = new Map(current);
          for (const system of removing) after.delete(system);
          for (const [system, externalId] of adding) after.set(system, externalId);
          await this.audit.record(em, principal, {
            action: 'account.updated',
            entity: { type: 'account', id },
            summary: `${principal.name} changed ${account.name}: ${names.join(', ')}`,
            changes: {
              before: pick({ timezone: account.timezone, attributes: account.attributes, metrics: account.metrics, health: { status: account.healthStatus, score: account.healthScore }, externalIds: current }),
              after: pick({ timezone, attributes, metrics, health: { status: healthStatus, score: healthScore }, externalIds: after }),
            },
          });
        }
        return names;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('Another account took this external id at the same moment; look it up and try again', { cause: error });
      throw error;
    }

    // Nothing changed (a retry after a 503, say): the runs are told about what the request named.
    const requested = [
      ...(change.timezone !== undefined ? ['timezone'] : []),
      ...Object.keys(change.attributes ?? {}),
      ...Object.keys(change.metrics ?? {}).map((m) => `metric.${m}`),
      ...(change.health !== undefined ? ['health'] : []),
      ...externalIds.map(([system]) => `external_id:${system}`),
    ];
    const what = (changed.length ? changed : requested).join(', ');
    let unreachable: ServiceUnavailableError | null = null;
    try {
      await this.signals.accountChanged(this.dataSource.manager, id, what);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      unreachable = new ServiceUnavailableError('The account was updated, but its running playbooks could not be told (Temporal cannot be reached); send the same request again to tell them', { cause: error });
    }
    // Then the segments whose rules read it: entries and exits are announced as events (kept for later if Temporal is down).
    await this.membership.refresh([id]);
    if (unreachable) throw unreachable;
    return this.get(id);
  }
}

/** Attributes of a JSON body against the schema: the values, and an issue per bad key (`body.attributes.<key>`). */
function checkAttributes(fields: readonly AccountFieldRule[], input: Record<string, unknown>): { attributes: Record<string, string | number | boolean | null>; issues: Issue[] } {
  const { value, issues } = validateAttributes(fields, input, 'json');
  return { attributes: value, issues: issues.map((i) => ({ path: `body.attributes.${i.key}`, code: 'invalid_attribute', message: i.message })) };
}
