import type { ChatNotifier } from '../http';
import { errorMessage } from './http-errors';

export interface ChatOutcome {
  status: 'done' | 'failed' | 'skipped';
  detail: string;
}

/** Best-effort chat notification (escalations): never throws; says what happened. */
export async function notifyChat(chat: ChatNotifier | undefined, message: { title: string; body: string; idempotencyKey: string }): Promise<ChatOutcome> {
  if (!chat) return { status: 'skipped', detail: 'No chat notifier' };
  try {
    const outcome = await chat.notify(message);
    return outcome.delivered ? { status: 'done', detail: `HTTP ${outcome.status}` } : { status: 'skipped', detail: outcome.reason };
  } catch (error) {
    return { status: 'failed', detail: errorMessage(error) };
  }
}
