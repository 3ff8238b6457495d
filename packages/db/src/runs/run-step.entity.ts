import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A step of a run's history: what fired, when, with which outcome and why. */
@Entity('run_steps')
@Index(['runId', 'nodeId', 'visit'], { unique: true })
export class RunStepEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'run_id' }) runId!: string;
  @Column('text', { name: 'node_id' }) nodeId!: string;
  @Column('text', { name: 'node_type' }) nodeType!: string;
  /** How many times the run had entered this node before (loops); part of the idempotency key. */
  @Column('int', { default: 0 }) visit!: number;
  /** started | waiting | completed */
  @Column('text') status!: string;
  @Column('text', { nullable: true }) outcome!: string | null;
  /** What came of the step (or what it waits for, while it waits). */
  @Column('text', { nullable: true }) reason!: string | null;
  /** Why it fired: the reason its start gave (kept when the step completes). */
  @Column('text', { name: 'started_reason', nullable: true }) startedReason!: string | null;
  @Column('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
}
