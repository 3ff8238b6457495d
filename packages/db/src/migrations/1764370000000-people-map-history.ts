import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The people map keeps how to reach each person (title, phone), whether they are still there
 * (status, left_at), who is primary in a role, and every change (stakeholder_changes). People
 * already in the map are active, and their history starts with a `created` row saying so.
 */
export class PeopleMapHistory1764370000000 implements MigrationInterface {
  name = 'PeopleMapHistory1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stakeholders
      ADD COLUMN title text,
      ADD COLUMN phone text,
      ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
      ADD COLUMN is_primary boolean NOT NULL DEFAULT false,
      ADD COLUMN left_at timestamptz,
      ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ADD CONSTRAINT stakeholders_left_at_check CHECK ((status = 'left') = (left_at IS NOT NULL))`);
    // One person per address and account, whatever the case it was typed in.
    await q.query(`CREATE UNIQUE INDEX stakeholders_account_email_key ON stakeholders (account_id, lower(email))`);
    await q.query(`CREATE UNIQUE INDEX stakeholders_one_primary_per_role ON stakeholders (account_id, role) WHERE is_primary AND status = 'active'`);
    await q.query(`CREATE TABLE stakeholder_changes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      stakeholder_id uuid NOT NULL,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('created', 'updated', 'left', 'deleted')),
      before jsonb,
      after jsonb,
      changed_by text NOT NULL,
      reason text,
      -- Checked at commit: the change is written before the event it emits, so routing the event is the last thing before the commit.
      event_id uuid REFERENCES account_events(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
      at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX stakeholder_changes_account_idx ON stakeholder_changes (account_id, at DESC, id DESC)`);
    await q.query(`CREATE INDEX stakeholder_changes_stakeholder_idx ON stakeholder_changes (stakeholder_id, at DESC, id DESC)`);
    await q.query(`INSERT INTO stakeholder_changes (stakeholder_id, account_id, kind, before, after, changed_by, reason)
      SELECT id, account_id, 'created', NULL,
             jsonb_build_object('name', name, 'email', email, 'role', role, 'title', NULL, 'phone', NULL, 'status', 'active', 'isPrimary', false, 'leftAt', NULL),
             'integration:cairn', 'In the people map before changes were kept'
      FROM stakeholders`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stakeholder_changes`);
    await q.query(`DROP INDEX stakeholders_one_primary_per_role`);
    await q.query(`DROP INDEX stakeholders_account_email_key`);
    await q.query(`ALTER TABLE stakeholders DROP CONSTRAINT stakeholders_left_at_check,
      DROP COLUMN title, DROP COLUMN phone, DROP COLUMN status, DROP COLUMN is_primary, DROP COLUMN left_at, DROP COLUMN created_at, DROP COLUMN updated_at`);
  }
}
