import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A success milestone a run reached (on time or late) or missed, for the account and for leaders. */
@Entity('run_milestones')
@Index(['runId', 'nodeId', 'visit'], { unique: true })
@Index(['accountId'])
export class RunMilestoneEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'run_id' }) runId!: string;
  @Column('text', { name: 'node_id' }) nodeId!: string;
  @Column('int', { default: 0 }) visit!: number;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('uuid', { name: 'playbook_version_id' }) playbookVersionId!: string;
  @Column('text') name!: string;
  @Column('int', { name: 'target_day' }) targetDay!: number;
  /** reached_on_time | reached_late | missed */
  @Column('text') status!: string;
  /** Days since enrollment when the run arrived, to the minute. */
  @Column('numeric', { precision: 10, scale: 4, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) day!: number;
  @Column('text') reason!: string;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
}
