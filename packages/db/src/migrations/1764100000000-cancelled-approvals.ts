import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An approval of a run a person cancelled is closed as `cancelled`, so it leaves the inbox. */
export class CancelledApprovals1764100000000 implements MigrationInterface {
  name = 'CancelledApprovals1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE approvals DROP CONSTRAINT approvals_status_check`);
    await q.query(`ALTER TABLE approvals ADD CONSTRAINT approvals_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'cancelled'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE approvals SET status = 'expired' WHERE status = 'cancelled'`);
    await q.query(`ALTER TABLE approvals DROP CONSTRAINT approvals_status_check`);
    await q.query(`ALTER TABLE approvals ADD CONSTRAINT approvals_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'expired'))`);
  }
}
