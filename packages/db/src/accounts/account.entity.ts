import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { SegmentEntity } from './segment.entity';
import { StakeholderEntity } from './stakeholder.entity';

@Entity('accounts')
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { unique: true }) domain!: string;
  @Column('uuid', { name: 'segment_id' }) segmentId!: string;
  @ManyToOne(() => SegmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'segment_id' })
  segment?: SegmentEntity;
  @Column('uuid', { name: 'csm_id', nullable: true }) csmId!: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'csm_id' })
  csm?: UserEntity | null;
  @OneToMany(() => StakeholderEntity, (s) => s.account)
  stakeholders?: StakeholderEntity[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
