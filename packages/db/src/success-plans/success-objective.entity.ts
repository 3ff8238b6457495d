import type { Condition } from '@cairn/playbook';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One objective of a success plan: what success means, how it is measured, who on the customer's side agreed. */
@Entity('success_objectives')
export class SuccessObjectiveEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'plan_id' }) planId!: string;
  @Column('text') title!: string;
  @Column('text', { default: '' }) description!: string;
  /** A condition over the account's data (as segment rules); null: judged by a person. */
  @Column('jsonb', { nullable: true }) measure!: Condition | null;
  /** YYYY-MM-DD */
  @Column('date', { name: 'target_date', nullable: true }) targetDate!: string | null;
  @Column('text', { name: 'override_status', nullable: true }) overrideStatus!: 'green' | 'red' | null;
  @Column('text', { name: 'override_note', nullable: true }) overrideNote!: string | null;
  @Column('text', { name: 'override_by', nullable: true }) overrideBy!: string | null;
  @Column('timestamptz', { name: 'agreed_at', nullable: true }) agreedAt!: Date | null;
  @Column('uuid', { name: 'agreed_by_stakeholder_id', nullable: true }) agreedByStakeholderId!: string | null;
  @Column('text', { name: 'agreed_by_name', nullable: true }) agreedByName!: string | null;
  @Column('int', { default: 0 }) position!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
