import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The foundation schema: people, accounts, playbooks and their versions, runs and what they did. */
export class Init1763870400000 implements MigrationInterface {
  name = 'Init1763870400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      email text NOT NULL UNIQUE,
      role text NOT NULL CHECK (role IN ('csm', 'cs_manager', 'ops', 'admin')),
      manager_id uuid REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE segments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      key text NOT NULL UNIQUE,
      name text NOT NULL,
      touch_model text NOT NULL CHECK (touch_model IN ('tech', 'low', 'mid', 'high')),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE accounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      domain text NOT NULL UNIQUE,
      segment_id uuid NOT NULL REFERENCES segments(id) ON DELETE RESTRICT,
      csm_id uuid REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE stakeholders (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      name text NOT NULL,
      email text NOT NULL,
      role text NOT NULL CHECK (role IN ('champion', 'sponsor', 'economic_buyer', 'admin', 'user'))
    )`);
    await q.query(`CREATE INDEX stakeholders_account_idx ON stakeholders (account_id)`);
    await q.query(`CREATE TABLE playbooks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      key text NOT NULL UNIQUE,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      kind text NOT NULL,
      draft jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE playbook_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      playbook_id uuid NOT NULL REFERENCES playbooks(id) ON DELETE RESTRICT,
      version int NOT NULL CHECK (version > 0),
      hash text NOT NULL,
      document jsonb NOT NULL,
      plan jsonb NOT NULL,
      published_by text,
      published_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (playbook_id, version)
    )`);
    await q.query(`CREATE TABLE runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      workflow_id text NOT NULL,
      temporal_run_id text,
      playbook_id uuid NOT NULL REFERENCES playbooks(id) ON DELETE RESTRICT,
      playbook_version_id uuid NOT NULL REFERENCES playbook_versions(id) ON DELETE RESTRICT,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
      status text NOT NULL CHECK (status IN ('running', 'completed', 'exited', 'failed', 'cancelled')),
      current_node_id text,
      enrolled_by text,
      reason text,
      started_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz
    )`);
    // Once per customer: at most one running run of a playbook per account.
    await q.query(`CREATE UNIQUE INDEX runs_one_active_per_account ON runs (playbook_id, account_id) WHERE status = 'running'`);
    await q.query(`CREATE INDEX runs_account_idx ON runs (account_id)`);
    await q.query(`CREATE INDEX runs_workflow_idx ON runs (workflow_id)`);
    await q.query(`CREATE TABLE run_steps (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      node_id text NOT NULL,
      node_type text NOT NULL,
      visit int NOT NULL DEFAULT 0,
      status text NOT NULL CHECK (status IN ('started', 'waiting', 'completed')),
      outcome text,
      reason text,
      started_at timestamptz NOT NULL,
      completed_at timestamptz,
      UNIQUE (run_id, node_id, visit)
    )`);
    await q.query(`CREATE TABLE approvals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      node_id text NOT NULL,
      visit int NOT NULL DEFAULT 0,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
      assignee_id uuid REFERENCES users(id) ON DELETE SET NULL,
      title text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
      proposed jsonb,
      due_at timestamptz,
      decided_by_id uuid REFERENCES users(id) ON DELETE SET NULL,
      decided_at timestamptz,
      note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (run_id, node_id, visit)
    )`);
    await q.query(`CREATE INDEX approvals_inbox_idx ON approvals (status, assignee_id)`);
    await q.query(`CREATE TABLE sent_emails (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      idempotency_key text NOT NULL UNIQUE,
      run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      node_id text NOT NULL,
      playbook_version_id uuid NOT NULL REFERENCES playbook_versions(id) ON DELETE RESTRICT,
      approval_id uuid REFERENCES approvals(id) ON DELETE SET NULL,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
      to_address text NOT NULL,
      to_role text NOT NULL,
      subject text NOT NULL,
      body text NOT NULL,
      status text NOT NULL CHECK (status IN ('sending', 'sent')),
      message_id text,
      reason text NOT NULL,
      sent_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX sent_emails_run_idx ON sent_emails (run_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sent_emails', 'approvals', 'run_steps', 'runs', 'playbook_versions', 'playbooks', 'stakeholders', 'accounts', 'segments', 'users']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
