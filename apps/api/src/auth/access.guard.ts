import { can, type Permission } from '@cairn/contracts';
import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../common/errors';
import { ROUTE_ACCESS, type RouteAccess } from './access.decorators';
import { AuthService } from './auth.service';
import type { CairnRequest, RequestPrincipal } from './principal';

export function missingPermission(principal: RequestPrincipal, permission: Permission): ForbiddenError {
  const who = principal.kind === 'user' ? `Your role (${principal.role})` : `This API token's scopes`;
  return new ForbiddenError(`${who} do${principal.kind === 'user' ? 'es' : ''} not include the permission "${permission}"`, permission);
}

/**
 * One guard for every route, failing closed: a route must declare `@Public()`, `@SignedIn()` or
 * `@Requires(permission)`; one that declares nothing is refused (and `createApp` refuses to start
 * with one). Missing or bad credentials → 401; a permission the role or token lacks → 403 naming it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [context.getHandler(), context.getClass()]);
    if (!access) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no access rule; refused`);
      throw new ForbiddenError('This endpoint declares no access rule, so nobody may call it');
    }
    if (access.kind === 'public') return true;
    const request = context.switchToHttp().getRequest<CairnRequest>();
    const principal = await this.auth.authenticate(request.headers.authorization, request.requestId ?? null);
    request.principal = principal;
    if (access.kind === 'permission' && !can(principal, access.permission)) throw missingPermission(principal, access.permission);
    return true;
  }
}
