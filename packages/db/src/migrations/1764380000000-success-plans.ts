import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Success plans: per account, a one-line strategy and objectives (a measure over the account's
 * data, a target date, the customer's agreement, a person's green/red call).
 */
export class SuccessPlans1764380000000 implements MigrationInterface {
  name = 'SuccessPlans1764380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE success_plans (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL UNIQUE REFERENCES accounts(id) ON DELETE CASCADE,
      strategy text NOT NULL DEFAULT '',
      updated_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE success_objectives (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      plan_id uuid NOT NULL REFERENCES success_plans(id) ON DELETE CASCADE,
      title text NOT NULL,
      description text NOT NULL DEFAULT '',
      measure jsonb,
      target_date date,
      override_status text CHECK (override_status IN ('green', 'red')),
      override_note text,
      override_by text,
      agreed_at timestamptz,
      agreed_by_stakeholder_id uuid REFERENCES stakeholders(id) ON DELETE SET NULL,
      agreed_by_name text,
      position int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX success_objectives_plan ON success_objectives (plan_id, position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE success_objectives`);
    await q.query(`DROP TABLE success_plans`);
  }
}
