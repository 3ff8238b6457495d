import { accountChangedSignal } from '@cairn/workflows';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceUnavailableError } from '../common/errors';
import { RunSignals, runningRunsOf } from '../temporal/run-signals';

/** What changed on one account, in words the run's history shows (`seats, timezone`). */
export interface AccountChange {
  accountId: string;
  what: string;
}

export interface AccountSignalsOutcome {
  sent: number;
  /** Runs not told because Temporal could not be reached (the first such error stops the rest). */
  notSent: Array<{ accountId: string; runId: string }>;
  error: ServiceUnavailableError | null;
}

/**
 * Tells the running runs of changed accounts to re-read them (`accountChanged`), one signal per
 * run, after the change is committed. A run whose workflow is gone is skipped (RunSignals logs it).
 */
@Injectable()
export class AccountChangeSignals {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RunSignals) private readonly signals: RunSignals,
  ) {}

  async tell(changes: readonly AccountChange[]): Promise<AccountSignalsOutcome> {
    const what = new Map(changes.map((c) => [c.accountId, c.what]));
    const runs = await runningRunsOf(this.dataSource.manager, [...what.keys()]);
    const outcome: AccountSignalsOutcome = { sent: 0, notSent: [], error: null };
    for (const run of runs) {
      if (outcome.error) {
        outcome.notSent.push({ accountId: run.accountId, runId: run.id });
        continue;
      }
      try {
        if (await this.signals.send(run, accountChangedSignal, { what: what.get(run.accountId) ?? '' })) outcome.sent++;
      } catch (error) {
        if (!(error instanceof ServiceUnavailableError)) throw error;
        outcome.error = error;
        outcome.notSent.push({ accountId: run.accountId, runId: run.id });
      }
    }
    return outcome;
  }
}
