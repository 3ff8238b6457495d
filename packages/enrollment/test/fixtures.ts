// Rows the enrollment suites start from, written straight to Postgres (the suites share one database).
import { randomUUID } from 'node:crypto';
import { createDataSource, migrate } from '@cairn/db';
import { compilePlaybook, type PlaybookDocumentInput } from '@cairn/playbook';
import { DataSource } from 'typeorm';

/**
 * A migrated database of the suite's own on the test server, so suites running in parallel never
 * migrate the same database at once; `drop` removes it.
 */
export async function ownDatabase(name: string): Promise<{ dataSource: DataSource; drop: () => Promise<void> }> {
  const database = `cairn_${name}_${Date.now().toString(36)}_${process.pid}`;
  const adminUrl = new URL(process.env.DATABASE_URL ?? '');
  adminUrl.pathname = '/postgres';
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;
  const admin = await new DataSource({ type: 'postgres', url: adminUrl.toString() }).initialize();
  await admin.query(`CREATE DATABASE "${database}"`);
  const dataSource = await createDataSource(url.toString()).initialize();
  await migrate(dataSource);
  return {
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

/** The segments `smb` and `enterprise` (created once, whichever suite comes first): key → id. */
export async function ensureSegments(dataSource: DataSource): Promise<Record<string, string>> {
  const segments: Record<string, string> = {};
  for (const key of ['smb', 'enterprise']) {
    const [row] = await dataSource.query(
      `INSERT INTO segments (key, name, touch_model) VALUES ($1, $1, 'low') ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [key],
    );
    segments[key] = row.id;
  }
  return segments;
}

/** A new account in the segment; returns its id. */
export async function insertAccount(dataSource: DataSource, segmentId: string, name = 'Acme'): Promise<string> {
  const [row] = await dataSource.query(`INSERT INTO accounts (name, domain, segment_id) VALUES ($1, $2, $3) RETURNING id`, [name, `${randomUUID()}.example`, segmentId]);
  return row.id;
}

/** A one-wait playbook (trigger → wait 30 days → end) with a fresh key, published as version 1 unless told not to. */
export async function insertPlaybook(dataSource: DataSource, extra: Partial<PlaybookDocumentInput> = {}, publish = true): Promise<{ id: string; key: string }> {
  const key = `pb-${randomUUID().slice(0, 8)}`;
  const document = {
    schemaVersion: 2,
    key,
    name: `Playbook ${key}`,
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
      { id: 'wait', type: 'wait', position: { x: 0, y: 100 }, data: { mode: 'duration', duration: '30 days' } },
      { id: 'done', type: 'end', position: { x: 0, y: 200 }, data: { outcome: 'completed' } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'wait' },
      { id: 'e2', source: 'wait', target: 'done' },
    ],
    ...extra,
  };
  const compiled = compilePlaybook(document);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  const [row] = await dataSource.query(`INSERT INTO playbooks (key, name, kind, draft) VALUES ($1, $2, 'custom', $3) RETURNING id`, [key, document.name, document]);
  if (publish) {
    await dataSource.query(`INSERT INTO playbook_versions (playbook_id, version, hash, document, plan) VALUES ($1, 1, $2, $3, $4)`, [row.id, compiled.plan.hash, document, compiled.plan]);
  }
  return { id: row.id, key };
}

/** Polls until `read` returns something. */
export async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('gave up waiting');
}
