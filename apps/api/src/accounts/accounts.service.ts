import type { Account, UpdateAccountRequest } from '@cairn/contracts';
import { AccountEntity, type Repositories, repositories } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError, ServiceUnavailableError } from '../common/errors';
import { SegmentMembership } from '../segments/segment-membership';
import { RunSignals } from '../temporal/run-signals';
import { toAccount } from './accounts.mapper';

@Injectable()
export class AccountsService {
  private readonly db: Repositories;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RunSignals) private readonly signals: RunSignals,
    @Inject(SegmentMembership) private readonly membership: SegmentMembership,
  ) {
    this.db = repositories(dataSource.manager);
  }

  async list(): Promise<Account[]> {
    return (await this.db.accounts.list()).map(toAccount);
  }

  async get(id: string): Promise<Account> {
    const account = await this.db.accounts.findById(id);
    if (!account) throw new NotFoundError('Account', id);
    return toAccount(account);
  }

  /**
   * Merges a profile change (timezone, attributes, metrics) with the account row locked, commits,
   * then tells every running run of the account to re-read it (`accountChanged`, naming what
   * changed), so a wait on a moved renewal date moves too. The signal goes after the commit, so a run
   * reads the new values. If Temporal cannot be reached, the change stays saved and the answer is
   * 503: sending the same request again changes nothing and tells the runs.
   */
  async update(id: string, change: UpdateAccountRequest): Promise<Account> {
    const changed = await this.dataSource.transaction(async (em) => {
      const account = await em.findOne(AccountEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw new NotFoundError('Account', id);
      const names: string[] = [];
      const timezone = change.timezone ?? account.timezone;
      if (timezone !== account.timezone) names.push('timezone');
      const attributes = { ...account.attributes };
      for (const [name, value] of Object.entries(change.attributes ?? {})) {
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
      if (names.length) await em.update(AccountEntity, { id }, { timezone, attributes, metrics });
      return names;
    });

    // Nothing changed (a retry after a 503, say): the runs are told about what the request named.
    const requested = [...(change.timezone !== undefined ? ['timezone'] : []), ...Object.keys(change.attributes ?? {}), ...Object.keys(change.metrics ?? {}).map((m) => `metric.${m}`)];
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
