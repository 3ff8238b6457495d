import { useCallback, useEffect, useState } from 'react';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

/** Loads a resource, optionally polling it while `pollMs` is set. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[], pollMs?: number | null): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    let cancelled = false;
    load().then(
      (value) => !cancelled && (setData(value), setError(null)),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [...deps, tick]);

  useEffect(() => {
    if (!pollMs) return;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, reload]);

  return { data, error, reload };
}
