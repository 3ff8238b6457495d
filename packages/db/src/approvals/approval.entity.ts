import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export interface ProposedTouch {
  channel: string;
  to: string;
  subject: string;
  body: string;
}

/** A human decision a run waits for. (run, node, visit) is the idempotency key of its creation. */
@Entity('approvals')
@Index(['runId', 'nodeId', 'visit'], { unique: true })
@Index(['status', 'assigneeId'])
export class ApprovalEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'run_id' }) runId!: string;
  @Column('text', { name: 'node_id' }) nodeId!: string;
  @Column('int', { default: 0 }) visit!: number;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId!: string | null;
  @Column('text') title!: string;
  /** pending | approved | rejected | expired | cancelled */
  @Column('text') status!: string;
  @Column('jsonb', { nullable: true }) proposed!: ProposedTouch | null;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  @Column('uuid', { name: 'decided_by_id', nullable: true }) decidedById!: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column('text', { nullable: true }) note!: string | null;
  /** How many escalation steps fired (notify or reassign to the manager). */
  @Column('int', { name: 'escalation_level', default: 0 }) escalationLevel!: number;
  /** How it closed without a person: `auto_approved`, `auto_skipped`, `expired`, `cancelled`. */
  @Column('text', { nullable: true }) resolution!: string | null;
  /** Hidden from inbox views until then; the run's SLA keeps running. */
  @Column('timestamptz', { name: 'snoozed_until', nullable: true }) snoozedUntil!: Date | null;
  @Column('uuid', { name: 'snoozed_by_id', nullable: true }) snoozedById!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
