import type { Principal } from '@cairn/contracts';
import type { Request } from 'express';

/** Who made the request, as the guard found them, with where the request came from (for the audit log). */
export type RequestPrincipal = Principal & {
  /** The sign-in an access token came from (null for API tokens). */
  sessionId: string | null;
  /** The request's X-Request-Id. */
  requestId: string | null;
};

/** Where a request came from, for sign-in (throttling, sessions) and the audit log. */
export interface RequestMeta {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** The Express request as Cairn's middleware and guard leave it. */
export interface CairnRequest extends Request {
  requestId?: string;
  principal?: RequestPrincipal;
}

export function requestMeta(request: CairnRequest): RequestMeta {
  const agent = request.headers['user-agent'];
  return { requestId: request.requestId ?? null, ip: request.ip ?? request.socket?.remoteAddress ?? null, userAgent: typeof agent === 'string' ? agent.slice(0, 500) : null };
}
