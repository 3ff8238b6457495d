import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An email a run sent: for whom, from which step and version, why, and who approved it. */
@Entity('sent_emails')
export class SentEmailEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** `<runId>:<nodeId>:<visit>`: a retried activity finds its row instead of sending twice. */
  @Column('text', { name: 'idempotency_key', unique: true }) idempotencyKey!: string;
  @Column('uuid', { name: 'run_id' }) runId!: string;
  @Column('text', { name: 'node_id' }) nodeId!: string;
  @Column('uuid', { name: 'playbook_version_id' }) playbookVersionId!: string;
  @Column('uuid', { name: 'approval_id', nullable: true }) approvalId!: string | null;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text', { name: 'to_address' }) toAddress!: string;
  @Column('text', { name: 'to_role' }) toRole!: string;
  @Column('text') subject!: string;
  @Column('text') body!: string;
  /** sending | sent */
  @Column('text') status!: string;
  @Column('text', { name: 'message_id', nullable: true }) messageId!: string | null;
  @Column('text') reason!: string;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
