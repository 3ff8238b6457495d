import type { HttpResponse } from './http-client';

/** What an optional channel (chat, in-app) did: sent with the receiver's answer, or not configured. */
export type DeliveryOutcome = ({ delivered: true } & HttpResponse) | { delivered: false; reason: string };
