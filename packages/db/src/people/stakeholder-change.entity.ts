import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One change to an account's people map, kept for good: who changed which fields of whom, from
 * what to what, why, and the event it emitted. `stakeholderId` has no foreign key, so the history
 * of a deleted stakeholder stays.
 */
@Entity('stakeholder_changes')
export class StakeholderChangeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'stakeholder_id' }) stakeholderId!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  /** created | updated | left | deleted */
  @Column('text') kind!: string;
  /** The fields before (those that changed, for an update; all of them when deleted); null when created. */
  @Column('jsonb', { nullable: true }) before!: Record<string, unknown> | null;
  /** The fields after; null when deleted. */
  @Column('jsonb', { nullable: true }) after!: Record<string, unknown> | null;
  /** A user id, or `integration:<name>`. */
  @Column('text', { name: 'changed_by' }) changedBy!: string;
  @Column('text', { nullable: true }) reason!: string | null;
  /** The account event the change emitted (a champion or sponsor leaving). */
  @Column('uuid', { name: 'event_id', nullable: true }) eventId!: string | null;
  @Column('timestamptz', { default: () => 'now()' }) at!: Date;
}
