import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A side effect a run performed other than an email (those are `sent_emails`): a chat or in-app
 * message, a call or meeting to hold, a webhook call, an account update, an enrollment elsewhere,
 * an escalation. What, for whom, from which run, step and version, why, and who approved it.
 */
@Entity('run_actions')
@Index(['runId', 'createdAt'])
export class RunActionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** `<runId>:<nodeId>:<visit>[:<suffix>]`: a retried activity finds its row instead of acting twice. */
  @Column('text', { name: 'idempotency_key', unique: true }) idempotencyKey!: string;
  @Column('uuid', { name: 'run_id' }) runId!: string;
  @Column('text', { name: 'node_id' }) nodeId!: string;
  @Column('int', { default: 0 }) visit!: number;
  @Column('uuid', { name: 'playbook_version_id' }) playbookVersionId!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  /** chat | in_app | call | meeting | webhook | account_update | enroll | escalation */
  @Column('text') kind!: string;
  /** Who or what it was for: a role, a URL, an attribute, a playbook key. */
  @Column('text') target!: string;
  /** pending | done | failed | skipped */
  @Column('text') status!: string;
  @Column('jsonb', { default: {} }) detail!: Record<string, unknown>;
  @Column('uuid', { name: 'approval_id', nullable: true }) approvalId!: string | null;
  @Column('text') reason!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
}
