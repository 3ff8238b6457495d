import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The approvals-and-tasks inbox: a snooze on each work item (it only hides the item from inbox
 * views; the run's SLA keeps running), one comment thread per item, and indexes for the inbox's
 * order (open items by due date, then id).
 */
export class WorkItems1764470000000 implements MigrationInterface {
  name = 'WorkItems1764470000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['approvals', 'tasks']) {
      await q.query(`ALTER TABLE ${table}
        ADD COLUMN snoozed_until timestamptz,
        ADD COLUMN snoozed_by_id uuid REFERENCES users(id) ON DELETE SET NULL`);
    }
    await q.query(`CREATE INDEX approvals_open_due_idx ON approvals (due_at, id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX tasks_open_due_idx ON tasks (due_at, id) WHERE status = 'open'`);
    await q.query(`CREATE TABLE work_item_comments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      item_kind text NOT NULL CHECK (item_kind IN ('approval', 'task')),
      item_id uuid NOT NULL,
      kind text NOT NULL DEFAULT 'comment' CHECK (kind IN ('comment', 'decision', 'completion', 'reassign', 'snooze')),
      author_id uuid NOT NULL REFERENCES users(id),
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX work_item_comments_item_idx ON work_item_comments (item_kind, item_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE work_item_comments`);
    await q.query(`DROP INDEX tasks_open_due_idx`);
    await q.query(`DROP INDEX approvals_open_due_idx`);
    for (const table of ['approvals', 'tasks']) await q.query(`ALTER TABLE ${table} DROP COLUMN snoozed_until, DROP COLUMN snoozed_by_id`);
  }
}
