import {
  externalIdKey,
  type ImportAccountsQuery,
  type ImportAccountsResponse,
  IMPORT_MAX_ROWS,
  type ImportLookups,
  type ImportRowReport,
  isBlankRecord,
  mapImportRow,
  planImportRow,
  readImportHeader,
  rejectDuplicates,
} from '@cairn/contracts';
import { type AccountWrite, type ExternalIdWrite, repositories } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { RequestPrincipal } from '../auth/principal';
import { ConflictError, PayloadTooLargeError, ValidationError } from '../common/errors';
import { isUniqueViolation } from '../common/postgres-errors';
import { SegmentMembership } from '../segments/segment-membership';
import { AccountChangeSignals, type AccountChange } from './account-change-signals';
import { toFieldRule, toStoredAccount } from './accounts.mapper';
import { readCsv } from './csv';

const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/**
 * `POST /api/accounts/import`: a CSV of accounts, created or updated by external id.
 *
 * In one transaction, holding the external-ids lock (so a concurrent import or create cannot
 * claim an id between the lookup and the write) and the field schema (shared lock): the header is
 * read against the schema, every row is mapped and planned against the account its ids name
 * (locked), and the rows that pass are written with one statement per kind (insert, update,
 * external ids). A rejected row never stops the others, unless `atomic`. After the commit, the
 * running runs of updated accounts are told (`accountChanged`), and the segment membership of the
 * accounts written is refreshed.
 */
