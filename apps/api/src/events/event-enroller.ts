import { Injectable, Logger } from '@nestjs/common';
import { EVENT_ENROLLER, type EventEnroller, type EventEnrollment } from './event-triggers';

/**
 * Stand-in until `@cairn/enrollment` lands: event-triggered enrollment is not wired yet, so a
 * matching playbook is reported as skipped (and logged) instead of started. The replacement calls
 * `enrollAccount(deps, { accountId, playbookId, enrolledBy: 'event', reason, withEvent: event })`.
 */
@Injectable()
export class UnwiredEventEnroller implements EventEnroller {
  private readonly logger = new Logger('EventEnroller');

  async enrollWithEvent(input: Parameters<EventEnroller['enrollWithEvent']>[0]): Promise<EventEnrollment> {
    this.logger.warn(`Event ${input.event.eventId} (${input.event.type}) triggers playbook ${input.playbookId} for account ${input.accountId}, but event-triggered enrollment is not wired yet`);
    return { status: 'skipped', code: 'not_wired', reason: 'Event-triggered enrollment is not available yet', runId: null };
  }
}

/** The enroller the events service uses (swapped for `@cairn/enrollment`'s once it exists). */
export const EventEnrollerProvider = { provide: EVENT_ENROLLER, useClass: UnwiredEventEnroller };
