import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A segment by appropriate experience: how much human touch its accounts get. */
@Entity('segments')
export class SegmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { unique: true }) key!: string;
  @Column('text') name!: string;
  /** tech | low | mid | high */
  @Column('text', { name: 'touch_model' }) touchModel!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
