import { type Session, sessionSchema } from '@cairn/contracts';

/**
 * The signed-in session: in memory, mirrored to sessionStorage so a reload of the tab keeps it
 * (a new tab or window signs in again; nothing is kept after the browser closes). Components
 * subscribe to it; the API client replaces it on refresh and clears it on sign-out.
 */
const KEY = 'cairn.session';

type Listener = () => void;
const listeners = new Set<Listener>();

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

function load(): Session | null {
  const raw = storage()?.getItem(KEY);
  if (!raw) return null;
  try {
    const parsed = sessionSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

let current: Session | null = load();

export function getSession(): Session | null {
  return current;
}

export function setSession(session: Session | null): void {
  current = session;
  const store = storage();
  if (session) store?.setItem(KEY, JSON.stringify(session));
  else store?.removeItem(KEY);
  for (const listener of listeners) listener();
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
