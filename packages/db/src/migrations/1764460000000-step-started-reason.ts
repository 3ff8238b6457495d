import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A step keeps why it fired beside what came of it (a completion used to overwrite the start's reason). */
export class StepStartedReason1764460000000 implements MigrationInterface {
  name = 'StepStartedReason1764460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE run_steps ADD COLUMN started_reason text`);
    // Steps still open hold their start's reason; finished ones lost it.
    await q.query(`UPDATE run_steps SET started_reason = reason WHERE completed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE run_steps DROP COLUMN started_reason`);
  }
}
