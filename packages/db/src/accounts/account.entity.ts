import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { SegmentEntity } from '../segments/segment.entity';
import { AccountExternalIdEntity } from './account-external-id.entity';
import { StakeholderEntity } from './stakeholder.entity';

@Entity('accounts')
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  /** Lower case; optional (an account imported from a CRM may have none). */
  @Column('text', { unique: true, nullable: true }) domain!: string | null;
  /** The account's own segment: its member segment with the lowest priority (kept by segment membership). */
  @Column('uuid', { name: 'segment_id' }) segmentId!: string;
  @ManyToOne(() => SegmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'segment_id' })
  segment?: SegmentEntity;
  /** The manual segment a person or an import put the account in; rule segments come on top. */
  @Column('uuid', { name: 'assigned_segment_id' }) assignedSegmentId!: string;
  @ManyToOne(() => SegmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assigned_segment_id' })
  assignedSegment?: SegmentEntity;
  @Column('uuid', { name: 'csm_id', nullable: true }) csmId!: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'csm_id' })
  csm?: UserEntity | null;
  @OneToMany(() => StakeholderEntity, (s) => s.account)
  stakeholders?: StakeholderEntity[];
  /** IANA timezone: business days and quiet hours are counted in it. */
  @Column('text', { default: 'UTC' }) timezone!: string;
  /** Attributes conditions read as `account.<name>`; dates are `*_date` keys holding ISO dates. */
  @Column('jsonb', { default: {} }) attributes!: Record<string, string | number | boolean | null>;
  /** Product and health metrics, read as `metric.<name>`. */
  @Column('jsonb', { default: {} }) metrics!: Record<string, number>;
  /** green | yellow | red, or null when the account has no rating. */
  @Column('text', { name: 'health_status', nullable: true }) healthStatus!: string | null;
  /** 0–100; only with a status. */
  @Column('int', { name: 'health_score', nullable: true }) healthScore!: number | null;
  /** A mirror of `attributes.lifecycle_stage`, kept by a trigger, for lists and reports: never written here. */
  @Column({ type: 'text', name: 'lifecycle_stage', nullable: true, insert: false, update: false }) readonly lifecycleStage!: string | null;
  @OneToMany(() => AccountExternalIdEntity, (x) => x.account)
  externalIds?: AccountExternalIdEntity[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