@Injectable()
export class AccountImportService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AccountChangeSignals) private readonly changeSignals: AccountChangeSignals,
    @Inject(SegmentMembership) private readonly membership: SegmentMembership,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** An import that writes is one audit entry (who, how many rows of each outcome), in its transaction; a dry run writes none. */
  async import(principal: RequestPrincipal, csv: string, options: ImportAccountsQuery): Promise<ImportAccountsResponse> {
    const records = readCsv(csv);
    const header = records[0];
    if (!header || isBlankRecord(header)) throw new ValidationError('The file is empty: its first row names the columns (name, external_id:<system>, …)', [{ path: 'body', code: 'empty', message: 'No header row' }]);
    // Spreadsheet row numbers: the header is row 1; blank lines count but are not reported.
    const data = records.slice(1).flatMap((cells, i) => (isBlankRecord(cells) ? [] : [{ cells, row: i + 2 }]));
    if (data.length === 0) throw new ValidationError('The file has a header and no rows', [{ path: 'body', code: 'empty', message: 'No rows after the header' }]);
    if (data.length > IMPORT_MAX_ROWS) {
      throw new PayloadTooLargeError(`The file has ${plural(data.length, 'row')}; one import takes at most ${IMPORT_MAX_ROWS.toLocaleString('en-US')}: split it`);
    }

    let outcome: { report: Omit<ImportAccountsResponse, 'signals'>; changes: AccountChange[]; touched: string[] };
    try {
      outcome = await this.dataSource.transaction(async (em) => {
        const db = repositories(em);
        await db.accounts.lockExternalIds();
        const fields = (await db.accountFields.list({ lock: 'share' })).map(toFieldRule);
        const head = readImportHeader(header, fields, options.mode);
        if (!head.ok) {
          const issues = head.issues.map((i) => ({ path: `header.${i.column}`, code: 'bad_column', message: i.message }));
          throw new ValidationError(`The header row is not one we can import: ${issues.map((i) => i.message).join('; ')}`, issues);
        }
        const rows = data.map((d) => mapImportRow(head.columns, d.cells, d.row));
        rejectDuplicates(rows);

        // Everything the rows name, one query each; the accounts named are locked until the commit.
        const pairs = new Map(rows.flatMap((r) => Object.entries(r.externalIds).map(([system, externalId]) => [externalIdKey(system, externalId), { system, externalId }] as const)));
        const owners = await db.accounts.externalIdOwners([...pairs.values()]);
        const accounts = await db.accounts.lockForUpdate(owners.map((o) => o.accountId));
        const assignable = await db.segments.assignable();
        const lookups: ImportLookups = {
          mode: options.mode,
          fields,
          externalIdOwners: new Map(owners.map((o) => [externalIdKey(o.system, o.externalId), o.accountId])),
          accounts: new Map(accounts.map((a) => [a.id, toStoredAccount(a)])),
          users: await db.accounts.userIdsByEmail([...new Set(rows.flatMap((r) => (r.csmEmail ? [r.csmEmail] : [])))]),
          segments: assignable.manual,
          ruleSegmentKeys: assignable.rule,
          domainOwners: await db.accounts.domainOwners([...new Set(rows.flatMap((r) => (r.domain ? [r.domain] : [])))]),
        };
        const plans = rows.map((row) => ({ row: row.row, plan: planImportRow(row, lookups) }));

        const rejected = plans.some((p) => p.plan.status === 'rejected');
        const written = !options.dryRun && !(options.atomic && rejected);
        const inserts: AccountWrite[] = [];
        const updates: AccountWrite[] = [];
        const externalIds: ExternalIdWrite[] = [];
        const changes: AccountChange[] = [];
        const reports = plans.map(({ row, plan }): ImportRowReport => {
          switch (plan.status) {
            case 'rejected':
              return { row, status: 'rejected', accountId: plan.accountId, changed: [], errors: plan.errors };
            case 'unchanged':
              return { row, status: 'unchanged', accountId: plan.accountId, changed: [], errors: [] };
            case 'created': {
              const id = randomUUID();
              inserts.push({ id, ...plan.values });
              externalIds.push(...Object.entries(plan.externalIds).map(([system, externalId]) => ({ accountId: id, system, externalId })));
              return { row, status: 'created', accountId: written ? id : null, changed: [], errors: [] };
            }
            case 'updated': {
              updates.push({ id: plan.accountId, ...plan.values });
              externalIds.push(...Object.entries(plan.newExternalIds).map(([system, externalId]) => ({ accountId: plan.accountId, system, externalId })));
              // Runs read the profile, not the ids other systems know the account by.
              const what = plan.changed.filter((c) => !c.startsWith('external_id:'));
              if (what.length) changes.push({ accountId: plan.accountId, what: what.join(', ') });
              return { row, status: 'updated', accountId: plan.accountId, changed: plan.changed, errors: [] };
            }
          }
        });
        if (written) {
          await db.accounts.insertMany(inserts);
          await db.accounts.updateMany(updates);
          await db.accounts.addExternalIds(externalIds);
        }
        const count = (status: ImportRowReport['status']) => reports.filter((r) => r.status === status).length;
        const report: Omit<ImportAccountsResponse, 'signals'> = {
          mode: options.mode,
          dryRun: options.dryRun,
          atomic: options.atomic,
          written,
          totals: { rows: reports.length, created: count('created'), updated: count('updated'), unchanged: count('unchanged'), rejected: count('rejected') },
          rows: reports,
        };
        const touched = [...inserts, ...updates].map((a) => a.id);
        if (written && touched.length) {
          const { totals } = report;
          await this.audit.record(em, principal, {
            action: 'accounts.imported',
            entity: { type: 'accounts', id: null },
            summary: `${principal.name} imported ${totals.rows} row${totals.rows === 1 ? '' : 's'}: ${totals.created} created, ${totals.updated} updated, ${totals.unchanged} unchanged, ${totals.rejected} rejected`,
            changes: { after: { mode: options.mode, atomic: options.atomic, totals, created: inserts.map((a) => a.id), updated: updates.map((a) => a.id) } },
          });
        }
        return { report, changes: written ? changes : [], touched: written ? touched : [] };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('Another change took one of these domains or external ids at the same moment; send the file again', { cause: error });
      throw error;
    }
    const told = outcome.changes.length ? await this.changeSignals.tell(outcome.changes) : { sent: 0, notSent: [] };
    // Then segment membership, as PATCH does: new accounts enter their segments, rules re-read the
    // changed ones; entries and exits are announced as events (kept for later if Temporal is down).
    if (outcome.touched.length) await this.membership.refresh(outcome.touched);
    return { ...outcome.report, signals: { sent: told.sent, notSent: told.notSent } };
  }
}

