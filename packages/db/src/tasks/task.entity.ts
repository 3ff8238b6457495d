import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A joint accountability a run opened: for our side or the customer's, with a due date. */
@Entity('tasks')
@Index(['runId', 'nodeId', 'visit'], { unique: true })
@Index(['status', 'assigneeId'])
export class TaskEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'run_id' }) runId!: string;
  @Column('text', { name: 'node_id' }) nodeId!: string;
  @Column('int', { default: 0 }) visit!: number;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'playbook_version_id' }) playbookVersionId!: string;
  @Column('text') title!: string;
  /** ours | customer */
  @Column('text', { name: 'owner_side' }) ownerSide!: string;
  @Column('text', { name: 'owner_role' }) ownerRole!: string;
  /** Our person who owns it (the CSM for `csm` tasks and for following up customer tasks). */
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId!: string | null;
  /** person | event | condition: how it gets done. */
  @Column('text') completion!: string;
  /** open | done | cancelled */
  @Column('text') status!: string;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  /** When the run noticed it was not done by its due date. */
  @Column('timestamptz', { name: 'overdue_at', nullable: true }) overdueAt!: Date | null;
  @Column('uuid', { name: 'completed_by_id', nullable: true }) completedById!: string | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
  @Column('text', { nullable: true }) note!: string | null;
  @Column('text') reason!: string;
  /** Hidden from inbox views until then; the run's SLA keeps running. */
  @Column('timestamptz', { name: 'snoozed_until', nullable: true }) snoozedUntil!: Date | null;
  @Column('uuid', { name: 'snoozed_by_id', nullable: true }) snoozedById!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
