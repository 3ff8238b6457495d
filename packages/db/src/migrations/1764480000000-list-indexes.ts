import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for the paged, filtered lists: each list's order (ending in the id) and its common filters. */
export class ListIndexes1764480000000 implements MigrationInterface {
  name = 'ListIndexes1764480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX accounts_name_idx ON accounts (name, id)`);
    await q.query(`CREATE INDEX accounts_csm_idx ON accounts (csm_id, name, id)`);
    await q.query(`CREATE INDEX accounts_renewal_date_idx ON accounts ((attributes ->> 'renewal_date'))`);
    await q.query(`CREATE INDEX runs_started_idx ON runs (started_at DESC, id DESC)`);
    await q.query(`CREATE INDEX runs_playbook_started_idx ON runs (playbook_id, started_at DESC, id DESC)`);
    await q.query(`CREATE INDEX runs_account_started_idx ON runs (account_id, started_at DESC, id DESC)`);
    await q.query(`CREATE INDEX account_events_account_page_idx ON account_events (account_id, occurred_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['account_events_account_page_idx', 'runs_account_started_idx', 'runs_playbook_started_idx', 'runs_started_idx', 'accounts_renewal_date_idx', 'accounts_csm_idx', 'accounts_name_idx']) {
      await q.query(`DROP INDEX ${index}`);
    }
  }
}
