import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config';
import { SegmentMembership } from './segment-membership';

/** One sweep at a time across API instances (a session-level advisory lock, tried, never waited for). */
const SWEEP_LOCK = 7_264_002;

/**
 * Recomputes every account's membership on an interval (CAIRN_SEGMENT_SWEEP_MINUTES; 0 turns it
 * off): rules that read dates against today change with the calendar, and playbooks' own
 * `update_account` steps change data without going through the API. It also sends announcements
 * left pending while Temporal was unreachable.
 */
@Injectable()
export class SegmentSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SegmentSweep');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SegmentMembership) private readonly membership: SegmentMembership,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.config.segmentSweepMinutes;
    if (minutes <= 0) return;
    this.timer = setInterval(() => void this.sweepOnce(), minutes * 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Sweeps unless another instance is sweeping; returns whether it did. */
  async sweepOnce(): Promise<boolean> {
    if (this.running) return false;
    let swept = false;
    this.running = (async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [SWEEP_LOCK]);
        if (!locked) return;
        try {
          const result = await this.membership.refresh(null);
          swept = true;
          if (result.entered || result.exited) this.logger.log(`Segments swept: ${result.accounts} accounts, ${result.entered} entered, ${result.exited} exited`);
        } finally {
          await runner.query('SELECT pg_advisory_unlock($1)', [SWEEP_LOCK]);
        }
      } catch (error) {
        this.logger.error(`Segment sweep failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await runner.release();
      }
    })();
    await this.running;
    this.running = null;
    return swept;
  }
}
