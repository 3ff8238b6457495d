import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts as other systems know them, with a typed profile: ids in other systems (one per
 * system, each naming one account), a health rating, the lifecycle stage as a column, and the
 * workspace's schema of attributes (`account_fields`), seeded with the built-ins and with every
 * attribute already stored, so no value is left outside the schema. A domain is optional.
 */
export class AccountFields1764450000000 implements MigrationInterface {
  name = 'AccountFields1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts
      ALTER COLUMN domain DROP NOT NULL,
      ADD COLUMN health_status text CHECK (health_status IN ('green', 'yellow', 'red')),
      ADD COLUMN health_score int CHECK (health_score BETWEEN 0 AND 100),
      ADD COLUMN lifecycle_stage text,
      ADD CONSTRAINT accounts_health_score_has_status CHECK (health_score IS NULL OR health_status IS NOT NULL)`);
    // The attribute is the truth (conditions, the engine's update step and imports use it); the
    // column mirrors it for lists and reports, whoever writes the attributes.
    await q.query(`CREATE FUNCTION accounts_mirror_lifecycle_stage() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.lifecycle_stage := NEW.attributes ->> 'lifecycle_stage'; RETURN NEW; END $$`);
    await q.query(`CREATE TRIGGER accounts_mirror_lifecycle_stage BEFORE INSERT OR UPDATE OF attributes, lifecycle_stage ON accounts
      FOR EACH ROW EXECUTE FUNCTION accounts_mirror_lifecycle_stage()`);
    await q.query(`UPDATE accounts SET lifecycle_stage = attributes ->> 'lifecycle_stage'`);
    await q.query(`CREATE INDEX accounts_lifecycle_stage_idx ON accounts (lifecycle_stage)`);

    // Upsert by external id is one lookup of (system, external_id); the primary key makes an id
    // name one account, and (account_id, system) one id per system.
    await q.query(`CREATE TABLE account_external_ids (
      system text NOT NULL CHECK (system ~ '^[a-z][a-z0-9_]*$' AND length(system) <= 40),
      external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (system, external_id),
      CONSTRAINT account_external_ids_one_per_system UNIQUE (account_id, system)
    )`);

    await q.query(`CREATE TABLE account_fields (
      key text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]*$' AND length(key) <= 64),
      label text NOT NULL,
      description text NOT NULL DEFAULT '',
      type text NOT NULL CHECK (type IN ('string', 'number', 'boolean', 'date', 'enum', 'currency')),
      options text[] NOT NULL DEFAULT '{}',
      currency text CHECK (currency ~ '^[A-Z]{3}$'),
      required boolean NOT NULL DEFAULT false,
      built_in boolean NOT NULL DEFAULT false,
      position int NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT account_fields_enum_has_options CHECK ((type = 'enum') = (cardinality(options) > 0)),
      CONSTRAINT account_fields_currency_has_code CHECK ((type = 'currency') = (currency IS NOT NULL)),
      CONSTRAINT account_fields_dates_by_name CHECK ((type = 'date') = (key LIKE '%\\_date'))
    )`);
    // The lifecycle stages are the ones the playbook language's update_account step sets.
    await q.query(`INSERT INTO account_fields (key, label, type, options, currency, built_in, position) VALUES
      ('arr', 'ARR', 'currency', '{}', 'USD', true, 1),
      ('plan', 'Plan', 'enum', '{starter,growth,enterprise}', NULL, true, 2),
      ('seats', 'Seats', 'number', '{}', NULL, true, 3),
      ('industry', 'Industry', 'string', '{}', NULL, true, 4),
      ('region', 'Region', 'string', '{}', NULL, true, 5),
      ('start_date', 'Start date', 'date', '{}', NULL, true, 6),
      ('renewal_date', 'Renewal date', 'date', '{}', NULL, true, 7),
      ('lifecycle_stage', 'Lifecycle stage', 'enum', '{onboarding,adopting,value_realized,expanding,renewing,at_risk,churned}', NULL, true, 8)`);
    // Values stored before the schema stay valid: an enum lists every text value it holds…
    await q.query(`UPDATE account_fields f SET options = f.options || ARRAY(
        SELECT DISTINCT a.attributes ->> f.key FROM accounts a
        WHERE jsonb_typeof(a.attributes -> f.key) = 'string' AND btrim(a.attributes ->> f.key) <> '' AND NOT (a.attributes ->> f.key = ANY (f.options))
        ORDER BY 1)
      WHERE f.type = 'enum'`);
    // …and every other attribute becomes a custom field of the type its values have.
    await q.query(`INSERT INTO account_fields (key, label, type, position)
      SELECT k.key,
             upper(left(k.key, 1)) || replace(substr(k.key, 2), '_', ' '),
             CASE WHEN k.key LIKE '%\\_date' THEN 'date'
                  WHEN bool_and(jsonb_typeof(k.value) = 'number') THEN 'number'
                  WHEN bool_and(jsonb_typeof(k.value) = 'boolean') THEN 'boolean'
                  ELSE 'string' END,
             8 + row_number() OVER (ORDER BY k.key)
      FROM accounts a, jsonb_each(a.attributes) AS k(key, value)
      WHERE jsonb_typeof(k.value) <> 'null' AND k.key ~ '^[a-z][a-z0-9_]*$' AND length(k.key) <= 64
        AND NOT EXISTS (SELECT 1 FROM account_fields f WHERE f.key = k.key)
      GROUP BY k.key`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_fields`);
    await q.query(`DROP TABLE account_external_ids`);
    await q.query(`DROP TRIGGER accounts_mirror_lifecycle_stage ON accounts`);
    await q.query(`DROP FUNCTION accounts_mirror_lifecycle_stage()`);
    await q.query(`ALTER TABLE accounts
      DROP CONSTRAINT accounts_health_score_has_status,
      DROP COLUMN lifecycle_stage,
      DROP COLUMN health_score,
      DROP COLUMN health_status,
      ALTER COLUMN domain SET NOT NULL`);
  }
}
