import { can, type Permission, type Principal, type Reach, reachOf, type Session } from '@cairn/contracts';
import { useSyncExternalStore } from 'react';
import { getSession, subscribeSession } from '../api/session';

/** The principal the access rules of @cairn/contracts take, for the signed-in person. */
export function principalOf(session: Session | null): Principal | null {
  return session ? { kind: 'user', id: session.user.id, name: session.user.name, role: session.user.role } : null;
}

/**
 * The signed-in session (null when signed out), whether it holds a permission, and how far
 * (`reach`): to hide what the person cannot do. The API checks again, row by row.
 */
export function useAuth(): { session: Session | null; can: (permission: Permission) => boolean; reach: (permission: Permission) => Reach | null } {
  const session = useSyncExternalStore(subscribeSession, getSession, getSession);
  return { session, can: (permission) => can(principalOf(session), permission), reach: (permission) => reachOf(principalOf(session), permission) };
}
