import type { Condition } from '@cairn/playbook';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A segment by appropriate experience (how much human touch its accounts get). With a rule, its
 * members are the accounts the rule matches now; without one it is manual: accounts are assigned.
 */
@Entity('segments')
export class SegmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { unique: true }) key!: string;
  @Column('text') name!: string;
  @Column('text', { default: '' }) description!: string;
  /** tech | low | mid | high */
  @Column('text', { name: 'touch_model' }) touchModel!: string;
  /** Lower wins when an account is in several segments. */
  @Column('int', { default: 100 }) priority!: number;
  @Column('jsonb', { nullable: true }) rule!: Condition | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt!: Date | null;
}
