import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The people map knows every role the playbook language addresses (contract holder, product owner, program leader). */
export class PeopleMapRoles1764000000000 implements MigrationInterface {
  name = 'PeopleMapRoles1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stakeholders DROP CONSTRAINT stakeholders_role_check`);
    await q.query(
      `ALTER TABLE stakeholders ADD CONSTRAINT stakeholders_role_check CHECK (role IN ('champion', 'sponsor', 'economic_buyer', 'contract_holder', 'product_owner', 'program_leader', 'admin', 'user'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM stakeholders WHERE role IN ('contract_holder', 'product_owner', 'program_leader')`);
    await q.query(`ALTER TABLE stakeholders DROP CONSTRAINT stakeholders_role_check`);
    await q.query(`ALTER TABLE stakeholders ADD CONSTRAINT stakeholders_role_check CHECK (role IN ('champion', 'sponsor', 'economic_buyer', 'admin', 'user'))`);
  }
}
