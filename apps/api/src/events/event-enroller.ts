import { type EnrollmentDeps, EnrollmentNotFoundError, enrollAccount } from '@cairn/enrollment';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config';
import { fromTemporalError } from '../temporal/temporal-errors';
import { EVENT_ENROLLER, type EventEnroller, type EventEnrollment } from './event-triggers';

/**
 * Event-triggered enrollment through `@cairn/enrollment`: the run starts with the event
 * (signal-with-start), or the event reaches the run already open; the playbook's audience and
 * re-entry policy may skip it. Temporal unreachable is a 503.
 */
@Injectable()
export class EnrollmentEventEnroller implements EventEnroller {
  private readonly logger = new Logger('EventEnroller');
  private readonly deps: EnrollmentDeps;

  constructor(@Inject(DataSource) dataSource: DataSource, @Inject(Client) temporal: Client, @Inject(API_CONFIG) config: ApiConfig) {
    this.deps = { dataSource, temporal, taskQueue: config.taskQueue, warn: (message) => this.logger.warn(message) };
  }

  async enrollWithEvent({ accountId, playbookId, event, reason }: Parameters<EventEnroller['enrollWithEvent']>[0]): Promise<EventEnrollment> {
    try {
      const result = await enrollAccount(this.deps, { accountId, playbookId, enrolledBy: 'event', reason, withEvent: event });
      if (result.status === 'enrolled') return { status: 'enrolled', runId: result.runId, workflowId: result.workflowId, version: result.version };
      return { status: 'skipped', code: result.code, reason: result.reason, runId: result.runId };
    } catch (error) {
      // The playbook or account was deleted since the event was matched: nothing to start.
      if (error instanceof EnrollmentNotFoundError) return { status: 'skipped', code: 'not_found', reason: error.message, runId: null };
      throw fromTemporalError(error, {});
    }
  }
}

/** The enroller the events service uses. */
export const EventEnrollerProvider = { provide: EVENT_ENROLLER, useClass: EnrollmentEventEnroller };
