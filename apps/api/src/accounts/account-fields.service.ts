import { type AccountField, type AccountFieldPage, type CreateAccountFieldRequest, type ListAccountFieldsQuery, fitStoredValue, mergeAccountField, newAccountField, type UpdateAccountFieldRequest } from '@cairn/contracts';
import { formatPath } from '@cairn/playbook';
import { AccountFieldEntity, type Repositories, repositories } from '@cairn/db';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { RequestPrincipal } from '../auth/principal';
import { ConflictError, type Issue, NotFoundError, ValidationError } from '../common/errors';
import { decodeIntKeyCursor, encodeKeyCursor } from '../common/cursor';
import { pageOf } from '../common/page';
import { isUniqueViolation } from '../common/postgres-errors';
import { AccountChangeSignals } from './account-change-signals';
import { toAccountField } from './accounts.mapper';

/** What a field key looks like (the tie-break of the list's cursor). */
const FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/** How many accounts a refusal names one by one (the message gives the count of all). */
const NAMED = 50;

@Injectable()
export class AccountFieldsService {
  private readonly db: Repositories;
  private readonly logger = new Logger('AccountFields');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AccountChangeSignals) private readonly changeSignals: AccountChangeSignals,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    this.db = repositories(dataSource.manager);
  }

  /** Fields in position order (then key); the cursor's tie-break is the field key. */
  async list({ limit, cursor, ...filter }: ListAccountFieldsQuery): Promise<AccountFieldPage> {
    const after = cursor === undefined ? undefined : decodeIntKeyCursor(cursor, FIELD_KEY);
    const found = await this.db.accountFields.page(filter, { take: limit + 1, after: after && { position: after.key, id: after.id } });
    return pageOf(found, limit, toAccountField, (last) => encodeKeyCursor(String(last.position), last.key));
  }

  /** A field of the workspace's own, after the others. Required only if no account would lack it. */
  async create(principal: RequestPrincipal, body: CreateAccountFieldRequest): Promise<AccountField> {
    try {
      return await this.dataSource.transaction(async (em) => {
        const db = repositories(em);
        if (await em.existsBy(AccountFieldEntity, { key: body.key })) throw new ConflictError(`There is a field "${body.key}" already; change it with PATCH /api/account-fields/${body.key}`);
        const field = newAccountField(body, await db.accountFields.nextPosition());
        if (field.required) refuse(field.key, 'become required', (await db.accountFields.accountsWithout(field.key)).map((a) => ({ ...a, message: 'has no value' })));
        await em.insert(AccountFieldEntity, { ...toEntityFields(field), key: field.key, builtIn: false, position: field.position });
        await this.audit.record(em, principal, { action: 'account_field.created', entity: { type: 'account_field', id: field.key }, summary: `${principal.name} added the account field ${field.key} (${field.type})`, changes: { after: field } });
        return field;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`There is a field "${body.key}" already`, { cause: error });
      throw error;
    }
  }

  /**
   * Changes a field. A new type or options must fit every value stored (each is converted when its
   * text reads as the new type, "40" → 40), and a field becomes required only when every account
   * has a value; otherwise 409 naming the accounts. Converted values are written with the field in
   * one transaction, and the running runs of those accounts are told after it.
   */
  async update(principal: RequestPrincipal, key: string, change: UpdateAccountFieldRequest): Promise<AccountField> {
    const { field, converted } = await this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const entity = await db.accountFields.findForUpdate(key);
      if (!entity) throw new NotFoundError('Account field', key);
      const existing = toAccountField(entity);
      const merged = mergeAccountField(existing, change);
      if (!merged.ok) {
        const issues = merged.issues.map((i) => ({ path: formatPath(['body', ...i.path]), code: 'invalid_field', message: i.message }));
        throw new ValidationError(`The field cannot change so: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
      }
      const next = merged.field;
      const values = next.type !== existing.type || next.options.join('\u0000') !== existing.options.join('\u0000') ? await db.accountFields.valuesOf(key) : [];
      const conversions: Array<{ accountId: string; value: string | number | boolean }> = [];
      const misfits: Array<{ accountId: string; accountName: string; message: string }> = [];
      for (const stored of values) {
        if (stored.value === null) continue;
        const fit = fitStoredValue(next, stored.value);
        if (!fit.ok) misfits.push({ ...stored, message: fit.message });
        else if (fit.value !== stored.value) conversions.push({ accountId: stored.accountId, value: fit.value });
      }
      const what = next.type !== existing.type ? `become a ${next.type}` : 'change its options';
      refuse(key, what, misfits);
      if (next.required && !existing.required) refuse(key, 'become required', (await db.accountFields.accountsWithout(key)).map((a) => ({ ...a, message: 'has no value' })));
      await db.accountFields.rewriteValues(key, conversions);
      await em.update(AccountFieldEntity, { key }, toEntityFields(next));
      await this.audit.record(em, principal, {
        action: 'account_field.updated',
        entity: { type: 'account_field', id: key },
        summary: `${principal.name} changed the account field ${key}: ${Object.keys(change).join(', ')}${conversions.length ? ` (${conversions.length} value${conversions.length === 1 ? '' : 's'} converted)` : ''}`,
        changes: { before: existing, after: next },
      });
      return { field: next, converted: conversions.map((c) => c.accountId) };
    });
    if (converted.length) {
      // The field's change stands either way; a run that was not told reads the value at its next re-read.
      const told = await this.changeSignals.tell(converted.map((accountId) => ({ accountId, what: key })));
      if (told.error) this.logger.warn(`Converted ${key} on ${converted.length} accounts; ${told.notSent.length} running runs were not told (${told.error.message})`);
    }
    return field;
  }
}

function toEntityFields(field: AccountField): Pick<AccountFieldEntity, 'label' | 'description' | 'type' | 'options' | 'currency' | 'required'> {
  return { label: field.label, description: field.description, type: field.type, options: [...field.options], currency: field.currency, required: field.required };
}

/** 409 naming each account a change would not fit (the first 50, and how many in all). */
function refuse(key: string, change: string, misfits: ReadonlyArray<{ accountId: string; accountName: string; message: string }>): void {
  if (misfits.length === 0) return;
  const issues: Issue[] = misfits.slice(0, NAMED).map((m) => ({ path: `accounts.${m.accountId}.attributes.${key}`, code: 'does_not_fit', message: `${m.accountName}: ${m.message}` }));
  const listed = misfits.slice(0, 5).map((m) => `${m.accountName} (${m.message})`).join('; ');
  const more = misfits.length > 5 ? `; and ${misfits.length - 5} more` : '';
  throw new ConflictError(`${key} cannot ${change}: ${misfits.length} account${misfits.length === 1 ? '' : 's'} would not fit: ${listed}${more}. Change their values first (PATCH /api/accounts/:id, or an import)`, { issues });
}
