import type { StoredEvent } from '@cairn/contracts';
import type { AccountEventEntity } from '@cairn/db';

export function toStoredEvent(e: AccountEventEntity): StoredEvent {
  return {
    id: e.id,
    accountId: e.accountId,
    type: e.type,
    data: e.data,
    source: e.source,
    idempotencyKey: e.idempotencyKey,
    occurredAt: e.occurredAt.toISOString(),
    receivedAt: e.receivedAt.toISOString(),
  };
}
