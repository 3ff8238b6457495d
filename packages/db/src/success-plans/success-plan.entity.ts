import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** An account's success plan: the strategy in one line (its objectives are rows of their own). */
@Entity('success_plans')
export class SuccessPlanEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id', unique: true }) accountId!: string;
  @Column('text', { default: '' }) strategy!: string;
  @Column('text', { name: 'updated_by', nullable: true }) updatedBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
