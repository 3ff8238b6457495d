import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Segments defined by rules over account data, with live membership: an account belongs to every
 * segment whose rule holds and to the manual segment it is assigned to; its own segment (its
 * appropriate experience, `accounts.segment_id`) is the member segment with the lowest priority.
 * Each membership keeps when and why it began and ended, and whether its entered/exited event
 * went out (so a failed notification is retried, never lost).
 */
export class SegmentRules1764350000000 implements MigrationInterface {
  name = 'SegmentRules1764350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE segments
      ADD COLUMN description text NOT NULL DEFAULT '',
      ADD COLUMN priority int NOT NULL DEFAULT 100,
      ADD COLUMN rule jsonb,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN archived_at timestamptz`);
    await q.query(`ALTER TABLE accounts ADD COLUMN assigned_segment_id uuid REFERENCES segments(id) ON DELETE RESTRICT`);
    await q.query(`UPDATE accounts SET assigned_segment_id = segment_id`);
    await q.query(`ALTER TABLE accounts ALTER COLUMN assigned_segment_id SET NOT NULL`);
    // An account inserted with one of the two starts with both the same (membership refines segment_id next).
    await q.query(`CREATE FUNCTION accounts_assign_segment() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.assigned_segment_id := COALESCE(NEW.assigned_segment_id, NEW.segment_id);
        NEW.segment_id := COALESCE(NEW.segment_id, NEW.assigned_segment_id);
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER accounts_assign_segment BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION accounts_assign_segment()`);
    await q.query(`CREATE TABLE segment_memberships (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      segment_id uuid NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      entered_at timestamptz NOT NULL,
      entered_reason text NOT NULL,
      entered_notified boolean NOT NULL DEFAULT false,
      exited_at timestamptz,
      exited_reason text,
      exited_notified boolean NOT NULL DEFAULT false
    )`);
    await q.query(`CREATE UNIQUE INDEX segment_memberships_current ON segment_memberships (segment_id, account_id) WHERE exited_at IS NULL`);
    await q.query(`CREATE INDEX segment_memberships_account ON segment_memberships (account_id, entered_at)`);
    await q.query(`CREATE INDEX segment_memberships_unnotified ON segment_memberships (entered_at) WHERE NOT entered_notified OR (exited_at IS NOT NULL AND NOT exited_notified)`);
    // Today's assignments are memberships already announced (nothing to emit for the past).
    await q.query(`INSERT INTO segment_memberships (segment_id, account_id, entered_at, entered_reason, entered_notified)
      SELECT segment_id, id, created_at, 'Assigned to the segment', true FROM accounts`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE segment_memberships`);
    await q.query(`DROP TRIGGER accounts_assign_segment ON accounts`);
    await q.query(`DROP FUNCTION accounts_assign_segment()`);
    await q.query(`ALTER TABLE accounts DROP COLUMN assigned_segment_id`);
    await q.query(`ALTER TABLE segments DROP COLUMN description, DROP COLUMN priority, DROP COLUMN rule, DROP COLUMN updated_at, DROP COLUMN archived_at`);
  }
}
