import { eventMatchSchema } from '@cairn/playbook';
import { z } from 'zod';
import { isoDateTimeSchema, pageQueryFields, pageSchema, uuidSchema } from './common';

/** At most this many events in one `POST /api/events` batch. */
export const MAX_EVENTS_PER_BATCH = 1_000;

/** Event types are dotted lower-snake names: `product.sso_configured`, `crm.champion_left`. */
export const eventTypeSchema = eventMatchSchema.shape.type;

const eventDataSchema = z.record(z.string(), z.unknown());
const idempotencyKeySchema = z.string().trim().min(1).max(200);

/** One event in our own shape. */
export const accountEventInputSchema = z
  .object({
    accountId: uuidSchema,
    type: eventTypeSchema,
    data: eventDataSchema.optional(),
    /** When it happened; defaults to when Cairn received it. */
    occurredAt: isoDateTimeSchema.optional(),
    /** The sender's key: an event sent again with the same key is stored (and routed) once. Keys are global, not per account. */
    idempotencyKey: idempotencyKeySchema.optional(),
  })
  .strict();
export type AccountEventInput = z.input<typeof accountEventInputSchema>;

/**
 * A Segment-style `track` call. `groupId` names the account (its Cairn id or its domain);
 * `messageId` is the idempotency key; the envelope fields Segment adds are accepted and ignored.
 */
export const trackEventInputSchema = z
  .object({
    type: z.literal('track'),
    event: z.string().trim().min(1).max(200),
    userId: z.string().trim().min(1).max(200).optional(),
    groupId: z.string().trim().min(1).max(253),
    properties: eventDataSchema.optional(),
    timestamp: isoDateTimeSchema,
    messageId: idempotencyKeySchema,
    // Segment envelope: accepted, not stored.
    anonymousId: z.string().optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    integrations: z.record(z.string(), z.unknown()).optional(),
    originalTimestamp: z.string().optional(),
    sentAt: z.string().optional(),
    receivedAt: z.string().optional(),
    channel: z.string().optional(),
    version: z.union([z.string(), z.number()]).optional(),
  })
  .strict();
export type TrackEventInput = z.input<typeof trackEventInputSchema>;

const snakeCase = (name: string): string =>
  name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * The event type a Segment event name maps to: each dotted part lower-snake-cased, and `product.`
 * in front unless the name is dotted already. `SSO Configured` → `product.sso_configured`,
 * `reportExported` → `product.report_exported`, `CRM.Champion Left` → `crm.champion_left`.
 */
export function trackEventType(event: string): string {
  const parts = event.includes('.') ? event.split('.') : ['product', event];
  return parts.map(snakeCase).join('.');
}

/** Which account an event is for: our id, or (from a `track` call's groupId) an id or a domain. */
export type EventAccountRef = { id: string } | { domain: string };

/** An event as the API stores it, whichever shape it arrived in. */
export interface NormalizedEvent {
  /** `cairn`: events Cairn raises itself (segment entered or exited). */
  source: 'api' | 'track' | 'cairn';
  account: EventAccountRef;
  type: string;
  data: Record<string, unknown>;
  occurredAt: string | null;
  idempotencyKey: string | null;
}

function fromOurs(e: z.output<typeof accountEventInputSchema>): NormalizedEvent {
  return { source: 'api', account: { id: e.accountId }, type: e.type, data: e.data ?? {}, occurredAt: e.occurredAt ?? null, idempotencyKey: e.idempotencyKey ?? null };
}

function fromTrack(e: z.output<typeof trackEventInputSchema>): NormalizedEvent {
  const data: Record<string, unknown> = { ...(e.properties ?? {}) };
  if (e.userId !== undefined && !('userId' in data)) data.userId = e.userId;
  const groupId = e.groupId;
  return {
    source: 'track',
    account: uuidSchema.safeParse(groupId).success ? { id: groupId.toLowerCase() } : { domain: groupId.toLowerCase() },
    type: trackEventType(e.event),
    data,
    occurredAt: e.timestamp,
    idempotencyKey: e.messageId,
  };
}

/** Reports a nested parse's issues as this schema's own (their paths stay relative to the value). */
function forward(ctx: z.RefinementCtx, issues: readonly z.core.$ZodIssue[]): void {
  // The issues are complete already; addIssue's parameter type asks for a raw issue.
  for (const issue of issues) ctx.addIssue(issue as unknown as z.core.$ZodRawIssue);
}

