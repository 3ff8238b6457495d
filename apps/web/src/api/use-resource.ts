import { useCallback, useEffect, useState } from 'react';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

/**
 * Loads a resource and reloads it when `deps` change. With `pollMs`, it reloads on that interval
 * for as long as `pollWhile(data)` holds (by default: always).
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[], pollMs?: number | null, pollWhile?: (data: T | null) => boolean): Resource<T> {
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

  const polling = Boolean(pollMs) && (pollWhile ? pollWhile(data) : true);
  useEffect(() => {
    if (!polling || !pollMs) return;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [polling, pollMs, reload]);

  return { data, error, reload };
}
