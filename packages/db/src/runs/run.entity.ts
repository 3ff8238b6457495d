import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { PlaybookVersionEntity } from '../playbooks/playbook-version.entity';

/** One durable execution of a playbook version for one account (one Temporal workflow). */
@Entity('runs')
export class RunEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Stable per (playbook, account): Temporal itself refuses a second running run for the account. */
  @Column('text', { name: 'workflow_id' }) workflowId!: string;
  @Column('text', { name: 'temporal_run_id', nullable: true }) temporalRunId!: string | null;
  @Column('uuid', { name: 'playbook_id' }) playbookId!: string;
  @Column('uuid', { name: 'playbook_version_id' }) playbookVersionId!: string;
  @ManyToOne(() => PlaybookVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'playbook_version_id' })
  playbookVersion?: PlaybookVersionEntity;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id' })
  account?: AccountEntity;
  /** running | completed | exited | failed | cancelled */
  @Column('text') status!: string;
  @Column('text', { name: 'current_node_id', nullable: true }) currentNodeId!: string | null;
  @Column('text', { name: 'enrolled_by', nullable: true }) enrolledBy!: string | null;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('timestamptz', { name: 'started_at', default: () => 'now()' }) startedAt!: Date;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
}
