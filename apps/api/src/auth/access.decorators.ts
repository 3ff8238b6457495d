import type { Permission } from '@cairn/contracts';
import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ApiErrorResponse } from '../common/openapi';
import { type CairnRequest, type RequestMeta, type RequestPrincipal, requestMeta } from './principal';

/**
 * What a route needs, declared on every handler (the guard refuses a route that declares nothing):
 * - `public`: anyone (health, sign-in, refresh, sign-out);
 * - `signed-in`: any signed-in person or API token (who am I);
 * - a permission from the catalogue (`@cairn/contracts` access.ts).
 */
export type RouteAccess = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'permission'; permission: Permission };

export const ROUTE_ACCESS = 'cairn:route-access';

/** Anyone may call it, signed in or not. */
export const Public = () => SetMetadata(ROUTE_ACCESS, { kind: 'public' } satisfies RouteAccess);

/** Any signed-in person or API token may call it. */
export const SignedIn = () =>
  applyDecorators(
    SetMetadata(ROUTE_ACCESS, { kind: 'signed-in' } satisfies RouteAccess),
    ApiBearerAuth(),
    ApiErrorResponse(401, 'Not signed in, or the session or token expired'),
  );

/** Needs `permission` (route level); row rules, where there are any, are checked by the service. */
export const Requires = (permission: Permission) =>
  applyDecorators(
    SetMetadata(ROUTE_ACCESS, { kind: 'permission', permission } satisfies RouteAccess),
    ApiBearerAuth(),
    ApiExtension('x-cairn-permission', permission),
    ApiErrorResponse(401, 'Not signed in, or the session or token expired'),
    ApiErrorResponse(403, `Needs the permission \`${permission}\``),
  );

/** The principal the guard authenticated (on routes that are not public). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestPrincipal => {
  const principal = ctx.switchToHttp().getRequest<CairnRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal on a route without a principal (is it @Public?)');
  return principal;
});

/** Where the request came from: request id, client IP, user agent. */
export const CurrentRequest = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestMeta => requestMeta(ctx.switchToHttp().getRequest<CairnRequest>()));
