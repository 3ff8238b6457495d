import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A playbook's life: a revision counter on the draft (autosave refuses a stale editor), a note on
 * each published version, and archiving (no new enrollments or triggers; runs finish).
 */
export class PlaybookLifecycle1764360000000 implements MigrationInterface {
  name = 'PlaybookLifecycle1764360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE playbooks ADD COLUMN draft_revision int NOT NULL DEFAULT 1, ADD COLUMN archived_at timestamptz`);
    await q.query(`ALTER TABLE playbook_versions ADD COLUMN note text NOT NULL DEFAULT ''`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE playbook_versions DROP COLUMN note`);
    await q.query(`ALTER TABLE playbooks DROP COLUMN draft_revision, DROP COLUMN archived_at`);
  }
}
