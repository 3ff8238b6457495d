import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ROUTE_ACCESS, type RouteAccess } from './access.decorators';

/** A route a controller declares, with the access rule it declares (undefined: none, which the guard refuses). */
export interface DeclaredRoute {
  method: string;
  /** Express-style, with the global prefix: `/api/approvals/:id/decision`. */
  path: string;
  handler: string;
  access: RouteAccess | undefined;
}

const join = (...parts: string[]) => `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
const paths = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [typeof value === 'string' ? value : '']);

/** Every route of every controller in the app, with its access rule, read from Nest's metadata. */
export function declaredRoutes(app: INestApplication, prefix = 'api'): DeclaredRoute[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const routes: DeclaredRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const methodPath: unknown = Reflect.getMetadata(PATH_METADATA, handler);
      if (methodPath === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const access = reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [handler, metatype]);
      for (const base of paths(Reflect.getMetadata(PATH_METADATA, metatype))) {
        for (const path of paths(methodPath)) routes.push({ method, path: join(prefix, base, path), handler: `${metatype.name}.${name}`, access });
      }
    }
  }
  return routes;
}

/** Refuses to start an app with a route that declares no access rule (the guard would refuse it anyway). */
export function assertEveryRouteDeclaresAccess(app: INestApplication): void {
  const undeclared = declaredRoutes(app).filter((r) => !r.access);
  if (undeclared.length) {
    throw new Error(`Every route must declare @Public(), @SignedIn() or @Requires(permission); these do not: ${undeclared.map((r) => `${r.method} ${r.path} (${r.handler})`).join(', ')}`);
  }
}
