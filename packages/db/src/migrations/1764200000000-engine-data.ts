import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the generic engine reads and writes: the account's profile (timezone, attributes with its
 * dates, metrics), the events it receives, the tasks runs open, every other side effect a run
 * performs, milestones reached, and the escalation state of approvals.
 */
export class EngineData1764200000000 implements MigrationInterface {
  name = 'EngineData1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts
      ADD COLUMN timezone text NOT NULL DEFAULT 'UTC',
      ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
      ADD COLUMN metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`CREATE TABLE account_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      type text NOT NULL,
      data jsonb NOT NULL DEFAULT '{}'::jsonb,
      source text NOT NULL DEFAULT 'api',
      idempotency_key text UNIQUE,
      occurred_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX account_events_account_idx ON account_events (account_id, occurred_at)`);
    await q.query(`CREATE TABLE tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      node_id text NOT NULL,
      visit int NOT NULL DEFAULT 0,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      playbook_version_id uuid NOT NULL REFERENCES playbook_versions(id) ON DELETE RESTRICT,
      title text NOT NULL,
      owner_side text NOT NULL CHECK (owner_side IN ('ours', 'customer')),
      owner_role text NOT NULL,
      assignee_id uuid REFERENCES users(id) ON DELETE SET NULL,
      completion text NOT NULL CHECK (completion IN ('person', 'event', 'condition')),
      status text NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
      due_at timestamptz NOT NULL,
      overdue_at timestamptz,
      completed_by_id uuid REFERENCES users(id) ON DELETE SET NULL,
      completed_at timestamptz,
      note text,
      reason text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (run_id, node_id, visit)
    )`);
    await q.query(`CREATE INDEX tasks_open_idx ON tasks (status, assignee_id)`);
    await q.query(`CREATE TABLE run_actions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      idempotency_key text NOT NULL UNIQUE,
      run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      node_id text NOT NULL,
      visit int NOT NULL DEFAULT 0,
      playbook_version_id uuid NOT NULL REFERENCES playbook_versions(id) ON DELETE RESTRICT,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('chat', 'in_app', 'call', 'meeting', 'webhook', 'account_update', 'enroll', 'escalation')),
      target text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'skipped')),
      detail jsonb NOT NULL DEFAULT '{}'::jsonb,
      approval_id uuid REFERENCES approvals(id) ON DELETE SET NULL,
      reason text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz
    )`);
    await q.query(`CREATE INDEX run_actions_run_idx ON run_actions (run_id, created_at)`);
    await q.query(`CREATE TABLE run_milestones (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      node_id text NOT NULL,
      visit int NOT NULL DEFAULT 0,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      playbook_version_id uuid NOT NULL REFERENCES playbook_versions(id) ON DELETE RESTRICT,
      name text NOT NULL,
      target_day int NOT NULL,
      status text NOT NULL CHECK (status IN ('reached_on_time', 'reached_late', 'missed')),
      day numeric(10, 4) NOT NULL,
      reason text NOT NULL,
      recorded_at timestamptz NOT NULL,
      UNIQUE (run_id, node_id, visit)
    )`);
    await q.query(`CREATE INDEX run_milestones_account_idx ON run_milestones (account_id)`);
    await q.query(`ALTER TABLE approvals
      ADD COLUMN escalation_level int NOT NULL DEFAULT 0,
      ADD COLUMN resolution text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE approvals DROP COLUMN resolution, DROP COLUMN escalation_level`);
    await q.query(`DROP TABLE run_milestones`);
    await q.query(`DROP TABLE run_actions`);
    await q.query(`DROP TABLE tasks`);
    await q.query(`DROP TABLE account_events`);
    await q.query(`ALTER TABLE accounts DROP COLUMN updated_at, DROP COLUMN metrics, DROP COLUMN attributes, DROP COLUMN timezone`);
  }
}
