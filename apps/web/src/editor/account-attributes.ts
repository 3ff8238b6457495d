import { type AccountFieldPage, BUILT_IN_FIELD_KEYS } from '@cairn/contracts';
import { useEffect, useState } from 'react';
import { api } from '../api/client';

/** The built-in attributes: the condition builder offers these when the workspace's fields cannot be read. */
export const FALLBACK_ATTRIBUTES: readonly string[] = BUILT_IN_FIELD_KEYS;

/** The attribute keys a condition can read as `account.<key>`: the workspace's fields in their order, else the built-ins. */
export function attributeKeys(page: Pick<AccountFieldPage, 'items'> | null): string[] {
  const keys = page?.items.map((f) => f.key) ?? [];
  return keys.length ? [...new Set(keys)] : [...FALLBACK_ATTRIBUTES];
}

// Read once per page load (fields change rarely); a failure falls back to the built-ins and is tried again next load.
let loading: Promise<string[]> | null = null;

function loadAttributes(): Promise<string[]> {
  loading ??= api.accountFields({ limit: 200 }).then(attributeKeys, () => {
    loading = null;
    return [...FALLBACK_ATTRIBUTES];
  });
  return loading;
}

/** The account attributes for the condition builder (`GET /api/account-fields`), the built-ins until they arrive. */
export function useAccountAttributes(): string[] {
  const [keys, setKeys] = useState<string[]>(() => [...FALLBACK_ATTRIBUTES]);
  useEffect(() => {
    let live = true;
    void loadAttributes().then((k) => live && setKeys(k));
    return () => {
      live = false;
    };
  }, []);
  return keys;
}