/**
 * One event in either shape, normalized. `type: "track"` selects the Segment shape; anything else
 * is ours. Issues keep their field paths (`type`, `event`, `accountId`…), so a 400 names the field.
 */
export const eventInputSchema = z.unknown().transform((value, ctx): NormalizedEvent => {
  const isTrack = typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'track';
  if (isTrack) {
    const parsed = trackEventInputSchema.safeParse(value);
    if (!parsed.success) {
      forward(ctx, parsed.error.issues);
      return z.NEVER;
    }
    const normalized = fromTrack(parsed.data);
    if (!eventTypeSchema.safeParse(normalized.type).success) {
      ctx.addIssue({ code: 'custom', path: ['event'], message: `"${parsed.data.event}" does not map to an event type (it became "${normalized.type}"); use letters, digits and spaces, starting with a letter` });
      return z.NEVER;
    }
    return normalized;
  }
  const parsed = accountEventInputSchema.safeParse(value);
  if (!parsed.success) {
    forward(ctx, parsed.error.issues);
    return z.NEVER;
  }
  return fromOurs(parsed.data);
});

/** The documented shape of `POST /api/events` (what `ingestEventsRequestSchema` accepts). */
export const ingestEventsRequestDocSchema = z.union([
  z.object({ events: z.array(z.union([accountEventInputSchema, trackEventInputSchema])).min(1).max(MAX_EVENTS_PER_BATCH) }).strict(),
  accountEventInputSchema,
  trackEventInputSchema,
]);
export type IngestEventsRequest = z.input<typeof ingestEventsRequestDocSchema>;

/** `POST /api/events`: one event (ours or `track`), or `{ events: [...] }` with 1 to 1,000 of them. */
export const ingestEventsRequestSchema = z.unknown().transform((value, ctx): { batch: boolean; events: NormalizedEvent[] } => {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'events' in value) {
    const parsed = z.object({ events: z.array(eventInputSchema).min(1).max(MAX_EVENTS_PER_BATCH) }).strict().safeParse(value);
    if (!parsed.success) {
      forward(ctx, parsed.error.issues);
      return z.NEVER;
    }
    return { batch: true, events: parsed.data.events };
  }
  const parsed = eventInputSchema.safeParse(value);
  if (!parsed.success) {
    forward(ctx, parsed.error.issues);
    return z.NEVER;
  }
  return { batch: false, events: [parsed.data] };
});
export type ParsedIngestEvents = z.output<typeof ingestEventsRequestSchema>;

/** What happened to one event of a request, in request order. */
export const eventReportSchema = z.object({
  /** accepted: stored and routed; duplicate: its idempotency key was seen before (not stored again); rejected: not stored. */
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  /** The stored event (for a duplicate, the one stored first); null when rejected. */
  eventId: uuidSchema.nullable(),
  error: z.string().optional(),
});
export type EventReport = z.infer<typeof eventReportSchema>;

/** `POST /api/events` answer (202): one report per event, in request order. */
export const ingestEventsResponseSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  events: z.array(eventReportSchema),
});
export type IngestEventsResponse = z.infer<typeof ingestEventsResponseSchema>;

/** An event as stored. */
export const storedEventSchema = z.object({
  id: uuidSchema,
  accountId: uuidSchema,
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  /** api | track | cairn */
  source: z.string(),
  idempotencyKey: z.string().nullable(),
  occurredAt: isoDateTimeSchema,
  receivedAt: isoDateTimeSchema,
});
export type StoredEvent = z.infer<typeof storedEventSchema>;

/** `GET /api/accounts/:id/events?type=&limit=&cursor=`: newest first (by when it happened, then id). */
export const listAccountEventsQuerySchema = z
  .object({
    /** One type (`product.sso_configured`), or every type under a prefix (`product.*`). */
    type: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?$/, 'An event type such as "product.sso_configured", or a prefix such as "product.*"')
      .max(200)
      .optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListAccountEventsQuery = z.output<typeof listAccountEventsQuerySchema>;

export const accountEventPageSchema = pageSchema(storedEventSchema);
export type AccountEventPage = z.infer<typeof accountEventPageSchema>;
